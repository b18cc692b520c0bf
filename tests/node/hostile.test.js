'use strict';
// Hostile inputs through the package, each in its own process (so a crash or a
// hang shows): every one is refused with the package's error, a TypeError or a
// RangeError that says where, within its deadline, and nothing is sent.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const pigello = require('pigello');
const { CASES, CREDENTIALS, SECRET, PERSONAL_NUMBER } = require('./hostile_cases.js');

// Past this a refusal counts as a hang (meant to take well under a second;
// the margin is for a loaded machine and the tests' debug build). A million
// items take longer to check, and get longer.
const HANG_MS = 20_000;
const MILLION_ITEMS_MS = 180_000;
const RUNNER = path.join(__dirname, 'hostile_cases.js');

test('every hostile input is refused before sending, in its own process', async () => {
  const sb = await pigello.Sandbox.start({ seed: 1, tenants: 3 });
  try {
    const [tenant] = (await sb.client().tenants.list({ pageSize: 1 })).data;
    for (const [name, [, classes, word]] of Object.entries(CASES)) {
      sb.clearFaults();
      const watch = sb.injectFault({ kind: 'latency', ms: 0 });
      // Async, so the sandbox in this process keeps serving while the child runs.
      const outcome = await runAlone(name, sb.url, tenant.id);
      assert.equal(sb.faultHits()[watch], 0, `${name}: a request was sent`);
      assert.ok(classes.includes(outcome.kind), `${name}: ${outcome.kind}: ${outcome.message}`);
      assert.ok(outcome.message.includes(word), `${name}: ${outcome.message}`);
      assert.doesNotMatch(outcome.stack, /InvalidArg|NumberExpected|GenericFailure/, name);
      for (const secret of [SECRET, PERSONAL_NUMBER]) {
        assert.ok(!outcome.stack.includes(secret), `${name}: ${outcome.stack}`);
      }
    }
  } finally {
    sb.clearFaults();
    await sb.stop();
  }
});

/** Runs one case in a child process: its outcome, or a failure for a crash or a hang. */
function runAlone(name, url, id) {
  const { execFile } = require('node:child_process');
  return new Promise((resolve, reject) => {
    const deadline = name.includes('million') ? MILLION_ITEMS_MS : HANG_MS;
    execFile(process.execPath, [RUNNER, name, url, id], { timeout: deadline, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error?.killed) return reject(new Error(`${name}: hung for ${deadline} ms`));
      if (error) return reject(new Error(`${name}: the process died (${error.code ?? error.signal}): ${stderr}`));
      resolve(JSON.parse(stdout));
    });
  });
}

test('1 000 concurrent calls on one client', async () => {
  const sb = await pigello.Sandbox.start({ seed: 1, tenants: 3 });
  try {
    const client = new pigello.Client({ ...CREDENTIALS, clientSecret: 'x', baseUrl: sb.url });
    const made = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => client.tenants.create({ first_name: `Samtidig ${i}` })),
    );
    assert.equal(new Set(made.map((t) => t.id)).size, 1000);
    const read = await Promise.all(made.map((t) => client.tenants.get(t)));
    assert.deepEqual(read.map((t) => t.first_name), made.map((t) => t.first_name));
    const listed = await client.tenants.list({ filters: { first_name__startswith: 'Samtidig' }, pageSize: 1 });
    assert.equal(listed.total ?? 1000, 1000);
  } finally {
    await sb.stop();
  }
});

test('a child process that crashes is seen as one', () => {
  // The runner itself: a case name it does not know makes it throw, and the
  // harness must see a failed process rather than an outcome.
  const run = spawnSync(process.execPath, [RUNNER, 'no such case', 'http://127.0.0.1:9', 'x']);
  assert.notEqual(run.status, 0);
});
