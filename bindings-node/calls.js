'use strict';
// What every method of a resource shares: native calls awaited with the
// package's errors, an id read from a string or a row, the cancel switch an
// AbortSignal flips, and the APIPromise every call returns.

const native = require('./native.js');
const { translate } = require('./errors.js');
const { sendOf } = require('./options.js');

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

/** An id given as a string or as an object with an `id` (a row). */
function idOf(id) {
  if (typeof id === 'string') return id;
  if (id !== null && typeof id === 'object' && typeof id.id === 'string') return id.id;
  throw new TypeError('id must be a uuid string or an object with an `id`');
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

/** Runs `work(record)` (an async function given a recorder id) as an APIPromise. */
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

module.exports = { awaitNative, awaitNativeJson, runNative, idOf, cancelOn, sending, APIPromise, apiCall };
