'use strict';
// Every error class with its fields, validation before sending, and what never
// appears in a message, a stack or an inspected object.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const pigello = require('pigello');
const { withSandbox } = require('./support.js');

const SECRET = 'S3CRET-node-never-printed';

const CREDENTIALS = {
  customerId: '00000000-0000-4000-8000-000000000001',
  applicationId: 'a',
  serviceId: 's',
  serviceVersionId: 'v',
  clientCt: 'c',
  clientObjectId: 'o',
};

test('validation errors are thrown before anything is sent', () =>
  withSandbox({}, async (sb, client) => {
    const [tenant] = (await client.tenants.list({ pageSize: 1 })).data;
    sb.injectFault({ kind: 'latency', ms: 0 });
    const error = await client.protectedIdentities
      .create({ tenant: tenant.id, sub_tenant: tenant.id, ssn: '19811218-9875' })
      .catch((e) => e);
    assert.ok(error instanceof pigello.ValidationError);
    assert.ok(error instanceof pigello.PigelloError && error instanceof Error);
    assert.equal(error.code, 'validation_error');
    const rules = error.errors.map((e) => `${e.path} ${e.rule}`);
    assert.ok(rules.includes('ssn luhn'), rules.join());
    assert.ok(rules.includes('tenant cannot_be_set_with'), rules.join());
    const item = error.errors.find((e) => e.path === 'ssn');
    assert.ok(item instanceof pigello.ValidationIssue);
    assert.equal(String(item), `ssn: ${item.message}`);

    const bulk = await client.tenants.bulkWrite([{ first_name: 'ok' }, { ssn: '123' }]).catch((e) => e);
    assert.ok(bulk instanceof pigello.ValidationError);
    assert.ok(bulk.errors.some((e) => e.path === '[1].ssn' && e.rule === 'min_length'));

    const query = await client.tenants.list({ filters: { first_name__sounds_like: 'x' } }).catch((e) => e);
    assert.ok(query instanceof pigello.ValidationError);
    assert.equal(query.code, 'invalid_query');
    assert.equal(query.errors[0].path, 'first_name__sounds_like');
    assert.deepEqual(sb.faultHits(), [0]);
  }));

for (const [status, Class] of [
  [403, pigello.PermissionDeniedError],
  [409, pigello.ConflictError],
  [429, pigello.RateLimitError],
  [500, pigello.InternalServerError],
  [503, pigello.InternalServerError],
  [418, pigello.APIError],
]) {
  test(`status ${status} is a ${Class.name}`, () =>
    withSandbox({}, async (sb) => {
      const client = sb.client({ maxRetries: 0 });
      sb.injectFault({ kind: 'status', status, retryAfter: 7, count: 1 });
      const error = await client.tenants.list().catch((e) => e);
      assert.ok(error instanceof Class, String(error));
      assert.ok(error instanceof pigello.APIError);
      assert.equal(error.name, Class.name);
      assert.equal(error.status, status);
      assert.match(error.requestId, /^req_/);
      assert.match(error.body, /"status"/);
      assert.equal(typeof error.code, 'string');
      assert.equal(error.retryAfter, 7, `${Class.name} carries Retry-After like every APIError`);
      assert.match(error.stack, /errors\.test\.js/);
    }));
}

test('bad request, not found and conflict from the server', () =>
  withSandbox({}, async (sb, client) => {
    const tenant = await client.tenants.create({ first_name: 'Unik' });
    await client.protectedIdentities.create({ tenant: tenant.id });
    const error = await client.protectedIdentities.create({ tenant: tenant.id }).catch((e) => e);
    assert.ok(error instanceof pigello.BadRequestError);
    assert.equal(error.status, 400);
    assert.deepEqual(
      error.errors.map((e) => ({ ...e })),
      [{ path: 'tenant', rule: 'unique', message: 'another Protectedidentity already has this tenant' }],
    );
    const missing = await client.tenants.get('00000000-0000-4000-8000-0000000000ff').catch((e) => e);
    assert.ok(missing instanceof pigello.NotFoundError);
    assert.equal(missing.code, 'not_found');
    await assert.rejects(client.tenants.delete(tenant), pigello.ConflictError);
  }));

test('authentication errors, and no secret in any message, stack or inspection', () =>
  withSandbox({ requireSecret: SECRET, tenants: 2 }, async (sb, good) => {
    const bad = new pigello.Client({ ...CREDENTIALS, clientSecret: `wrong-${SECRET}`, baseUrl: sb.url, maxRetries: 0 });
    const error = await bad.tenants.list().catch((e) => e);
    assert.ok(error instanceof pigello.AuthenticationError);
    assert.equal(error.status, 401);
    const invalid = await good.tenants.create({ invoice_email: 'nope' }).catch((e) => e);
    assert.ok(invalid instanceof pigello.ValidationError);
    const missing = (() => {
      try {
        return new pigello.Client({ ...CREDENTIALS, clientSecret: '' });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(missing instanceof pigello.PigelloError);
    assert.match(missing.message, /clientSecret/);
    const texts = [
      util.inspect(good, { depth: 10, showHidden: true }),
      util.inspect(bad, { depth: 10, showHidden: true }),
      JSON.stringify(good),
      JSON.stringify(bad),
      util.inspect(bad.tenants, { depth: 10 }),
      util.inspect(sb, { depth: 10 }),
      error.message,
      error.stack,
      util.inspect(error, { depth: 10 }),
      error.body,
      invalid.stack,
      util.inspect(invalid, { depth: 10 }),
      JSON.stringify(error),
    ];
    for (const text of texts) assert.ok(!text.includes(SECRET), text);
    assert.equal(JSON.stringify(good), JSON.stringify({ baseUrl: sb.url }));
  }));

test('a lost create is not retried, and says its outcome is unknown', () =>
  withSandbox({}, async (sb, client) => {
    sb.injectFault({ kind: 'drop_after_write', method: 'POST', path: '*/tenant/', count: 1 });
    const error = await client.tenants.create({ first_name: 'Dubbel' }).catch((e) => e);
    assert.ok(error instanceof pigello.APIConnectionError);
    assert.equal(error.outcomeUnknown, true);
    assert.equal(error.code, 'connection_error');
    const stored = await client.tenants.list({ filters: { first_name: 'Dubbel' } });
    assert.equal(stored.data.length, 1);
  }));

test('a patch applied, then refused on its retry, says its outcome is unknown', () =>
  withSandbox({}, async (sb, client) => {
    const tenant = await client.tenants.create({ first_name: 'Ett' });
    const path = `*/tenant/${tenant.id}/`;
    const lost = sb.injectFault({ kind: 'drop_after_write', method: 'PATCH', path, count: 1 });
    const busy = sb.injectFault({ kind: 'status', status: 503, method: 'PATCH', path });
    const error = await client.tenants.update(tenant, { last_name: 'Berg' }).catch((e) => e);
    const hits = sb.faultHits();
    assert.deepEqual([hits[lost], hits[busy]], [1, 2]);
    assert.ok(error instanceof pigello.InternalServerError);
    assert.equal(error.outcomeUnknown, true);
    assert.match(error.message, /outcome unknown/);
    sb.clearFaults();
    assert.equal((await client.tenants.get(tenant)).last_name, 'Berg');
    sb.injectFault({ kind: 'status', status: 503, method: 'PATCH', path });
    const plain = await client.tenants.update(tenant, { last_name: 'Ek' }).catch((e) => e);
    assert.equal(plain.outcomeUnknown, false);
  }));

test('timeouts and refused connections', () =>
  withSandbox({}, async (sb) => {
    const slow = sb.client({ timeout: 200, maxRetries: 0 });
    sb.injectFault({ kind: 'latency', ms: 1000, count: 1 });
    const timeout = await slow.tenants.list().catch((e) => e);
    assert.ok(timeout instanceof pigello.APITimeoutError);
    assert.ok(timeout instanceof pigello.APIConnectionError);
    assert.equal(timeout.code, 'timeout');
    const closed = new pigello.Client({ ...CREDENTIALS, clientSecret: 'x', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
    const refused = await closed.tenants.list().catch((e) => e);
    assert.ok(refused instanceof pigello.APIConnectionError);
    assert.equal(refused.outcomeUnknown, false);
  }));

test('a bulk write that stops part way says what was written', () =>
  withSandbox({}, async (sb, client) => {
    const owners = [];
    for (let i = 0; i < 3; i++) owners.push(await client.tenants.create({ first_name: `T${i}` }));
    await client.protectedIdentities.create({ tenant: owners[1].id });
    const error = await client.protectedIdentities
      .bulkWrite(owners.map((owner) => ({ tenant: owner.id })))
      .catch((e) => e);
    assert.ok(error instanceof pigello.BulkWriteError);
    assert.deepEqual([error.written, error.failed, error.notAttempted], [
      { start: 0, end: 0 },
      { start: 0, end: 3 },
      { start: 3, end: 3 },
    ]);
    assert.ok(error.cause instanceof pigello.BadRequestError);
    assert.equal(error.cause.errors[0].path, '[1].tenant');
    const none = await client.protectedIdentities.list({ filters: { tenant: owners[0].id } });
    assert.equal(none.data.length, 0);
  }));

test('wrong arguments are clear errors', () =>
  withSandbox({}, async (sb, client) => {
    await assert.rejects(client.tenants.list({ first_name: 'x' }), /filters go in \{ filters/);
    await assert.rejects(client.tenants.get('not-a-uuid'), pigello.ValidationError);
    await assert.rejects(client.tenants.get(42), (e) => e instanceof TypeError && /^id must be/.test(e.message));
    await assert.rejects(client.tenants.bulkWrite({}), (e) => e instanceof TypeError && /takes an array/.test(e.message));
    await assert.rejects(client.tenants.list({ filters: { first_name: null } }), /cannot be null/);
    await assert.rejects(client.tenants.list({ orderBy: 5 }), /list\(\) option orderBy must be a string/);
    assert.throws(() => sb.injectFault({ kind: 'flood' }), pigello.PigelloError);
    assert.throws(() => sb.injectFault({ kind: 'status', statsu: 503 }), /statsu/);
    assert.equal(sb.injectFault({ kind: 'status', status: 503, retryAfter: 1, count: 1 }) >= 0, true);
  }));

test('a Rust panic reaches JavaScript as a PigelloError', () =>
  withSandbox({}, async (sb, client) => {
    // The addon's own client, reached below the package's layer: its test-only
    // method panics inside the guard every native call runs in.
    const native = require('../../bindings-node/native.js');
    const { translate } = require('../../bindings-node/errors.js');
    const raw = new native.NativeClient({ options: JSON.stringify({ ...CREDENTIALS, clientSecret: 'x', baseUrl: sb.url }) });
    const error = await raw._panicForTests().catch(translate);
    assert.ok(error instanceof pigello.PigelloError);
    assert.equal(error.code, 'internal_error');
    assert.match(error.message, /deliberate panic.*this is a bug, please report it/);
    assert.ok((await client.tenants.list()).data.length > 0, 'the addon still works');
  }));

test('Client.fromEnv reads PIGELLO_* and names a missing variable', () =>
  withSandbox({}, async (sb) => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        PIGELLO_BASE_URL: sb.url,
        PIGELLO_CUSTOMER_ID: CREDENTIALS.customerId,
        PIGELLO_APPLICATION_ID: 'a',
        PIGELLO_SERVICE_ID: 's',
        PIGELLO_SERVICE_VERSION_ID: 'v',
        PIGELLO_CLIENT_CT: 'c',
        PIGELLO_CLIENT_OBJECT_ID: 'o',
        PIGELLO_CLIENT_SECRET: SECRET,
      });
      const client = pigello.Client.fromEnv({ maxRetries: 0 });
      assert.equal(client.baseUrl, sb.url);
      assert.equal((await client.tenants.list({ pageSize: 3 })).data.length, 3);
      delete process.env.PIGELLO_SERVICE_ID;
      const error = (() => {
        try {
          return pigello.Client.fromEnv();
        } catch (e) {
          return e;
        }
      })();
      assert.ok(error instanceof pigello.PigelloError);
      assert.match(error.message, /PIGELLO_SERVICE_ID/);
      assert.ok(!error.message.includes(SECRET));
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  }));

test('client and sandbox options of the wrong type or name are refused by name', () =>
  withSandbox({}, async (sb) => {
    assert.throws(() => new pigello.Client({ ...CREDENTIALS, clientSecret: 5 }), /clientSecret must be a string/);
    assert.throws(() => new pigello.Client({ ...CREDENTIALS, clientSecret: 'x', timeout: -1 }), /timeout must be/);
    assert.throws(() => new pigello.Client({ ...CREDENTIALS, clientSecret: 'x', timeoutMs: 300 }), /no option "timeoutMs"/);
    assert.equal(new pigello.Client({ ...CREDENTIALS, clientSecret: 'x', timeout: 300 }).timeout, 300);
    assert.throws(() => sb.client({ timeout: '5' }), TypeError);
    await assert.rejects(pigello.Sandbox.start({ port: 70000 }), /port must be a port number/);
    assert.throws(
      () => new pigello.Client({ ...CREDENTIALS, clientSecret: 5 }),
      (e) => e instanceof TypeError && !/convert/i.test(e.message),
    );
  }));

test("an option in Python's spelling names Node's", async () => {
  const sb = await pigello.Sandbox.start({ tenants: 1 });
  try {
    const client = sb.client();
    await assert.rejects(client.tenants.list({ page_size: 3 }), (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /has no option "page_size"; did you mean pageSize\?$/);
      return true;
    });
  } finally {
    await sb.stop();
  }
});
