'use strict';
// Many calls at once on one client, and the event loop free while they wait.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withSandbox } = require('./support.js');

test('a hundred concurrent calls on one client', () =>
  withSandbox({}, async (sb, client) => {
    const ids = (await client.tenants.list()).data.map((t) => t.id);
    const calls = Array.from({ length: 100 }, (_, i) => client.tenants.get(ids[i % ids.length]));
    const rows = await Promise.all(calls);
    assert.deepEqual(rows.map((r) => r.id), Array.from({ length: 100 }, (_, i) => ids[i % ids.length]));
    const created = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client.tenants.create({ first_name: `Samtidig ${i}` })),
    );
    assert.equal(new Set(created.map((t) => t.id)).size, 100);
    const stored = await client.tenants.list({ pageSize: 1000, filters: { first_name__startswith: 'Samtidig' } });
    assert.equal(stored.data.length, 100);
  }));

test('the event loop keeps running while a call waits', () =>
  withSandbox({}, async (sb, client) => {
    sb.injectFault({ kind: 'latency', ms: 300, count: 1 });
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 10);
    try {
      await client.tenants.list();
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 5, `the loop ticked ${ticks} times during a 300 ms call`);
  }));

test('sandboxes are isolated and reset to their seed', () =>
  withSandbox({}, async (sb, client) => {
    await client.tenants.create({ first_name: 'Tillfällig' });
    assert.equal((await client.tenants.list({ filters: { first_name: 'Tillfällig' } })).data.length, 1);
    sb.reset();
    assert.equal((await client.tenants.list({ filters: { first_name: 'Tillfällig' } })).data.length, 0);
    assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  }));
