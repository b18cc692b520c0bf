const { countTenants } = require('../app.js');
const { recordSeen } = require('../seen.js');

test('the app counts the tenants of the sandbox the run started', async () => {
  const tenants = await countTenants();
  recordSeen(tenants);
  expect(tenants).toBe(30);
});
