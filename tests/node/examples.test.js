'use strict';
// The Node example, run as a user runs it, so it cannot rot.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

test('the quickstart runs against the sandbox', () => {
  const script = join(__dirname, '..', '..', 'examples', 'node', 'quickstart.mjs');
  const env = { PATH: process.env.PATH }; // no PIGELLO_* credentials: it uses the sandbox
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8', env });
  assert.match(out, /got [0-9a-f-]{36}: /);
  assert.match(out, /\d+ companies, fetched 10 a page/);
  assert.match(out, /refused before sending:\n {2}ssn: /);
});

test("the telemetry example shows each attempt under the caller's span", () => {
  const script = join(__dirname, '..', '..', 'examples', 'node', 'telemetry.mjs');
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  const spans = out.split('\n').filter((line) => line.includes('  (span '));
  assert.deepEqual(
    spans.map((line) => line.split('  (')[0]),
    [
      'GET /accounts/users/customer/tenant/list/',
      'GET /accounts/users/customer/tenant/list/',
      'GET /accounts/users/customer/tenant/{pk}/',
      'nightly export',
    ],
  );
  const job = /\(span ([0-9a-f]{16}),/.exec(spans[3])[1];
  assert.equal(spans.filter((line) => line.endsWith(`parent ${job})`)).length, 3);
  assert.match(out, /http\.request\.resend_count=1/);
  const sent = /traceparent 00-[0-9a-f]{32}-([0-9a-f]{16})-0[0-9]/.exec(out)[1];
  assert.match(spans[2], new RegExp(`span ${sent},`));
});

test('one version: the package, the addon and the crates', () => {
  const pkg = require('../../package.json');
  const cargo = require('node:fs').readFileSync(join(__dirname, '..', '..', 'Cargo.toml'), 'utf8');
  const crate = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1];
  assert.equal(pkg.version, crate);
  assert.equal(require('pigello').version, crate);
});
