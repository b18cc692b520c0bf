// node:test: one sandbox for the whole run. This script starts it, exports
// its environment, runs the test files (each in a child process that inherits
// the environment) and stops it.
//
//     node examples/node/testing/node-test/run.mjs
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';
import { Sandbox } from 'pigello';

const sandbox = await Sandbox.start({ seed: 1, tenants: 30 });
Object.assign(process.env, sandbox.env());

const files = ['a.test.mjs', 'b.test.mjs'].map((name) => fileURLToPath(new URL(name, import.meta.url)));
const stream = run({ files, concurrency: 2 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(spec).pipe(process.stdout);
stream.on('end', () => sandbox.stop());
