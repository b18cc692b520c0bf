'use strict';
const util = require('node:util');
const native = require('./native.js');
const { checked, sendOf, CLIENT_OPTIONS, SETTINGS } = require('./options.js');
const { runNative } = require('./calls.js');
const { logOf } = require('./logging.js');
const { Resource, InvitableResource } = require('./resource.js');

const RESOURCES = native.resources();
const FROM_NATIVE = Symbol('pigello.fromNative');
const LOG = Symbol('pigello.log');

/** @typedef {import('./native.js').NativeClient} NativeClient */
/** @typedef {import('./logging.js').Log} Log */
/** @typedef {import('./options.js').Options} Options */

/**
 * A client's options, or (under the package's own symbols) a native client
 * made elsewhere and how it logs.
 * @typedef {Options & { [FROM_NATIVE]?: NativeClient, [LOG]?: Log }} ClientArgument
 */

/** The Pigello API. Resources are properties: `client.tenants`, ... */
class Client {
  /** @type {NativeClient} */
  #native;
  /** @type {Log} */
  #log;

  /** @param {ClientArgument} [options] */
  constructor(options) {
    let nativeClient = options?.[FROM_NATIVE];
    // A native client made elsewhere comes with its log (`clientOf`); without
    // one, both are made here.
    let log = /** @type {Log} */ (options?.[LOG]);
    if (nativeClient === undefined) {
      const accepted = checked(options, CLIENT_OPTIONS, 'new Client');
      log = logOf(accepted);
      nativeClient = runNative(() => new native.NativeClient(sendOf(accepted, log.tag)));
    }
    this.#native = nativeClient;
    this.#log = log;
    for (const info of RESOURCES) {
      const Kind = info.invite ? InvitableResource : Resource;
      Object.defineProperty(this, info.property, {
        value: new Kind(nativeClient, info),
        enumerable: true,
      });
    }
  }

  /** A client from `PIGELLO_BASE_URL` and the seven `PIGELLO_*` credentials.
   * @param {Options} [options] */
  static fromEnv(options) {
    const accepted = checked(options, SETTINGS, 'Client.fromEnv');
    const log = logOf(accepted);
    const nativeClient = runNative(() => native.NativeClient.fromEnv(sendOf(accepted, log.tag)));
    return new Client({ [FROM_NATIVE]: nativeClient, [LOG]: log });
  }

  /** The same connections and credentials with other settings; what is left
   * out stays, and headers add to the client's.
   * @param {Options} [options] */
  withOptions(options) {
    const accepted = checked(options, SETTINGS, 'withOptions');
    const log = logOf(accepted, this.#log);
    const nativeClient = runNative(() => this.#native.withOptions(sendOf(accepted, log.tag)));
    return new Client({ [FROM_NATIVE]: nativeClient, [LOG]: log });
  }

  /** The level this client logs at (`'off'`, `'error'`, `'warn'`, `'info'`,
   * `'debug'`). */
  get logLevel() {
    return this.#log.level;
  }

  /** The base URL calls go to. */
  get baseUrl() {
    return this.#native.baseUrl;
  }

  /** The timeout of one attempt, in milliseconds. */
  get timeout() {
    return this.#native.timeout;
  }

  /** The retries after a first attempt. */
  get maxRetries() {
    return this.#native.maxRetries;
  }

  /** Whether `close()` was called on this client or one sharing its connections. */
  get isClosed() {
    return this.#native.isClosed;
  }

  /** Closes the connections of this client and every client sharing them
   * (`withOptions`); a later call throws `PigelloError` ("client is closed")
   * without sending anything. */
  close() {
    this.#native.close();
  }

  async [Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')]() {
    this.close();
  }

  toJSON() {
    return { baseUrl: this.baseUrl };
  }

  [util.inspect.custom]() {
    return `Client { baseUrl: ${JSON.stringify(this.baseUrl)} }`;
  }
}

/** A Client over a native client made elsewhere (`fromEnv`, a sandbox's).
 * @param {NativeClient} nativeClient
 * @param {Log} log */
function clientOf(nativeClient, log) {
  return new Client({ [FROM_NATIVE]: nativeClient, [LOG]: log });
}

module.exports = { Client, clientOf };
