'use strict';
const { PigelloError } = require('./errors.js');

/** @typedef {import('./native.js').NativePage} NativePage */
/** @typedef {import('./options.js').Options} Options */
/** @typedef {import('./json.js').Row} Row */

/** @typedef {import('./telemetry.js').Operation} Operation */

/**
 * What a page needs of its resource: the list call that fetches the next one
 * (its requests under `operation`'s span when one is given), and the span of
 * a walk over the pages, when telemetry records.
 * @typedef {{
 *   fetch(options: Options, requestOptions: Options | undefined, operation: Operation | undefined): PromiseLike<Page>,
 *   walk(): Operation | undefined,
 * }} Lister
 */

/** One page of a list: `data` holds its rows. */
class Page {
  /** @type {Lister} */
  #resource;
  /** @type {Options} */
  #options;
  /** @type {Options | undefined} */
  #requestOptions;
  /** @type {number | null} */
  #nextPage;

  /**
   * @param {NativePage} raw
   * @param {Lister} resource
   * @param {Options} options
   * @param {Options | undefined} requestOptions
   */
  constructor(raw, resource, options, requestOptions) {
    /** @type {Row[]} */
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

  /** The next page (the same options and request options), or null after the last.
   * @returns {Promise<Page | null>} */
  async nextPage() {
    return this.#next(undefined);
  }

  /** The next page, its request under `operation`'s span when one is given.
   * @param {Operation | undefined} operation
   * @returns {Promise<Page | null>} */
  async #next(operation) {
    if (this.#nextPage === null) return null;
    const options = { ...this.#options, page: this.#nextPage, pageSize: this.pageSize };
    return this.#resource.fetch(options, this.#requestOptions, operation);
  }

  /** Whether a later page may hold rows (openai-node's name for `hasNext`). */
  hasNextPage() {
    return this.hasNext;
  }

  /** The next page; throws when there is none (check `hasNextPage()` first).
   * @returns {Promise<Page>} */
  async getNextPage() {
    if (!this.hasNext) {
      throw new PigelloError('no next page: check hasNextPage() before getNextPage()', { code: 'no_next_page' });
    }
    // There is a next page, so `nextPage()` gives it.
    return /** @type {Promise<Page>} */ (this.nextPage());
  }

  /** This page and each next one, fetched as the loop reaches it; when
   * telemetry records, the walk is one span (`pigello {resource}.list`) over
   * the next pages' requests, ended when the loop is. */
  async *iterPages() {
    const operation = this.#resource.walk();
    let failed = false;
    try {
      for (let /** @type {Page | null} */ page = this; page !== null; page = await page.#next(operation)) {
        if (operation !== undefined) operation.rows += page.data.length;
        yield page;
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      operation?.end(failed);
    }
  }

  [Symbol.iterator]() {
    return this.data[Symbol.iterator]();
  }
}

module.exports = { Page };
