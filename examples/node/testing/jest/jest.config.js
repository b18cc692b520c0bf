// jest: one sandbox for the run, started by globalSetup and stopped by
// globalTeardown in the main process; the workers inherit the environment.
//
//     npx jest --config examples/node/testing/jest/jest.config.js
module.exports = {
  rootDir: __dirname,
  globalSetup: '<rootDir>/global-setup.js',
  globalTeardown: '<rootDir>/global-teardown.js',
};
