import { test } from 'node:test';
import assert from 'node:assert/strict';
import app from '../app.js';
import seen from '../seen.js';

test('the app counts the tenants of the sandbox the run started', async () => {
  const tenants = await app.countTenants();
  seen.recordSeen(tenants);
  assert.equal(tenants, 30);
});
