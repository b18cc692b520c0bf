// vitest: one sandbox for the run, started by globalSetup in the main
// process; the workers inherit the environment it exports.
//
//     npx vitest run --config examples/node/testing/vitest/vitest.config.mjs
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    globalSetup: ['./global-setup.mjs'],
  },
});
