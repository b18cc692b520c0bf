'use strict';
// package.json says Node 18 and later. What the JavaScript layer takes from
// newer engines has a fallback, tested here with the newer API taken away;
// the aarch64 addon package ran the quickstart on Node 18 under qemu-user.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

const JSON_JS = join(__dirname, '..', '..', 'bindings-node', 'json.js');

test('lone surrogates are refused without String.prototype.isWellFormed (Node 18)', () => {
  const script = `
    delete String.prototype.isWellFormed;
    const { checkText } = require(${JSON.stringify(JSON_JS)});
    const verdict = (text) => { try { checkText(text, ['s']); return 'ok'; } catch (e) { return e.name; } };
    const texts = ['plain', 'pair \\ud83d\\ude00', 'a\\ud800', '\\udfff', 'b\\ud800x', '\\ude00\\ud83d', ''];
    console.log(JSON.stringify(texts.map(verdict)));`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), ['ok', 'ok', 'RangeError', 'RangeError', 'RangeError', 'RangeError', 'ok']);
});
