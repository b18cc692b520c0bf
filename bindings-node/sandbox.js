'use strict';
const util = require('node:util');
const native = require('./native.js');
const { objectText } = require('./json.js');
const { checked, sendOf, invalid, SANDBOX_OPTIONS, SETTINGS } = require('./options.js');
const { awaitNative, runNative } = require('./calls.js');
const { logOf } = require('./logging.js');
const { clientOf } = require('./client.js');

/** @typedef {import('./native.js').NativeSandbox} NativeSandbox */
/** @typedef {import('./options.js').Options} Options */

/** A local Pigello Accounts API in this process, on a free loopback port. */
class Sandbox {
  /** @type {NativeSandbox} */
  #native;

  /** @param {unknown} nativeSandbox What `start` made; anything else is refused. */
  constructor(nativeSandbox) {
    if (!(nativeSandbox instanceof native.NativeSandbox)) {
      throw invalid('start a sandbox with `await Sandbox.start({ ... })`');
    }
    this.#native = nativeSandbox;
  }

  /** Starts a sandbox: `{ seed, tenants, requireSecret, port }`, each the sandbox's default when left out.
   * @param {Options} [options] */
  static async start(options) {
    const accepted = checked(options, SANDBOX_OPTIONS, 'Sandbox.start');
    return new Sandbox(await awaitNative(native.startSandbox(sendOf(accepted).options)));
  }

  /** The base URL, `http://127.0.0.1:PORT`. */
  get url() {
    return this.#native.url;
  }

  /** A client holding credentials for the first seeded customer.
   * @param {Options} [options] */
  client(options) {
    const accepted = checked(options, SETTINGS, 'sandbox.client');
    const log = logOf(accepted);
    const nativeClient = runNative(() => this.#native.client(sendOf(accepted, log.tag)));
    return clientOf(nativeClient, log);
  }

  /** The `PIGELLO_*` variables that make `Client.fromEnv()` reach this sandbox:
   * `{ ...process.env, ...sandbox.env() }` for a child process, or a test
   * runner's global setup that exports them to its workers. */
  env() {
    return Object.fromEntries(runNative(() => this.#native.env()));
  }

  /** Back to the seeded world; fault rules are cleared. */
  reset() {
    runNative(() => this.#native.reset());
  }

  /** Adds a fault rule (`{ kind: 'status', status: 503 }`, ...); returns its index.
   * @param {Record<string, unknown>} rule */
  injectFault(rule) {
    return runNative(() => this.#native.injectFault(objectText(rule, ['injectFault() rule'])));
  }

  /** How many times each fault rule fired, in the order they were added. */
  faultHits() {
    return runNative(() => this.#native.faultHits());
  }

  /** Removes every fault rule. */
  clearFaults() {
    runNative(() => this.#native.clearFaults());
  }

  /** The last requests the API received, oldest first: `{ requestId, method,
   * path, query, headers, bodyKeys }`, the credential headers redacted. */
  requests() {
    return runNative(() => this.#native.requests());
  }

  /** Forgets the requests received so far. */
  clearRequests() {
    runNative(() => this.#native.clearRequests());
  }

  /** The whole state, as the state file holds it. */
  exportState() {
    return runNative(() => this.#native.exportState());
  }

  /** Replaces the state with an exported one (refused whole if it breaks a rule).
   * @param {Record<string, unknown>} state */
  importState(state) {
    runNative(() => this.#native.importState(objectText(state, ['importState() state'])));
  }

  /** Stops the server; later calls to it fail to connect. */
  stop() {
    return awaitNative(this.#native.stop());
  }

  async [Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')]() {
    await this.stop();
  }

  [util.inspect.custom]() {
    return `Sandbox { url: ${JSON.stringify(this.url)} }`;
  }
}

module.exports = { Sandbox };
