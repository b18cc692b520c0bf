'use strict';
// Testing code that uses pigello: a sandbox's environment reaches a child
// process's `Client.fromEnv()`, and the recipes of examples/node/testing (one
// sandbox for a whole node:test, vitest or jest run) work with the real runners.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Sandbox } = require('pigello');

const ROOT = join(__dirname, '..', '..');
const RECIPES = join(ROOT, 'examples', 'node', 'testing');

/** The environment of this process without any PIGELLO_* variable, nor the
 * one node:test sets for the files it runs (a runner started under it would
 * report to it instead of running its own files). */
function withoutPigello() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PIGELLO_') && name !== 'NODE_TEST_CONTEXT'),
  );
}

test("a sandbox's env() makes a child process's Client.fromEnv() reach it", async () => {
  const sandbox = await Sandbox.start({ tenants: 4, requireSecret: 'only-this-sandbox' });
  try {
    const env = sandbox.env();
    assert.equal(env.PIGELLO_BASE_URL, sandbox.url);
    assert.equal(env.PIGELLO_CLIENT_SECRET, 'only-this-sandbox');
    const code =
      "const { Client } = require('pigello');" +
      'Client.fromEnv().tenants.list().then((page) => console.log(page.data.length));';
    const out = execFileSync(process.execPath, ['-e', code], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...withoutPigello(), ...env },
    });
    assert.equal(out.trim(), '4');
    assert.equal(sandbox.requests().length, 1);
  } finally {
    await sandbox.stop();
  }
});

/** Runs a recipe's command; what each of its test files recorded: `[pid, url, tenants]`. */
function runRecipe(command, args) {
  const folder = mkdtempSync(join(tmpdir(), 'pigello-recipe-'));
  const seenFile = join(folder, 'seen.txt');
  try {
    execFileSync(command, args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...withoutPigello(), SEEN_FILE: seenFile },
    });
    return readFileSync(seenFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Two test files, in two processes other than the runner's, reached one sandbox. */
function oneSandboxForTheRun(seen) {
  assert.equal(seen.length, 2, JSON.stringify(seen));
  const [[pidA, urlA, tenantsA], [pidB, urlB, tenantsB]] = seen;
  assert.notEqual(pidA, pidB, 'each test file ran in a process of its own');
  assert.match(urlA, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(urlA, urlB);
  assert.deepEqual([tenantsA, tenantsB], ['30', '30']);
}

const npxBin = (name) => join(ROOT, 'node_modules', '.bin', name);

test('node:test: a runner script starts one sandbox for the run', () => {
  oneSandboxForTheRun(runRecipe(process.execPath, [join(RECIPES, 'node-test', 'run.mjs')]));
});

test("vitest: globalSetup starts one sandbox for the run and its workers inherit the environment", () => {
  oneSandboxForTheRun(
    runRecipe(npxBin('vitest'), ['run', '--config', join(RECIPES, 'vitest', 'vitest.config.mjs')]),
  );
});

test('jest: globalSetup and globalTeardown share one sandbox with the workers', () => {
  const cache = mkdtempSync(join(tmpdir(), 'pigello-jest-cache-'));
  try {
    // A fresh cache: jest runs two quick files in its own process once it has their timings.
    oneSandboxForTheRun(
      runRecipe(npxBin('jest'), [
        '--config',
        join(RECIPES, 'jest', 'jest.config.js'),
        '--maxWorkers=2',
        '--cacheDirectory',
        cache,
      ]),
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
