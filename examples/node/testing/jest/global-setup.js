const { Sandbox } = require('pigello');

module.exports = async () => {
  const sandbox = await Sandbox.start({ seed: 1, tenants: 30 });
  Object.assign(process.env, sandbox.env());
  globalThis.pigelloSandbox = sandbox; // what globalTeardown stops
};
