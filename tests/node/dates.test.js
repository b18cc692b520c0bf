'use strict';
// A `Date` where a date or a date-time is written or filtered on: a date field
// takes its UTC calendar date, a date-time its RFC 3339 form in UTC, and what
// the API sends back stays the API's strings.

const test = require('node:test');
const assert = require('node:assert/strict');
const { withSandbox } = require('./support.js');

// Late in the evening in UTC: a local calendar date east of UTC would be the
// next day, so a date taken from local time would show here.
const BIRTH = new Date(Date.UTC(1981, 11, 18, 23, 30));
const ACTIVE_TO = new Date(Date.UTC(2031, 5, 30, 12, 15, 30, 250));
const TENANT_LIST = '/accounts/users/customer/tenant/list/';

test('a Date is written as its field needs it, and read back as the API\'s string', () =>
  withSandbox({}, async (sb, client) => {
    const tenant = await client.tenants.create({ first_name: 'Dag', birth_date: BIRTH, active_to: ACTIVE_TO });
    assert.equal(tenant.birth_date, '1981-12-18');
    assert.equal(typeof tenant.active_to, 'string');
    assert.equal(new Date(tenant.active_to).getTime(), ACTIVE_TO.getTime());
    assert.equal(typeof tenant.created_at, 'string');

    const updated = await client.tenants.update(tenant, { birth_date: new Date(Date.UTC(1990, 0, 1)) });
    assert.equal(updated.birth_date, '1990-01-01');
    const [written] = await client.tenants.bulkWrite([{ id: tenant.id, birth_date: BIRTH }]);
    assert.equal(written.birth_date, '1981-12-18');
  }));

test('a Date filters as its field needs it, alone and in a list', () =>
  withSandbox({}, async (sb, client) => {
    const before = new Date(Date.now() - 1000);
    const tenant = await client.tenants.create({ first_name: 'Dag', birth_date: BIRTH });
    sb.clearRequests();

    const byDate = await client.tenants.list({ filters: { birth_date: BIRTH } });
    assert.deepEqual(byDate.data.map((t) => t.id), [tenant.id]);
    const byList = await client.tenants.list({ filters: { birth_date__in: [BIRTH, '1900-01-01'] } });
    assert.deepEqual(byList.data.map((t) => t.id), [tenant.id]);
    const since = await client.tenants.list({ filters: { created_at__gte: before }, pageSize: 100 });
    assert.deepEqual(since.data.map((t) => t.id), [tenant.id]);
    let iterated = 0;
    for await (const row of client.tenants.iterate({ filters: { created_at__gte: before } })) {
      assert.equal(row.id, tenant.id);
      iterated += 1;
    }
    assert.equal(iterated, 1);

    const queries = sb.requests().map((r) => r.query);
    assert.ok(queries[0].startsWith('birth_date=1981-12-18&'), queries[0]);
    assert.ok(queries[1].startsWith('birth_date__in=1981-12-18%2C1900-01-01&'), queries[1]);
    const sent = new URLSearchParams(queries[2]).get('created_at__gte');
    assert.match(sent, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+00:00)$/);
    assert.equal(new Date(sent).getTime(), before.getTime());
    assert.ok(sb.requests().every((r) => r.path === TENANT_LIST));
  }));

test('a Date that cannot be sent is a RangeError naming where, and nothing is sent', () =>
  withSandbox({}, async (sb, client) => {
    sb.clearRequests();
    await assert.rejects(client.tenants.create({ first_name: 'Dag', birth_date: new Date('not a date') }), {
      name: 'RangeError',
      message: 'create() body.birth_date: a Date that is invalid or outside the years 0000 to 9999 cannot be sent',
    });
    await assert.rejects(client.tenants.list({ filters: { created_at__lt: new Date(Date.UTC(10000, 0, 1)) } }), {
      name: 'RangeError',
      message: /option filters\.created_at__lt: a Date that is invalid or outside the years 0000 to 9999/,
    });
    assert.deepEqual(sb.requests(), []);
  }));
