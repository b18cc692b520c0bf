'use strict';
// The conformance table (tests/conformance/cases.json) through the Node
// package: the same inputs and outcomes the Rust and Python suites check.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const pigello = require('pigello');
const { RESOURCES } = require('./support.js');
const { register } = require('./otel.js');

const TABLE = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'conformance', 'cases.json'), 'utf8'),
);
const CASES = TABLE.cases.filter((c) => (c.languages ?? ['node']).includes('node'));
const CREDENTIALS = {
  customer_id: '00000000-0000-4000-8000-000000000001',
  application_id: 'a',
  service_id: 's',
  service_version_id: 'v',
  client_ct: 'c',
  client_object_id: 'o',
  client_secret: 'x',
};
const RECIPES = { Tenant: { first_name: 'Konformans' }, Workengagement: { name: 'Konformans' } };

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

let sandbox;
before(async () => {
  sandbox = await pigello.Sandbox.start({ seed: 1, tenants: 30 });
});
after(async () => {
  await sandbox.stop();
});

function resourceOf(client, name) {
  const property = RESOURCES.find((p) => client[p].name === name);
  assert.ok(property, `no resource ${name}`);
  return client[property];
}

/** Each `$new:Resource` string becomes the id of an object made for it, and
 * each `{ $repeat: [text, n] }` the text repeated, each `{ $nest: [n, value] }`
 * the value inside n arrays, and each `{ $date: day }` that day at UTC midnight. */
async function resolve(client, value) {
  if (value !== null && typeof value === 'object' && '$nest' in value) {
    let [depth, nested] = value.$nest;
    while (depth-- > 0) nested = [nested];
    return nested;
  }
  if (value !== null && typeof value === 'object' && '$date' in value) {
    return new Date(`${value.$date}T00:00:00.000Z`);
  }
  if (value !== null && typeof value === 'object' && '$repeat' in value) {
    const [text, n] = value.$repeat;
    return text.repeat(n);
  }
  if (typeof value === 'string' && value.startsWith('$new:')) {
    const kind = value.slice('$new:'.length);
    return (await resourceOf(client, kind).create(RECIPES[kind])).id;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolve(client, v)));
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolve(client, v);
    return out;
  }
  return value;
}

/** Runs the case's call; `otel`, when the case expects spans, records those
 * of the call itself (not those of the objects made for it). */
async function run(given, otel) {
  if (given.op === 'client') {
    const options = { baseUrl: given.base_url ?? sandbox.url };
    for (const [name, value] of Object.entries({ ...CREDENTIALS, ...given.credentials })) {
      if (value !== null) options[camel(name)] = value;
    }
    new pigello.Client(options);
    return { rows: [] };
  }
  const client = sandbox.client();
  const call = await resolve(client, given);
  sandbox.clearRequests();
  otel?.spans.reset();
  for (const rule of call.faults ?? []) sandbox.injectFault(rule);
  const resource = resourceOf(client, call.resource);
  const options = requestOptions(call);
  switch (call.op) {
    case 'get': {
      const { data, response } = await resource.get(call.id, options).withResponse();
      return { rows: [data], headers: response.headers };
    }
    case 'delete':
      await resource.delete(call.id, options);
      return { rows: [] };
    case 'create':
      return { rows: [await resource.create(call.body, options)] };
    case 'update':
      return { rows: [await resource.update(call.id, call.body, options)] };
    case 'bulk_write':
      return { rows: await resource.bulkWrite(call.items, options) };
    case 'invite':
      return { rows: [await resource.invite(call.body, options)] };
    case 'list': {
      const listOptions = { filters: call.filters ?? {} };
      if (call.page !== undefined) listOptions.page = call.page;
      if (call.page_size !== undefined) listOptions.pageSize = call.page_size;
      if (call.order_by !== undefined) listOptions.orderBy = call.order_by;
      if (call.search !== undefined) listOptions.search = call.search;
      if (call.statistics !== undefined) listOptions.statistics = call.statistics;
      const page = await resource.list(listOptions, options);
      return { rows: page.data, hasNext: page.hasNext };
    }
    default:
      throw new Error(`no op ${call.op}`);
  }
}

/** The case's request options as Node spells them (`timeout` in milliseconds). */
function requestOptions(call) {
  const options = {};
  if (call.timeout !== undefined) options.timeout = call.timeout * 1000;
  if (call.max_retries !== undefined) options.maxRetries = call.max_retries;
  if (call.extra_headers !== undefined) options.headers = call.extra_headers;
  if (call.extra_query !== undefined) options.extraQuery = call.extra_query;
  if (call.extra_body !== undefined) options.extraBody = call.extra_body;
  return options;
}

/** What the sandbox received for the call, against the case's `sent`. */
function checkSent(expect, received) {
  const sent = expect.sent;
  if (sent === undefined) return;
  if (sent === false) {
    assert.deepEqual(received, []);
    return;
  }
  assert.ok(received.length > 0, 'nothing was sent');
  const last = received[received.length - 1];
  const pairs = last.query.split('&');
  for (const pair of sent.query_has ?? []) assert.ok(pairs.includes(pair), last.query);
  for (const name of sent.query_lacks ?? []) {
    assert.ok(!pairs.some((p) => p.startsWith(`${name}=`)), last.query);
  }
  for (const key of sent.body_keys_have ?? []) assert.ok(last.bodyKeys.includes(key), String(last.bodyKeys));
  for (const key of sent.body_keys_lack ?? []) assert.ok(!last.bodyKeys.includes(key), String(last.bodyKeys));
  for (const [header, value] of Object.entries(sent.headers ?? {})) assert.equal(last.headers[header], value);
}

function checkRows(expect, { rows, hasNext, headers }) {
  assert.ok(expect.ok, `expected ${JSON.stringify(expect)}, got ${rows.length} rows`);
  if (expect.count !== undefined) assert.equal(rows.length, expect.count);
  if (expect.min_count !== undefined) assert.ok(rows.length >= expect.min_count);
  for (const [key, value] of Object.entries(expect.row ?? {})) assert.deepEqual(rows[0][key], value);
  for (const key of expect.rows_have ?? []) {
    assert.ok(rows.every((row) => row[key] !== null && row[key] !== undefined), key);
  }
  if (expect.has_next !== undefined) assert.equal(hasNext, expect.has_next);
  for (const [name, value] of Object.entries(expect.response_headers ?? {})) {
    assert.equal(headers?.[name], value, JSON.stringify(headers));
  }
  if (expect.ascending) {
    const values = rows.map((row) => row[expect.ascending]);
    assert.deepEqual(values, [...values].sort());
  }
}

function checkError(expect, error) {
  const wanted = typeof expect.error === 'object' ? expect.error.node : expect.error;
  assert.equal(error.constructor.name, wanted, `${JSON.stringify(expect)}: ${error.stack}`);
  if (expect.code !== undefined) assert.equal(error.code, expect.code, error.message);
  const text =
    typeof expect.message_contains === 'object' ? expect.message_contains?.node : expect.message_contains;
  if (text !== undefined) assert.ok(error.message.includes(text), error.message);
  if (expect.message_not_contains !== undefined) {
    assert.ok(!error.message.includes(expect.message_not_contains), error.message);
  }
  const issues = error.errors ?? [];
  if (expect.issues) {
    assert.deepEqual(
      issues.map((i) => [i.path, i.rule]),
      expect.issues.map((i) => [i.path, i.rule]),
      error.message,
    );
  }
  for (const want of [...(expect.issues ?? []), ...(expect.issues_include ?? [])]) {
    const hit = issues.find((i) => i.path === want.path && i.rule === want.rule);
    assert.ok(hit instanceof pigello.ValidationIssue, `${want.path} ${want.rule}: ${error.message}`);
    if (want.message_contains) assert.ok(hit.message.includes(want.message_contains), hit.message);
    if (want.message_not_contains) assert.ok(!hit.message.includes(want.message_not_contains), hit.message);
  }
}

test('the table is large enough', () => {
  assert.ok(CASES.length >= 60, `${CASES.length} cases`);
});

/** The CLIENT spans of the call's attempts against the case's `spans`: in
 * order, each with its name, its status and exactly the attributes listed
 * (`$any`: any value; `$port`: the sandbox's port). */
function checkSpans(expect, otel) {
  const port = Number(new URL(sandbox.url).port);
  const spans = otel.spans.getFinishedSpans().sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  assert.deepEqual(
    spans.map((span) => span.name),
    expect.spans.map((want) => want.name),
  );
  spans.forEach((span, i) => {
    const want = expect.spans[i];
    assert.equal(span.status.code === 2 ? 'error' : 'unset', want.status, span.name);
    assert.deepEqual(Object.keys(span.attributes).sort(), Object.keys(want.attributes).sort(), span.name);
    for (const [key, value] of Object.entries(want.attributes)) {
      if (value === '$port') assert.equal(span.attributes[key], port);
      else if (value !== '$any') assert.equal(span.attributes[key], value, key);
    }
  });
}

/** Runs the case and checks its outcome. */
async function checkCase(c, otel) {
  let outcome;
  try {
    outcome = await run(c.call, otel);
  } catch (error) {
    const expected = error instanceof pigello.PigelloError || error instanceof TypeError || error instanceof RangeError;
    if (!expected) throw error;
    sandbox.clearFaults();
    checkSent(c.expect, sandbox.requests());
    checkError(c.expect, error);
    return;
  }
  sandbox.clearFaults();
  checkSent(c.expect, sandbox.requests());
  checkRows(c.expect, outcome);
}

for (const c of CASES) {
  test(c.name, async () => {
    if (c.expect.spans === undefined) return checkCase(c);
    const otel = register();
    try {
      await checkCase(c, otel);
      checkSpans(c.expect, otel);
    } finally {
      otel.unregister();
    }
  });
}
