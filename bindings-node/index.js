'use strict';
// The Pigello Core API (Accounts) SDK for Node. The native addon does the work
// (rules, requests, retries, the sandbox); this layer gives it Node's shape:
// classes, Promises, async iteration and error classes.

const util = require('node:util');
const native = require('./native.js');
const errors = require('./errors.js');
const OPTION_TABLE = require('./options.js');
const { checkText, jsonText, objectText } = require('./json.js');

const { translate, PigelloError } = errors;

/** Awaits a native call, throwing the package's error class on failure. */
async function awaitNative(promise) {
  try {
    return await promise;
  } catch (error) {
    throw translate(error);
  }
}

/** A native call whose answer is JSON text (a row, checked by the core), as
 * objects: `JSON.parse` builds them faster than the addon could hand them over. */
async function awaitNativeJson(promise) {
  return JSON.parse(await awaitNative(promise));
}

/** Runs a synchronous native call, throwing the package's error class on failure. */
function runNative(work) {
  try {
    return work();
  } catch (error) {
    throw translate(error);
  }
}

function invalid(message) {
  return new PigelloError(message, { code: 'invalid_argument' });
}

/** An id given as a string or as an object with an `id` (a row). */
function idOf(id) {
  if (typeof id === 'string') return id;
  if (id !== null && typeof id === 'object' && typeof id.id === 'string') return id.id;
  throw new TypeError('id must be a uuid string or an object with an `id`');
}

// How a value of each kind of option is checked; a wrong one is a TypeError
// naming the option, before the addon sees it. Which option is of which kind,
// and which method takes it, is the core's option table (options.js, generated).
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const isText = (v) => typeof v === 'string';
const isLogger = (v) => v !== null && typeof v === 'object'
  && ['error', 'warn', 'info', 'debug'].every((level) => typeof v[level] === 'function');
const VALUE_CHECKS = {
  milliseconds: ['a positive number of milliseconds', (v) => typeof v === 'number' && v > 0 && v < Infinity],
  count: ['a whole number from 0 to 4294967295', isCount],
  port: ['a port number from 0 to 65535', (v) => Number.isInteger(v) && v >= 0 && v <= 65535],
  flag: ['a boolean', (v) => typeof v === 'boolean'],
  text: ['a string', isText],
  orderBy: ['a string or an array of strings', (v) => isText(v) || (Array.isArray(v) && v.every(isText))],
  headers: ['an object of strings', (v) => isObject(v) && Object.values(v).every(isText)],
  object: ['an object', isObject],
  signal: ['an AbortSignal', (v) => v instanceof AbortSignal],
  logLevel: ["one of 'off', 'error', 'warn', 'info', 'debug'", isText],
  logger: ['an object with error, warn, info and debug methods', isLogger],
};
// The kinds whose values are JSON sent as they are, and those handed over as they are.
const JSON_KINDS = new Set(['object', 'headers']);
const OBJECT_KINDS = new Set(['signal', 'logger']);

const REQUEST_OPTIONS = new Set(OPTION_TABLE.REQUEST_OPTIONS);
/** What a method takes besides its request options (its own first argument). */
const ownOptions = (method) => new Set(OPTION_TABLE.TAKES[method].filter((name) => !REQUEST_OPTIONS.has(name)));
const LIST_OPTIONS = ownOptions('list');
const ITERATE_OPTIONS = ownOptions('iterate');
const CLIENT_OPTIONS = new Set(OPTION_TABLE.TAKES.client);
const SETTINGS = new Set(OPTION_TABLE.TAKES.clientSettings);
const SANDBOX_OPTIONS = new Set(OPTION_TABLE.TAKES.sandbox);

/** The options as given, refusing a key the method does not take (a filter
 * written outside `filters` would otherwise be dropped without a word), a
 * value of the wrong type, and anything the addon could not send exactly. */
function checked(options, allowed, method) {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) throw new TypeError(`${method}() takes an options object`);
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) {
      let hint = '';
      if (REQUEST_OPTIONS.has(key)) {
        hint = `; ${key} is a request option: it goes in the last argument ({ ${[...REQUEST_OPTIONS].join(', ')} })`;
      } else if (allowed.has('filters')) hint = '; filters go in { filters: { ... } }';
      else if (method === 'create' || method === 'update') hint = '; fields go in the first argument';
      throw invalid(`${method}() has no option ${JSON.stringify(key)}${hint}`);
    }
  }
  const accepted = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const kind = OPTION_TABLE.CHECKS[key];
    const [expected, ok] = VALUE_CHECKS[kind];
    if (!ok(value)) throw new TypeError(`${method}() option ${key} must be ${expected}`);
    const where = [`${method}() option ${key}`];
    if (OBJECT_KINDS.has(kind)) accepted[key] = value;
    else if (JSON_KINDS.has(kind)) accepted[key] = jsonText(value, where);
    else if (typeof value === 'string') accepted[key] = (checkText(value, where), value);
    else if (Array.isArray(value)) accepted[key] = value.map((v, i) => (checkText(v, [...where, `[${i}]`]), v));
    else accepted[key] = value;
  }
  return accepted;
}

/** What the addon takes for one call's request options, or a client's settings
 * (`headers` is `defaultHeaders` there, and `logTag` says where its lines go).
 * The signal stays here: the addon gets a cancel id for it. */
function sendOf(accepted, headers = accepted.headers, logTag = undefined) {
  const send = { logTag };
  for (const name of REQUEST_OPTIONS) {
    if (name !== 'signal' && accepted[name] !== undefined) send[name] = accepted[name];
  }
  send.headers = headers;
  return send;
}

// Logging. The core makes each line (it never holds a credential, a body or a
// personal value); the addon sends it here with the tag of the client whose
// call made it, and only when that tag's level wants it. A tag stands for one
// logger at one level, so clients that share both share a tag.
const DEFAULT_LOGGER = Object.freeze({
  error: (line) => console.error(`pigello: ${line}`),
  warn: (line) => console.warn(`pigello: ${line}`),
  info: (line) => console.info(`pigello: ${line}`),
  debug: (line) => console.debug(`pigello: ${line}`),
});
const tagsOfLogger = new WeakMap(); // logger -> Map(level -> tag)
const loggerOfTag = new Map(); // tag -> WeakRef(logger)

const loggersThatThrew = new WeakSet();

// A line comes outside any call of the user's, so a logger that throws would
// end the process (an uncaught exception) for want of a log line: it is said
// once per logger, as a process warning, instead.
native.logTo((tag, level, line) => {
  const logger = loggerOfTag.get(tag)?.deref();
  try {
    logger?.[level](line);
  } catch (error) {
    if (loggersThatThrew.has(logger)) return;
    loggersThatThrew.add(logger);
    process.emitWarning(`the logger threw, and its lines are lost: ${error?.message ?? error}`, 'PigelloLoggerWarning');
  }
});

/** The tag of `logger` at `level`; a level that is not one is an error naming
 * `option`. */
function logTagOf(logger, level, option) {
  let tags = tagsOfLogger.get(logger);
  if (tags === undefined) tagsOfLogger.set(logger, (tags = new Map()));
  let tag = tags.get(level);
  if (tag === undefined) {
    tag = runNative(() => native.newLogTag(level, option));
    tags.set(level, tag);
    loggerOfTag.set(tag, new WeakRef(logger));
  }
  return tag;
}

/** The `PIGELLO_LOG` values already said not to be a level. */
const envLevelsRefused = new Set();

/** How a client logs: the `logger` and `logLevel` given, else those of the
 * client it derives from, else `console` at `PIGELLO_LOG` (default `'warn'`,
 * as openai-node's `OPENAI_LOG`). A `PIGELLO_LOG` that is not a level is said
 * once through the logger, and `'warn'` is used. */
function logOf(accepted, from = undefined) {
  const logger = accepted.logger ?? from?.logger ?? DEFAULT_LOGGER;
  if (accepted.logLevel !== undefined) {
    return { logger, level: accepted.logLevel, tag: logTagOf(logger, accepted.logLevel, 'logLevel') };
  }
  if (from !== undefined) {
    return { logger, level: from.level, tag: logTagOf(logger, from.level, 'logLevel') };
  }
  const fromEnv = process.env.PIGELLO_LOG?.trim();
  if (fromEnv) {
    try {
      return { logger, level: fromEnv, tag: logTagOf(logger, fromEnv, 'PIGELLO_LOG') };
    } catch (error) {
      if (!envLevelsRefused.has(fromEnv)) logger.warn(`${error.message}; logging at 'warn'`);
      envLevelsRefused.add(fromEnv);
    }
  }
  return { logger, level: 'warn', tag: logTagOf(logger, 'warn', 'logLevel') };
}

/** A client's options as the addon takes them: the log tag in place of the
 * logger and its level. */
function nativeClientOptions(accepted, log) {
  const { logger: _logger, logLevel: _logLevel, ...rest } = accepted;
  return { ...rest, logTag: log.tag };
}

/** A cancel id the `signal` cancels (none without a signal), and how to let
 * it go once the call has ended. A cancelled call stops in the core, which
 * throws `APIUserAbortError` saying whether a write may have been applied. */
function cancelOn(signal) {
  if (signal === undefined) return { id: undefined, release() {} };
  const id = native.newCancel();
  const abort = () => native.cancel(id);
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  return {
    id,
    release() {
      signal.removeEventListener('abort', abort);
      native.releaseCancel(id);
    },
  };
}

/** Runs `work(send)` with `accepted`'s request options, its signal included,
 * and the answer kept by the recorder `record`. */
async function sending(accepted, record, work) {
  const cancel = cancelOn(accepted.signal);
  try {
    return await work({ ...sendOf(accepted), cancel: cancel.id, record });
  } finally {
    cancel.release();
  }
}

/** What every call returns: a Promise of its value with `.withResponse()`,
 * which gives `{ data, response: { status, headers }, requestId }` too (as
 * openai-node's APIPromise does). */
class APIPromise extends Promise {
  #answered;
  #data = null;

  // `then` and friends give plain Promises.
  static get [Symbol.species]() {
    return Promise;
  }

  constructor(answered) {
    // The value is derived when first asked for, so a call used only through
    // `.withResponse()` leaves no second, unhandled rejection behind.
    super((resolve) => resolve(undefined));
    this.#answered = answered;
  }

  static of(answered) {
    return new APIPromise(answered);
  }

  #value() {
    this.#data ??= this.#answered.then((a) => a.data);
    return this.#data;
  }

  then(onFulfilled, onRejected) {
    return this.#value().then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#value().catch(onRejected);
  }

  finally(onFinally) {
    return this.#value().finally(onFinally);
  }

  /** The value and the answer it came in. */
  async withResponse() {
    const { data, info } = await this.#answered;
    const response = { status: info?.status ?? null, headers: info?.headers ?? {} };
    return { data, response, requestId: info?.requestId ?? null };
  }
}

/** Runs `work(record)` (an async function accepted a recorder id) as an APIPromise. */
function apiCall(work) {
  // Where the caller called from: an error's stack ends with it, as an
  // `await` chain would have kept it (an APIPromise settles by callback).
  const site = {};
  Error.captureStackTrace(site, apiCall);
  const answered = (async () => {
    const record = native.newRecorder();
    try {
      const data = await work(record);
      return { data, info: native.takeResponse(record) };
    } catch (error) {
      native.takeResponse(record);
      if (error instanceof Error && typeof error.stack === 'string') {
        error.stack += `\n${site.stack.split('\n').slice(1).join('\n')}`;
      }
      throw error;
    }
  })();
  return APIPromise.of(answered);
}

/** One page of a list: `data` holds its rows. */
class Page {
  #resource;
  #options;
  #requestOptions;
  #nextPage;

  constructor(raw, resource, options, requestOptions) {
    this.data = JSON.parse(raw.rowsJson);
    this.total = raw.total ?? null;
    this.page = raw.page;
    this.pageSize = raw.pageSize;
    this.requestId = raw.requestId ?? null;
    this.#nextPage = raw.nextPage ?? null;
    this.#resource = resource;
    this.#options = options;
    this.#requestOptions = requestOptions;
  }

  /** Whether a later page may hold rows (the core decides, and names it). */
  get hasNext() {
    return this.#nextPage !== null;
  }

  /** The next page (the same options and request options), or null after the last. */
  async nextPage() {
    if (this.#nextPage === null) return null;
    const options = { ...this.#options, page: this.#nextPage, pageSize: this.pageSize };
    return this.#resource.list(options, this.#requestOptions);
  }

  /** Whether a later page may hold rows (openai-node's name for `hasNext`). */
  hasNextPage() {
    return this.hasNext;
  }

  /** The next page; throws when there is none (check `hasNextPage()` first). */
  async getNextPage() {
    if (!this.hasNext) {
      throw new PigelloError('no next page: check hasNextPage() before getNextPage()', { code: 'no_next_page' });
    }
    return this.nextPage();
  }

  /** This page and each next one, fetched as the loop reaches it. */
  async *iterPages() {
    for (let page = this; page !== null; page = await page.nextPage()) yield page;
  }

  [Symbol.iterator]() {
    return this.data[Symbol.iterator]();
  }
}

/** The operations of one resource: `client.tenants.list(...)`. */
class Resource {
  #native;
  #property;

  constructor(nativeClient, info) {
    this.#native = nativeClient;
    this.#property = info.property;
    /** The resource's name, as the API spells it. */
    this.name = info.name;
  }

  /** One object by id. */
  get(id, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'get');
      return sending(accepted, record, (send) => awaitNativeJson(this.#native.get(this.#property, idOf(id), send)));
    });
  }

  /** One page; without `page`, the first page of `pageSize` (default 100) rows. */
  list(options, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(options, LIST_OPTIONS, 'list');
      const request = checked(requestOptions, REQUEST_OPTIONS, 'list');
      const list = (send) => awaitNative(this.#native.list(this.#property, accepted, send));
      const raw = await sending(request, record, list);
      return new Page(raw, this, { ...options }, requestOptions && { ...requestOptions });
    });
  }

  /** Every matching row, one page fetched at a time: `for await (const row of ...)`. */
  async *iterate(options, requestOptions) {
    const accepted = checked(options, ITERATE_OPTIONS, 'iterate');
    const request = checked(requestOptions, REQUEST_OPTIONS, 'iterate');
    // One cancel id for the whole iteration: the signal stops the page in flight.
    const cancel = cancelOn(request.signal);
    try {
      const send = { ...sendOf(request), cancel: cancel.id, record: undefined };
      const rows = runNative(() => this.#native.iterate(this.#property, accepted, send));
      for (;;) {
        const batch = await awaitNativeJson(rows.nextBatch());
        if (batch.length === 0) return;
        yield* batch;
      }
    } finally {
      cancel.release();
    }
  }

  /** Creates an object; every documented rule is checked before sending, and
   * a key naming no documented field is refused (`{ extraBody }` sends fields
   * the reference does not list). */
  create(input, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'create');
      const body = objectText(input ?? {}, ['create() body']);
      return sending(accepted, record, (send) => awaitNativeJson(this.#native.create(this.#property, body, send)));
    });
  }

  /** Updates an object: a key set to null clears it, an absent key stays. */
  update(id, patch, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'update');
      const body = objectText(patch ?? {}, ['update() patch']);
      const update = (send) => awaitNativeJson(this.#native.update(this.#property, idOf(id), body, send));
      return sending(accepted, record, update);
    });
  }

  /** Deletes an object. */
  delete(id, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'delete');
      await sending(accepted, record, (send) => awaitNative(this.#native.delete(this.#property, idOf(id), send)));
    });
  }

  /** Items with an `id` update that object, items without one create; every
   * item is checked before anything is sent. `extraBody` is added to every item. */
  bulkWrite(items, requestOptions) {
    return apiCall(async (record) => {
      if (!Array.isArray(items)) throw new TypeError('bulkWrite() takes an array of items');
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'bulkWrite');
      // The core refuses an item that is not an object, as in every language.
      const text = jsonText(items, ['bulkWrite() items']);
      return sending(accepted, record, (send) => awaitNative(this.#native.bulkWrite(this.#property, text, send)));
    });
  }

  [util.inspect.custom]() {
    return `Resource(${this.name})`;
  }
}

/** A resource with an invite endpoint (tenants, subtenants, organization users). */
class InvitableResource extends Resource {
  #native;
  #property;

  constructor(nativeClient, info) {
    super(nativeClient, info);
    this.#native = nativeClient;
    this.#property = info.property;
  }

  /** Calls the invite endpoint with a JSON body. */
  invite(body, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'invite');
      const text = objectText(body ?? {}, ['invite() body']);
      return sending(accepted, record, (send) => awaitNative(this.#native.invite(this.#property, text, send)));
    });
  }
}

const RESOURCES = native.resources();
const FROM_NATIVE = Symbol('pigello.fromNative');
const LOG = Symbol('pigello.log');

/** The Pigello API. Resources are properties: `client.tenants`, ... */
class Client {
  #native;
  #log;

  constructor(options) {
    let nativeClient = options?.[FROM_NATIVE];
    let log = options?.[LOG];
    if (nativeClient === undefined) {
      const accepted = checked(options, CLIENT_OPTIONS, 'new Client');
      log = logOf(accepted);
      nativeClient = runNative(() => new native.NativeClient(nativeClientOptions(accepted, log)));
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

  /** A client from `PIGELLO_BASE_URL` and the seven `PIGELLO_*` credentials. */
  static fromEnv(options) {
    const accepted = checked(options, SETTINGS, 'Client.fromEnv');
    const log = logOf(accepted);
    const nativeClient = runNative(() => native.NativeClient.fromEnv(sendOf(accepted, accepted.defaultHeaders, log.tag)));
    return new Client({ [FROM_NATIVE]: nativeClient, [LOG]: log });
  }

  /** The same connections and credentials with other settings; what is left
   * out stays, and headers add to the client's. */
  withOptions(options) {
    const accepted = checked(options, SETTINGS, 'withOptions');
    const log = logOf(accepted, this.#log);
    const nativeClient = runNative(() => this.#native.withOptions(sendOf(accepted, accepted.defaultHeaders, log.tag)));
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

/** A local Pigello Accounts API in this process, on a free loopback port. */
class Sandbox {
  #native;

  constructor(nativeSandbox) {
    if (!(nativeSandbox instanceof native.NativeSandbox)) {
      throw invalid('start a sandbox with `await Sandbox.start({ ... })`');
    }
    this.#native = nativeSandbox;
  }

  /** Starts a sandbox: `{ seed, tenants, requireSecret, port }`, each the sandbox's default when left out. */
  static async start(options) {
    const accepted = checked(options, SANDBOX_OPTIONS, 'Sandbox.start');
    return new Sandbox(await awaitNative(native.startSandbox(accepted)));
  }

  /** The base URL, `http://127.0.0.1:PORT`. */
  get url() {
    return this.#native.url;
  }

  /** A client holding credentials for the first seeded customer. */
  client(options) {
    const accepted = checked(options, SETTINGS, 'sandbox.client');
    const log = logOf(accepted);
    const nativeClient = runNative(() => this.#native.client(sendOf(accepted, accepted.defaultHeaders, log.tag)));
    return new Client({ [FROM_NATIVE]: nativeClient, [LOG]: log });
  }

  /** Back to the seeded world; fault rules are cleared. */
  reset() {
    runNative(() => this.#native.reset());
  }

  /** Adds a fault rule (`{ kind: 'status', status: 503 }`, ...); returns its index. */
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
    return runNative(() => this.#native.requests()).map((r) => ({
      requestId: r.request_id, method: r.method, path: r.path, query: r.query, headers: r.headers,
      bodyKeys: r.body_keys,
    }));
  }

  /** Forgets the requests received so far. */
  clearRequests() {
    runNative(() => this.#native.clearRequests());
  }

  /** The whole state, as the state file holds it. */
  exportState() {
    return runNative(() => this.#native.exportState());
  }

  /** Replaces the state with an exported one (refused whole if it breaks a rule). */
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

module.exports = {
  Client,
  Sandbox,
  Page,
  APIPromise,
  Resource,
  InvitableResource,
  ...errors,
  version: native.version(),
};
delete module.exports.translate;
