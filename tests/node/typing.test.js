'use strict';
// The generated declarations: a typed sample compiles under `tsc --strict`
// (the mistakes it marks with @ts-expect-error must be refused), and they
// declare exactly what the package exports.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const pigello = require('pigello');

const root = join(__dirname, '..', '..');

test('the typed sample compiles with tsc --strict --noEmit', () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', join(__dirname, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    output = `${error.stdout}${error.stderr}` || String(error);
  }
  assert.equal(output, '');
});

test('the declarations name every export, and nothing else', () => {
  const declarations = readFileSync(join(root, 'bindings-node', 'index.d.ts'), 'utf8');
  const declared = [...declarations.matchAll(/^export declare (?:class|const) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), Object.keys(pigello).sort());
});
