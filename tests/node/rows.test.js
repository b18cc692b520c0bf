'use strict';
// Rows reach JavaScript as the API sent them: a page, an iteration and a get
// hold the same objects as the API's own JSON read with JSON.parse (the core
// hands the checked text over, and JSON.parse builds the objects), keys in the
// API's order.

const test = require('node:test');
const assert = require('node:assert/strict');
const { withSandbox } = require('./support.js');

const TENANT_LIST = '/accounts/users/customer/tenant/list/';

/** What the API answers to a plain request with the sandbox's credentials. */
async function apiJson(sb, path, query) {
  const headers = Object.fromEntries([
    'customer-id', 'application-id', 'service-id', 'service-version-id', 'client-ct',
    'client-entity', 'client-secret',
  ].map((name) => [`X-PIGELLO-${name.toUpperCase()}`, 'x']));
  headers['X-PIGELLO-CUSTOMER-ID'] = '00000000-0000-4000-8000-000000000001';
  const answer = await fetch(`${sb.url}${path}?${query}`, { headers });
  assert.equal(answer.status, 200);
  return JSON.parse(await answer.text());
}

test('a page, an iteration and a get hold exactly the API\'s objects', () =>
  withSandbox({ tenants: 25 }, async (sb, client) => {
    const expected = await apiJson(sb, TENANT_LIST, '_order_by=id&_page=1&_page_size=25');
    const page = await client.tenants.list({ orderBy: 'id', pageSize: 25 });
    assert.deepEqual(page.data, expected);
    assert.deepEqual(page.data.map(Object.keys), expected.map(Object.keys));

    const iterated = [];
    for await (const row of client.tenants.iterate({ orderBy: 'id', pageSize: 7 })) iterated.push(row);
    assert.deepEqual(iterated, expected);

    const got = await client.tenants.get(expected[3].id);
    assert.deepEqual(got, expected[3]);
    assert.deepEqual(Object.keys(got), Object.keys(expected[3]));
  }));

test('a write answers with the row the API stored', () =>
  withSandbox({}, async (sb, client) => {
    const created = await client.tenants.create({ first_name: 'Åsa', last_name: 'Öberg "Q" \u2028' });
    const updated = await client.tenants.update(created, { popular_name: '😀' });
    const expected = await apiJson(sb, TENANT_LIST, `id=${created.id}`);
    assert.deepEqual([updated], expected);
    assert.equal(updated.last_name, 'Öberg "Q" \u2028');
  }));
