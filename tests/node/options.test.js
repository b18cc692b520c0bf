'use strict';
// Options per call and per client (timeout, maxRetries, headers), the same
// connections under other settings (withOptions), and closing: each checked
// against what the sandbox received.

const test = require('node:test');
const assert = require('node:assert/strict');
const pigello = require('pigello');
const { withSandbox } = require('./support.js');

const TENANT_LIST = '/accounts/users/customer/tenant/list/';
const headersSeen = (sb) => sb.requests().map((r) => r.headers);

test('a call sends its own headers after the client defaults', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client({ defaultHeaders: { 'X-App': 'report-job', 'X-Trace': 'client' } });
    const [tenant] = (await client.tenants.list({ pageSize: 1 })).data;
    await client.tenants.get(tenant.id, { headers: { 'x-trace': 'get' } });
    await client.tenants.update(tenant.id, { first_name: 'Anna' }, { headers: { 'X-Trace': 'update' } });
    await client.tenants.list({ pageSize: 1 });
    assert.deepEqual(headersSeen(sb).map((h) => [h['x-app'], h['x-trace']]), [
      ['report-job', 'client'], ['report-job', 'get'], ['report-job', 'update'], ['report-job', 'client'],
    ]);
    assert.ok(headersSeen(sb).every((h) => h['x-pigello-client-secret'] === '<redacted>'));
  }));

test('every method takes request options as its last argument', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client();
    const marked = { timeout: 30_000, maxRetries: 0, headers: { 'X-Call': 'yes' } };
    const tenant = await client.tenants.create({ first_name: 'Ny' }, marked);
    await client.tenants.get(tenant.id, marked);
    await client.tenants.update(tenant.id, { last_name: 'Berg' }, { extraBody: {}, ...marked });
    await client.tenants.list({ pageSize: 1 }, marked);
    for await (const _ of client.tenants.iterate({ filters: { first_name: 'Ny' } }, marked)) { /* drain */ }
    await client.tenants.bulkWrite([{ id: tenant.id, last_name: 'Ek' }], marked);
    await client.tenants.invite({ tenants: [tenant.id] }, marked);
    await client.tenants.delete(tenant, marked);
    const marks = sb.requests().map((r) => r.headers['x-call']);
    assert.equal(marks.length, 8);
    assert.ok(marks.every((m) => m === 'yes'), JSON.stringify(marks));
  }));

test("a call's timeout and retries are its own", () =>
  withSandbox({}, async (sb) => {
    const client = sb.client({ timeout: 10_000 });
    sb.injectFault({ kind: 'latency', method: 'GET', path: TENANT_LIST, ms: 400 });
    await assert.rejects(client.tenants.list({}, { timeout: 100, maxRetries: 1 }), (e) =>
      e instanceof pigello.APITimeoutError && /after 2 attempts/.test(e.message));
    assert.equal(client.timeout, 10_000);
    assert.equal((await client.tenants.list({ pageSize: 2 })).data.length, 2);
    assert.deepEqual(sb.faultHits(), [3]);
  }));

test('the next page is sent with the same request options', () =>
  withSandbox({}, async (sb) => {
    const first = await sb.client().tenants.list({ pageSize: 5 }, { headers: { 'X-Export': 'nightly' } });
    const second = await first.nextPage();
    assert.equal(second.page, 2);
    assert.deepEqual(headersSeen(sb).map((h) => h['x-export']), ['nightly', 'nightly']);
  }));

test('withOptions shares the connections and keeps the rest', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client({ defaultHeaders: { 'X-App': 'a' }, maxRetries: 4 });
    const patient = client.withOptions({ timeout: 120_000, defaultHeaders: { 'X-Team': 'b' } });
    assert.deepEqual([patient.timeout, patient.maxRetries], [120_000, 4]);
    assert.deepEqual([client.timeout, client.maxRetries], [60_000, 4]);
    await patient.tenants.list({ pageSize: 1 });
    const [seen] = headersSeen(sb);
    assert.deepEqual([seen['x-app'], seen['x-team']], ['a', 'b']);
    patient.close();
    assert.equal(client.isClosed, true);
  }));

test('no header can replace a credential, and bad options are refused before sending', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client();
    for (const name of ['X-Pigello-Client-Secret', 'x-pigello-customer-id']) {
      await assert.rejects(client.tenants.list({}, { headers: { [name]: 'someone-else' } }),
        (e) => e instanceof pigello.PigelloError && e.message.includes(`headers cannot set ${name.toUpperCase()}`));
      assert.throws(() => sb.client({ defaultHeaders: { [name]: 'hunter2' } }), /defaultHeaders cannot set/);
      assert.throws(() => client.withOptions({ defaultHeaders: { [name]: 'hunter2' } }), /defaultHeaders cannot set/);
    }
    await assert.rejects(client.tenants.list({}, { timeout: -1 }), TypeError);
    await assert.rejects(client.tenants.list({}, { headers: { 'X-A': 5 } }), /headers must be an object of strings/);
    await assert.rejects(client.tenants.list({}, { headers: { 'X-A': 'line\nbreak' } }),
      (e) => /cannot be sent in a header/.test(e.message) && !e.message.includes('line'));
    await assert.rejects(client.tenants.list({ timeout: 5 }), /timeout is a request option: it goes in the last argument/);
    await assert.rejects(client.tenants.get('497f6eca-6276-4993-bfeb-53cbbbba6f08', { signall: 1 }), (e) =>
      e instanceof TypeError && /get\(\) has no option "signall"; did you mean signal\?/.test(e.message));
    await assert.rejects(client.tenants.list({ pagesize: 2 }), (e) =>
      e instanceof TypeError && /did you mean pageSize\?/.test(e.message));
    assert.deepEqual(sb.requests(), []);
  }));

test('a closed client sends nothing and says so', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client();
    await client.tenants.list({ pageSize: 1 });
    client.close();
    assert.equal(client.isClosed, true);
    sb.clearRequests();
    await assert.rejects(client.tenants.list({ pageSize: 1 }), (e) =>
      e instanceof pigello.PigelloError && e.code === 'client_closed' && /client is closed/.test(e.message));
    await assert.rejects(async () => { for await (const _ of client.tenants.iterate()) { /* none */ } }, /client is closed/);
    assert.deepEqual(sb.requests(), []);
    // What `await using` calls at the end of its block.
    const disposable = sb.client();
    await disposable.tenants.list({ pageSize: 1 });
    await disposable[Symbol.asyncDispose]();
    assert.equal(disposable.isClosed, true);
    assert.equal((await sb.client().tenants.list({ pageSize: 1 })).data.length, 1);
  }));

test('an AbortSignal cancels a call, and an aborted write says whether it may be in place', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client();
    const [tenant] = (await client.tenants.list({ pageSize: 1 })).data;
    sb.clearRequests();
    // Aborted before it starts: nothing is sent.
    await assert.rejects(client.tenants.get(tenant.id, { signal: AbortSignal.abort() }), (e) =>
      e instanceof pigello.APIUserAbortError && e.code === 'aborted' && e.outcomeUnknown === false);
    assert.deepEqual(sb.requests(), []);
    // Aborted while a write is in flight: its outcome is unknown.
    sb.injectFault({ kind: 'latency', method: 'PATCH', path: '*', ms: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await assert.rejects(client.tenants.update(tenant.id, { last_name: 'Ek' }, { signal: controller.signal }), (e) =>
      e instanceof pigello.APIUserAbortError && e.outcomeUnknown === true && /outcome unknown/.test(e.message));
    assert.ok(Date.now() - started < 4_000, 'the abort ended the call before the sandbox answered');
    // An iteration stops at the page in flight; the client stays usable.
    sb.injectFault({ kind: 'latency', method: 'GET', path: '*', ms: 5_000 });
    await assert.rejects(async () => {
      for await (const _ of client.tenants.iterate({}, { signal: AbortSignal.timeout(200) })) { /* none */ }
    }, pigello.APIUserAbortError);
    sb.clearFaults();
    assert.equal((await client.tenants.list({ pageSize: 2 })).data.length, 2);
  }));

test('a page walks its pages under openai-node names', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client();
    const first = await client.tenants.list({ pageSize: 8 }, { headers: { 'X-Walk': '1' } });
    const numbers = [];
    for await (const page of first.iterPages()) numbers.push([page.page, page.data.length]);
    assert.deepEqual(numbers, [[1, 8], [2, 8], [3, 8], [4, 6]]);
    assert.ok(sb.requests().every((r) => r.headers['x-walk'] === '1'));
    const last = await (await (await first.getNextPage()).getNextPage()).getNextPage();
    assert.equal(last.hasNextPage(), false);
    await assert.rejects(last.getNextPage(), /no next page: check hasNextPage\(\)/);
  }));

test('withResponse() gives the answer beside the value', () =>
  withSandbox({}, async (sb) => {
    const client = sb.client({ maxRetries: 2 });
    sb.injectFault({ kind: 'status', method: 'GET', status: 503, count: 1 });
    const { data: page, response, requestId } = await client.tenants.list({ pageSize: 2 }).withResponse();
    assert.equal(response.status, 200);
    assert.equal(page.data.length, 2);
    assert.ok(requestId.startsWith('req_') && requestId === page.requestId);
    assert.equal(response.headers['x-request-id'], requestId);
    assert.match(response.headers['content-type'], /^application\/json/);
    const plain = await client.tenants.get(page.data[0].id);
    const { data } = await client.tenants.get(page.data[0].id).withResponse();
    assert.deepEqual(data, plain);
    // Awaited, so its request ends before the sandbox stops.
    const pending = client.tenants.get(page.data[0].id);
    assert.ok(pending instanceof pigello.APIPromise);
    await pending;
    await assert.rejects(client.tenants.get('497f6eca-6276-4993-bfeb-53cbbbba6f08').withResponse(), pigello.NotFoundError);
  }));
