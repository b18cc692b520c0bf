'use strict';
const util = require('node:util');
const { jsonText, objectText } = require('./json.js');
const { checked, sendOf, REQUEST_OPTIONS, LIST_OPTIONS, ITERATE_OPTIONS } = require('./options.js');
const { awaitNative, awaitNativeJson, runNative, idOf, cancelOn, sending, apiCall } = require('./calls.js');
const { Page } = require('./page.js');
const { bridgeHere, operationHere, tracedOperation } = require('./telemetry.js');

/** @typedef {import('./native.js').NativeClient} NativeClient */
/** @typedef {import('./native.js').ResourceInfo} ResourceInfo */
/** @typedef {import('./native.js').SendOptions} SendOptions */
/** @typedef {import('./options.js').Options} Options */
/** @typedef {import('./json.js').Row} Row */

/** An id, or a row (anything with an `id`).
 * @typedef {string | { id: string }} IdLike */

/** The operations of one resource: `client.tenants.list(...)`. */
class Resource {
  /** @type {NativeClient} */
  #native;
  /** @type {string} */
  #property;

  /** @param {NativeClient} nativeClient @param {ResourceInfo} info */
  constructor(nativeClient, info) {
    this.#native = nativeClient;
    this.#property = info.property;
    /** The resource's name, as the API spells it. */
    this.name = info.name;
  }

  /** A call of this resource's `operation`, as `pigello:request` publishes it.
   * @param {string} operation */
  #call(operation) {
    return { resource: this.name, operation };
  }

  /** One object by id.
   * @param {IdLike} id
   * @param {Options} [requestOptions] */
  get(id, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'get');
      /** @param {SendOptions} send */
      const get = (send) => awaitNativeJson(this.#native.get(this.#property, idOf(id), send));
      return sending(accepted, record, get, this.#call('get'));
    });
  }

  /** One page; without `page`, the first page of `pageSize` (default 100) rows.
   * @param {Options} [options]
   * @param {Options} [requestOptions] */
  list(options, requestOptions) {
    return this.#list(options, requestOptions, undefined);
  }

  /** `list`, its request under `operation`'s span when one is given (a walk
   * over the pages).
   * @param {Options | undefined} options
   * @param {Options | undefined} requestOptions
   * @param {import('./telemetry.js').Operation | undefined} operation */
  #list(options, requestOptions, operation) {
    return apiCall(async (record) => {
      const accepted = checked(options, LIST_OPTIONS, 'list');
      const request = checked(requestOptions, REQUEST_OPTIONS, 'list');
      /** @param {SendOptions} send */
      const list = (send) => awaitNative(this.#native.list(this.#property, send));
      const what = this.#call('list');
      const raw = await sending({ ...accepted, ...request }, record, list, what, operation);
      return new Page(raw, this.#lister, { ...options }, requestOptions && { ...requestOptions });
    });
  }

  /** What a page needs of this resource (see `Page`). */
  #lister = {
    /** @type {import('./page.js').Lister['fetch']} */
    fetch: (options, requestOptions, operation) => this.#list(options, requestOptions, operation),
    walk: () => operationHere(this.#native, this.#property, 'list'),
  };

  /** Every matching row, one page fetched at a time: `for await (const row of ...)`.
   * @param {Options} [options]
   * @param {Options} [requestOptions]
   * @returns {AsyncGenerator<Row, void, undefined>} */
  async *iterate(options, requestOptions) {
    const accepted = checked(options, ITERATE_OPTIONS, 'iterate');
    const request = checked(requestOptions, REQUEST_OPTIONS, 'iterate');
    // One cancel id for the whole iteration: the signal stops the page in flight.
    const cancel = cancelOn(request.signal);
    // The walk's span, when a tracer records: its pages' requests are its
    // children, and it ends when the loop does, however it does.
    const operation = operationHere(this.#native, this.#property, 'iterate');
    const telemetry = bridgeHere(operation);
    let failed = false;
    try {
      const send = {
        ...sendOf({ ...accepted, ...request }),
        cancel: cancel.id,
        record: undefined,
        telemetry: telemetry.id,
      };
      const rows = runNative(() => this.#native.iterate(this.#property, send));
      for (;;) {
        // A batch is an array of rows (`NativeRows`).
        const batch = /** @type {Row[]} */ (await awaitNativeJson(rows.nextBatch()));
        if (batch.length === 0) return;
        if (operation === undefined) {
          yield* batch;
        } else {
          for (const row of batch) {
            operation.rows += 1;
            yield row;
          }
        }
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      cancel.release();
      telemetry.release();
      operation?.end(failed);
    }
  }

  /** Creates an object; every documented rule is checked before sending, and
   * a key naming no documented field is refused (`{ extraBody }` sends fields
   * the reference does not list).
   * @param {Record<string, unknown> | null} [input]
   * @param {Options} [requestOptions] */
  create(input, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'create');
      const body = objectText(input ?? {}, ['create() body']);
      /** @param {SendOptions} send */
      const create = (send) => awaitNativeJson(this.#native.create(this.#property, body, send));
      return sending(accepted, record, create, this.#call('create'));
    });
  }

  /** Updates an object: a key set to null clears it, an absent key stays.
   * @param {IdLike} id
   * @param {Record<string, unknown> | null} [patch]
   * @param {Options} [requestOptions] */
  update(id, patch, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'update');
      const body = objectText(patch ?? {}, ['update() patch']);
      /** @param {SendOptions} send */
      const update = (send) => awaitNativeJson(this.#native.update(this.#property, idOf(id), body, send));
      return sending(accepted, record, update, this.#call('update'));
    });
  }

  /** Deletes an object.
   * @param {IdLike} id
   * @param {Options} [requestOptions] */
  delete(id, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'delete');
      /** @param {SendOptions} send */
      const remove = (send) => awaitNative(this.#native.delete(this.#property, idOf(id), send));
      await sending(accepted, record, remove, this.#call('delete'));
    });
  }

  /** Items with an `id` update that object, items without one create; every
   * item is checked before anything is sent. `extraBody` is added to every item.
   * @param {unknown[]} items
   * @param {Options} [requestOptions] */
  bulkWrite(items, requestOptions) {
    return apiCall(async (record) => {
      if (!Array.isArray(items)) throw new TypeError('bulkWrite() takes an array of items');
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'bulkWrite');
      // The core refuses an item that is not an object, as in every language.
      const text = jsonText(items, ['bulkWrite() items']);
      /** @param {SendOptions} send */
      const write = (send) => awaitNative(this.#native.bulkWrite(this.#property, text, send));
      // One span over the chunks' requests, when a tracer records.
      const operation = operationHere(this.#native, this.#property, 'bulkWrite');
      return tracedOperation(
        operation,
        (under) => sending(accepted, record, write, this.#call('bulkWrite'), under),
        (written) => written.length,
      );
    });
  }

  [util.inspect.custom]() {
    return `Resource(${this.name})`;
  }
}

/** A resource with an invite endpoint (tenants, subtenants, organization users). */
class InvitableResource extends Resource {
  /** @type {NativeClient} */
  #native;
  /** @type {string} */
  #property;

  /** @param {NativeClient} nativeClient @param {ResourceInfo} info */
  constructor(nativeClient, info) {
    super(nativeClient, info);
    this.#native = nativeClient;
    this.#property = info.property;
  }

  /** Calls the invite endpoint with a JSON body.
   * @param {Record<string, unknown> | null} [body]
   * @param {Options} [requestOptions] */
  invite(body, requestOptions) {
    return apiCall(async (record) => {
      const accepted = checked(requestOptions, REQUEST_OPTIONS, 'invite');
      const text = objectText(body ?? {}, ['invite() body']);
      /** @param {SendOptions} send */
      const invite = (send) => awaitNative(this.#native.invite(this.#property, text, send));
      return sending(accepted, record, invite, { resource: this.name, operation: 'invite' });
    });
  }
}

module.exports = { Resource, InvitableResource };
