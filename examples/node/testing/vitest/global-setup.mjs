import { Sandbox } from 'pigello';

export default async function setup() {
  const sandbox = await Sandbox.start({ seed: 1, tenants: 30 });
  Object.assign(process.env, sandbox.env());
  return () => sandbox.stop(); // vitest's teardown
}
