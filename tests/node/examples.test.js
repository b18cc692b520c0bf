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

test('one version: the package, the addon and the crates', () => {
  const pkg = require('../../package.json');
  const cargo = require('node:fs').readFileSync(join(__dirname, '..', '..', 'Cargo.toml'), 'utf8');
  const crate = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1];
  assert.equal(pkg.version, crate);
  assert.equal(require('pigello').version, crate);
});
