'use strict';
// Cassettes from Node: the cassette tests/python/test_cassettes.py records
// replays here with the same calls and no network, and a request it does not
// hold is refused before anything is sent.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { CassetteError, Client, PigelloError, Sandbox } = require('pigello');

const SHARED = join(__dirname, '..', 'cassettes', 'tenants.jsonl');
const NOWHERE = 'http://127.0.0.1:9'; // nothing listens: only a cassette can answer
const CREDENTIALS = {
  customerId: 'c',
  applicationId: 'a',
  serviceId: 's',
  serviceVersionId: 'v',
  clientCt: 'ct',
  clientObjectId: 'o',
  clientSecret: 'never-recorded',
};

/** The bodies of the answers the cassette recorded with status 200, in order. */
function bodies(path) {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line).response)
    .filter((response) => response.status === 200)
    .map((response) => response.body);
}

test('the cassette Python recorded replays in Node, a 503 and its retry included', async () => {
  const client = new Client({ baseUrl: NOWHERE, cassette: SHARED, recordMode: 'none', maxRetries: 2, ...CREDENTIALS });
  // The same calls as Python's, with the options in another order.
  const first = await client.tenants.list({ orderBy: 'last_name', page: 1, pageSize: 5 });
  const second = await client.tenants.list({ pageSize: 5, orderBy: 'last_name', page: 2 });
  const one = await client.tenants.get(first.data[0].id);
  const [firstPage, secondPage, tenant] = bodies(SHARED);
  assert.deepEqual(first.data.map((t) => t.id), firstPage.map((row) => row.id));
  assert.deepEqual(second.data.map((t) => t.id), secondPage.map((row) => row.id));
  assert.equal(one.id, tenant.id);
});

test('a request the cassette does not hold is refused and nothing is sent', async () => {
  const sandbox = await Sandbox.start({ seed: 1, tenants: 12 });
  try {
    const client = sandbox.client({ cassette: SHARED, recordMode: 'none' });
    await assert.rejects(
      client.tenants.list({ page: 3, pageSize: 5, filters: { ssn: '19811218-9876' } }),
      (error) => {
        assert.ok(error instanceof CassetteError);
        assert.equal(error.code, 'cassette_unmatched');
        assert.equal(error.method, 'GET');
        assert.equal(error.path, '/accounts/users/customer/tenant/list/');
        assert.match(error.closest, /^GET \/accounts\/users\/customer\/tenant\/list\/\?/);
        assert.doesNotMatch(error.message, /19811218/);
        return true;
      },
    );
    assert.deepEqual(sandbox.requests(), []);
  } finally {
    await sandbox.stop();
  }
});

test('a client records into a cassette that replays after the sandbox stops', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'pigello-cassette-'));
  try {
    const path = join(folder, 'node.jsonl');
    const sandbox = await Sandbox.start({ tenants: 6 });
    const recorded = await sandbox.client({ cassette: path }).tenants.list({ pageSize: 4 });
    await sandbox.stop();
    const replayed = await new Client({ baseUrl: NOWHERE, cassette: path, ...CREDENTIALS }).tenants.list({ pageSize: 4 });
    assert.deepEqual(replayed.data.map((t) => t.id), recorded.data.map((t) => t.id));
    assert.doesNotMatch(readFileSync(path, 'utf8'), /sandbox-secret|never-recorded/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a bad cassette or mode is refused naming the file, the line or the modes', () => {
  const folder = mkdtempSync(join(tmpdir(), 'pigello-cassette-'));
  try {
    const bad = join(folder, 'bad.jsonl');
    writeFileSync(bad, '{"pigello_cassette":1}\n{"request": [}\n');
    assert.throws(() => new Client({ baseUrl: NOWHERE, cassette: bad, ...CREDENTIALS }), (error) => {
      assert.ok(error instanceof CassetteError);
      assert.equal(error.code, 'cassette_invalid');
      assert.equal(error.line, 2);
      assert.equal(error.file, bad);
      return true;
    });
    assert.throws(
      () => new Client({ baseUrl: NOWHERE, cassette: bad, recordMode: 'newEpisodes', ...CREDENTIALS }),
      (error) => error instanceof PigelloError && /must be one of once, new_episodes, none, all/.test(error.message),
    );
    assert.throws(
      () => new Client({ baseUrl: NOWHERE, cassette: join(folder, 'none.jsonl'), recordMode: 'none', ...CREDENTIALS }),
      /the file does not exist/,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('anonymize records fakes in place of the personal values, which replay', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'pigello-cassette-'));
  try {
    const path = join(folder, 'anonymized.jsonl');
    const sandbox = await Sandbox.start({ seed: 2, tenants: 20 });
    const state = sandbox.exportState();
    const personal = Object.values(state.customers)
      .flatMap((customer) => customer.tenants)
      .flatMap((row) => ['ssn', 'orgnr', 'email', 'invoice_email', 'phone_number'].map((field) => row[field]))
      .filter((value) => typeof value === 'string' && value.length > 0);
    const recorded = await sandbox.client({ cassette: path, anonymize: true }).tenants.list({ pageSize: 20 });
    await sandbox.stop();
    const text = readFileSync(path, 'utf8');
    assert.ok(text.startsWith('{"pigello_cassette":1,"anonymized":true}\n'));
    assert.ok(personal.length > 20);
    assert.deepEqual(personal.filter((value) => text.includes(value)), []);
    const replayed = await new Client({ baseUrl: NOWHERE, cassette: path, ...CREDENTIALS }).tenants.list({ pageSize: 20 });
    const person = recorded.data.findIndex((t) => typeof t.ssn === 'string');
    assert.equal(replayed.data[person].id, recorded.data[person].id);
    assert.notEqual(replayed.data[person].ssn, recorded.data[person].ssn);
    assert.equal(replayed.data[person].ssn.length, recorded.data[person].ssn.length);
    assert.throws(() => new Client({ baseUrl: NOWHERE, anonymize: true, ...CREDENTIALS }), /anonymize is given without cassette/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
