'use strict';
// What every method of a resource shares: native calls awaited with the
// package's errors, an id read from a string or a row, the cancel switch an
// AbortSignal flips, and the APIPromise every call returns.

const native = require('./native.js');
const { translate } = require('./errors.js');
const { sendOf } = require('./options.js');
const { bridgeHere } = require('./telemetry.js');
const diagnostics = require('node:diagnostics_channel');

/** @typedef {import('./native.js').SendOptions} SendOptions */
/** @typedef {import('./native.js').ResponseInfo} ResponseInfo */
/** @typedef {import('./options.js').Accepted} Accepted */
/** @typedef {import('./json.js').Json} Json */
/** A call as `pigello:request` publishes it.
 * @typedef {{ resource: string, operation: string }} Call */

/**
 * A call's value and the answer it came in (none when no answer was kept).
 * @template T
 * @typedef {{ data: T, info: ResponseInfo | null }} Answered
 */

/** Awaits a native call, throwing the package's error class on failure.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>} */
async function awaitNative(promise) {
  try {
    return await promise;
  } catch (error) {
    throw translate(error);
  }
}

/** A native call whose answer is JSON text (a row, checked by the core), as
 * objects: `JSON.parse` builds them faster than the addon could hand them over.
 * @param {Promise<string>} promise
 * @returns {Promise<Json>} */
async function awaitNativeJson(promise) {
  return JSON.parse(await awaitNative(promise));
}

/** Runs a synchronous native call, throwing the package's error class on failure.
 * @template T
 * @param {() => T} work
 * @returns {T} */
function runNative(work) {
  try {
    return work();
  } catch (error) {
    throw translate(error);
  }
}

/** An id given as a string or as an object with an `id` (a row); anything
 * else, which an untyped caller may give, is refused.
 * @param {string | { id?: unknown } | null | undefined} id
 * @returns {string} */
function idOf(id) {
  if (typeof id === 'string') return id;
  if (id !== null && typeof id === 'object' && typeof id.id === 'string') return id.id;
  throw new TypeError('id must be a uuid string or an object with an `id`');
}

/** A cancel id the `signal` cancels (none without a signal), and how to let
 * it go once the call has ended. A cancelled call stops in the core, which
 * throws `APIUserAbortError` saying whether a write may have been applied.
 * @param {AbortSignal | undefined} signal
 * @returns {{ id: number | undefined, release(): void }} */
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
 * the answer kept by the recorder `record`, and its requests' spans under the
 * span active here, or under `operation`'s (when the application's
 * OpenTelemetry records).
 * @template T
 * @param {Accepted} accepted
 * @param {number | undefined} record
 * @param {(send: SendOptions) => Promise<T>} work
 * @param {Call} what The call, for `pigello:request`.
 * @param {import('./telemetry.js').Operation} [operation]
 * @returns {Promise<T>} */
async function sending(accepted, record, work, what, operation) {
  const cancel = cancelOn(accepted.signal);
  const telemetry = bridgeHere(operation);
  try {
    const send = { ...sendOf(accepted), cancel: cancel.id, record, telemetry: telemetry.id };
    return await published(what, () => work(send));
  } finally {
    cancel.release();
    telemetry.release();
  }
}

// Each call on a diagnostics_channel TracingChannel, as undici publishes its
// requests, for APM agents that do not use OpenTelemetry:
// `tracing:pigello:request:start`, `:end`, `:asyncStart`, `:asyncEnd` and
// `:error`. The context is `{ resource, operation }` (the resource as the API
// names it, the method as Node names it: never an argument), with `result` or
// `error` once the call has settled. Node has TracingChannel from 18.19 and
// 19.9; on an older one, nothing is published.
const requests =
  typeof diagnostics.tracingChannel === 'function' ? diagnostics.tracingChannel('pigello:request') : undefined;

/** Whether anyone listens to `channel` (`hasSubscribers` is Node 20.13+'s).
 * @param {import('node:diagnostics_channel').TracingChannel<object, object>} channel */
function listened(channel) {
  const any = /** @type {{ hasSubscribers?: boolean }} */ (channel).hasSubscribers;
  if (any !== undefined) return any;
  return [channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error].some(
    (one) => one.hasSubscribers,
  );
}

/** `run()`, published on `pigello:request` when anyone listens.
 * @template T
 * @param {Call} what
 * @param {() => Promise<T>} run
 * @returns {Promise<T>} */
function published(what, run) {
  if (requests === undefined || !listened(requests)) return run();
  return requests.tracePromise(run, { resource: what.resource, operation: what.operation });
}

/** What every call returns: a Promise of its value with `.withResponse()`,
 * which gives `{ data, response: { status, headers }, requestId }` too (as
 * openai-node's APIPromise does).
 * @template T
 * @extends {Promise<T>}
 */
class APIPromise extends Promise {
  /** @type {Promise<Answered<T>>} */
  #answered;
  /** @type {Promise<T> | null} */
  #data = null;

  // `then` and friends give plain Promises.
  static get [Symbol.species]() {
    return Promise;
  }

  /** @param {Promise<Answered<T>>} answered */
  constructor(answered) {
    // The value is derived when first asked for, so a call used only through
    // `.withResponse()` leaves no second, unhandled rejection behind. (The
    // Promise underneath is never read, `then` and friends answering from
    // `#answered`, so its `undefined` is typed as a value.)
    super((resolve) => resolve(/** @type {T} */ (undefined)));
    this.#answered = answered;
  }

  /**
   * @template U
   * @param {Promise<Answered<U>>} answered
   * @returns {APIPromise<U>}
   */
  static of(answered) {
    return new APIPromise(answered);
  }

  /** @returns {Promise<T>} */
  #value() {
    this.#data ??= this.#answered.then((a) => a.data);
    return this.#data;
  }

  /**
   * @template [F=T]
   * @template [R=never]
   * @param {((value: T) => F | PromiseLike<F>) | null} [onFulfilled]
   * @param {((reason: any) => R | PromiseLike<R>) | null} [onRejected]
   * @returns {Promise<F | R>}
   */
  then(onFulfilled, onRejected) {
    return this.#value().then(onFulfilled, onRejected);
  }

  /**
   * @template [R=never]
   * @param {((reason: any) => R | PromiseLike<R>) | null} [onRejected]
   * @returns {Promise<T | R>}
   */
  catch(onRejected) {
    return this.#value().catch(onRejected);
  }

  /**
   * @param {(() => void) | null} [onFinally]
   * @returns {Promise<T>}
   */
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

/** Runs `work(record)` (an async function given a recorder id) as an APIPromise.
 * @template T
 * @param {(record: number) => Promise<T>} work
 * @returns {APIPromise<T>} */
function apiCall(work) {
  // Where the caller called from: an error's stack ends with it, as an
  // `await` chain would have kept it (an APIPromise settles by callback).
  // `captureStackTrace` gives it its `stack`.
  const site = /** @type {{ stack: string }} */ ({});
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

module.exports = { awaitNative, awaitNativeJson, runNative, idOf, cancelOn, sending, APIPromise, apiCall };
