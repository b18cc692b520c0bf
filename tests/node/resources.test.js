'use strict';
// Every resource and operation, pagination, async iteration, filters and
// negation, through the built addon against the in-process sandbox.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const pigello = require('pigello');
const { RESOURCES, copyOf, withSandbox } = require('./support.js');

const TEXT_FIELD = { tenants: 'anonymization_name' };

for (const name of RESOURCES) {
  test(`every operation of ${name}`, () =>
    withSandbox({}, async (sb, client) => {
      const resource = client[name];
      assert.ok(resource instanceof pigello.Resource);
      const page = await resource.list({ pageSize: 2 });
      assert.equal(page.data.length, 2);
      const [first] = page.data;
      assert.deepEqual(await resource.get(first.id), first);
      assert.deepEqual(await resource.get(first), first);

      let created;
      if (name === 'protectedIdentities') {
        const owner = await client.tenants.create({ first_name: 'Fri' });
        created = await resource.create({ tenant: owner.id, first_name: 'Ny' });
        assert.deepEqual(created.tenant, { id: owner.id });
      } else {
        created = await resource.create(copyOf(first));
      }
      assert.notEqual(created.id, first.id);
      const field = TEXT_FIELD[name] ?? 'custom_id';
      const updated = await resource.update(created, { [field]: 'Ändrad' });
      assert.equal(updated[field], 'Ändrad');
      assert.equal(await resource.delete(created.id), undefined);
      await assert.rejects(resource.get(created.id), pigello.NotFoundError);

      const rows = await resource.bulkWrite([{ id: first.id, [field]: 'Bulk' }]);
      assert.deepEqual(rows.map((r) => r.id), [first.id]);
      assert.equal(rows[0][field], 'Bulk');

      const everyone = [];
      for await (const row of resource.iterate({ pageSize: 3 })) everyone.push(row.id);
      const all = await resource.list({ pageSize: 1000 });
      assert.equal(new Set(everyone).size, everyone.length);
      assert.equal(everyone.length, all.data.length);
      assert.equal(typeof resource.invite === 'function', ['tenants', 'subtenants', 'organizationUsers'].includes(name));
    }));
}

test('invites on the three resources that have one', () =>
  withSandbox({}, async (sb, client) => {
    assert.equal(await client.tenants.invite({ email: 'ny@example.se' }), null);
    assert.equal(await client.subtenants.invite({ email: 'ny@example.se' }), null);
    assert.equal(await client.organizationUsers.invite(), null);
  }));

test('pages: numbers, totals, nextPage, and every row exactly once', () =>
  withSandbox({}, async (sb, client) => {
    const first = await client.tenants.list({ pageSize: 7, statistics: true, orderBy: 'last_name' });
    assert.equal(first.total, 30);
    assert.equal(first.page, 1);
    assert.equal(first.pageSize, 7);
    assert.match(first.requestId, /^req_/);
    const seen = [];
    for (let page = first; page; page = await page.nextPage()) {
      seen.push(...[...page].map((t) => t.id));
      if (!page.hasNext) assert.equal(await page.nextPage(), null);
    }
    assert.equal(seen.length, 30);
    assert.equal(new Set(seen).size, 30);
    const past = await client.tenants.list({ page: 99, pageSize: 10 });
    assert.deepEqual(past.data, []);
    const defaulted = await client.tenants.list();
    assert.equal(defaulted.pageSize, 100);
  }));

test('for await walks every page and stops on break', () =>
  withSandbox({}, async (sb, client) => {
    let count = 0;
    for await (const tenant of client.tenants.iterate({ pageSize: 4, orderBy: ['-birth_date'] })) {
      assert.equal(typeof tenant.id, 'string');
      count += 1;
    }
    assert.equal(count, 30);
    let taken = 0;
    for await (const _ of client.tenants.iterate({ pageSize: 4 })) {
      if (++taken === 5) break;
    }
    assert.equal(taken, 5);
  }));

test('filters, negation with a trailing !, and ordering', () =>
  withSandbox({}, async (sb, client) => {
    const all = (await client.tenants.list({ pageSize: 1000 })).data;
    const people = await client.tenants.list({ pageSize: 1000, filters: { ssn__isnull: false } });
    const companies = await client.tenants.list({ pageSize: 1000, filters: { 'ssn__isnull!': false } });
    assert.ok(people.data.length > 0 && companies.data.length > 0);
    assert.equal(people.data.length + companies.data.length, all.length);
    assert.ok(companies.data.every((t) => t.ssn === null));

    const named = await client.tenants.list({ pageSize: 1000, filters: { first_name__icontains: 'a' } });
    const notNamed = await client.tenants.list({ pageSize: 1000, filters: { 'first_name__icontains!': 'a' } });
    assert.equal(named.data.length + notNamed.data.length, all.length);
    assert.ok(named.data.every((t) => t.first_name.toLowerCase().includes('a')));

    const ids = all.slice(0, 3).map((t) => t.id);
    const picked = await client.tenants.list({ filters: { id__in: ids } });
    assert.deepEqual(new Set(picked.data.map((t) => t.id)), new Set(ids));
    const rest = await client.tenants.list({ pageSize: 1000, filters: { 'id__in!': ids } });
    assert.equal(rest.data.length, all.length - 3);

    const ordered = (await client.tenants.list({ pageSize: 1000, orderBy: 'last_name,-first_name', filters: { last_name__isnull: false } })).data;
    const keys = ordered.map((t) => t.last_name);
    assert.deepEqual(keys, [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const searched = await client.tenants.list({ search: all[0].last_name ?? all[0].corporate_name });
    assert.ok(searched.data.some((t) => t.id === all[0].id));
  }));

test('an update: null clears, an absent key stays, relations as an id or { id }', () =>
  withSandbox({}, async (sb, client) => {
    const tenant = await client.tenants.create({ first_name: 'Ada', last_name: 'Lind' });
    const cleared = await client.tenants.update(tenant.id, { last_name: null });
    assert.equal(cleared.last_name, null);
    assert.equal(cleared.first_name, 'Ada');
    const byObject = await client.protectedIdentities.create({ tenant: { id: tenant.id }, first_name: 'Skydd' });
    assert.deepEqual(byObject.tenant, { id: tenant.id });
  }));

test('rows keep fields the reference does not document', () =>
  withSandbox({}, async (sb, client) => {
    const state = sb.exportState();
    const customer = Object.keys(state.customers)[0];
    const row = state.customers[customer].tenants[0];
    row.loyalty_tier = 'gold';
    sb.importState(state);
    const got = await client.tenants.get(row.id);
    assert.equal(got.loyalty_tier, 'gold');
  }));

test('ESM import gives the same classes', async () => {
  const esm = await import('pigello');
  assert.equal(esm.Client, pigello.Client);
  assert.equal(esm.NotFoundError, pigello.NotFoundError);
  assert.equal(esm.default.Sandbox, pigello.Sandbox);
  assert.equal(typeof esm.version, 'string');
  const named = Object.keys(esm).filter((k) => k !== 'default').sort();
  assert.deepEqual(named, Object.keys(pigello).sort());
});
