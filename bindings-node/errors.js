'use strict';
// The package's error classes. A native error arrives with a marker and a JSON
// description of the core's error; `translate` turns it into an instance of the
// class it names, with every field the core gave.

const MARKER = '\u0001pigello-error:';

/**
 * What an error holds besides its message: the fields of the core's
 * description, or those the package gives one it makes. Each class reads
 * those it has.
 * @typedef {object} ErrorFields
 * @property {string} [code]
 * @property {boolean} [outcomeUnknown]
 * @property {unknown} [cause] An error (a description of one, until `build` makes it).
 * @property {number} [status]
 * @property {string} [body]
 * @property {string | null} [requestId]
 * @property {IssueFields[]} [errors]
 * @property {number | null} [retryAfter]
 * @property {[number, number]} [written] A range of item indexes, `[start, end)`.
 * @property {[number, number]} [failed]
 * @property {[number, number]} [notAttempted]
 * @property {unknown[]} [rows]
 * @property {string} [file] A cassette file.
 * @property {number | null} [line]
 * @property {string} [method]
 * @property {string} [path]
 * @property {string | null} [closest]
 */

/**
 * The core's description of an error: the class it names, its message, its fields.
 * @typedef {ErrorFields & { class: string, message: string }} ErrorDescription
 */

/** @typedef {{ path: string, rule: string, message: string }} IssueFields */

/** The base of every error the package throws. */
class PigelloError extends Error {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    /** A stable string naming what went wrong (`validation_error`, `not_found`, ...). */
    this.code = fields.code ?? 'pigello_error';
    /**
     * True when a write may have been applied although the call failed: an
     * attempt of it was sent and its answer lost, whatever a later one answered.
     */
    this.outcomeUnknown = fields.outcomeUnknown ?? false;
  }
}

/** One broken rule: where, which rule, and what it says. */
class ValidationIssue {
  /** @param {IssueFields} issue */
  constructor({ path, rule, message }) {
    this.path = path;
    this.rule = rule;
    this.message = message;
  }

  toString() {
    return `${this.path}: ${this.message}`;
  }
}

/** The input broke documented rules; nothing was sent. */
class ValidationError extends PigelloError {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, { code: 'validation_error', ...fields });
    this.errors = (fields.errors ?? []).map((e) => new ValidationIssue(e));
  }
}

/** The API answered with an error status. */
class APIError extends PigelloError {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, fields);
    this.status = fields.status;
    // The raw body, as the server sent it: readable, but left out of
    // util.inspect and JSON.stringify, since it may hold personal data.
    Object.defineProperty(this, 'body', {
      value: fields.body ?? '',
      enumerable: false,
      writable: true,
      configurable: true,
    });
    this.requestId = fields.requestId ?? null;
    this.errors = (fields.errors ?? []).map((e) => new ValidationIssue(e));
    /** The wait, in seconds, the server asked for (`Retry-After`), or null. */
    this.retryAfter = fields.retryAfter ?? null;
  }
}

class BadRequestError extends APIError {}
class AuthenticationError extends APIError {}
class PermissionDeniedError extends APIError {}
class NotFoundError extends APIError {}
class ConflictError extends APIError {}
class InternalServerError extends APIError {}

/** 429: `retryAfter` is the wait, in seconds, the server asked for (or null). */
class RateLimitError extends APIError {}

/** No answer came. `outcomeUnknown` is true when a write may have happened. */
class APIConnectionError extends PigelloError {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, { code: 'connection_error', ...fields });
  }
}

class APITimeoutError extends APIConnectionError {}

/** The call was cancelled by its `signal`; `outcomeUnknown` says whether a write may have happened. */
class APIUserAbortError extends PigelloError {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, { code: 'aborted', ...fields });
  }
}

/** A bulk write stopped part way: which items were written, failed, never sent. */
class BulkWriteError extends PigelloError {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, fields);
    /** @type {(bounds?: [number, number]) => { start: number, end: number }} */
    const range = ([start, end] = [0, 0]) => ({ start, end });
    this.written = range(fields.written);
    this.failed = range(fields.failed);
    this.notAttempted = range(fields.notAttempted);
    this.rows = fields.rows ?? [];
  }
}

/** A cassette cannot be used (`code` `cassette_invalid`: `file`, `line`), or
 * holds no answer to a request it must replay (`cassette_unmatched`: `file`,
 * `method`, `path`, and the `closest` recorded request); nothing was sent. */
class CassetteError extends PigelloError {
  /** @param {string} message @param {ErrorFields} [fields] */
  constructor(message, fields = {}) {
    super(message, fields);
    this.file = fields.file ?? '';
    this.line = fields.line ?? null;
    this.method = fields.method ?? null;
    this.path = fields.path ?? null;
    this.closest = fields.closest ?? null;
  }
}

const classes = {
  PigelloError,
  ValidationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BulkWriteError,
  CassetteError,
};

/** @param {ErrorDescription} description @returns {PigelloError} */
function build(description) {
  const { class: name, message, ...fields } = description;
  if (fields.cause) fields.cause = build(/** @type {ErrorDescription} */ (fields.cause));
  const Class = /** @type {{ [name: string]: typeof PigelloError | undefined }} */ (classes)[name] ?? PigelloError;
  return new Class(message, fields);
}

/** The package's error for a native one; any other error as it is.
 * @param {unknown} error
 * @returns {unknown} */
function translate(error) {
  if (error instanceof Error && typeof error.message === 'string' && error.message.startsWith(MARKER)) {
    const made = build(JSON.parse(error.message.slice(MARKER.length)));
    Error.captureStackTrace?.(made, translate);
    return made;
  }
  return error;
}

module.exports = { ...classes, ValidationIssue, translate };
