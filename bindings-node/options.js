'use strict';
// Every options object checked before the addon sees it: a key the method
// does not take, or a value of the wrong type, is an error naming it. Which
// method takes which option, and of which kind each is, is the core's option
// table (option-table.js, generated).

const native = require('./native.js');
const { PigelloError } = require('./errors.js');
/** @type {{ TAKES: Record<string, string[]>, REQUEST_OPTIONS: string[], CHECKS: Record<string, string> }} */
const OPTION_TABLE = require('./option-table.js');
const { checkText, jsonText } = require('./json.js');

/**
 * An options object as a caller gives it; `checked` refuses what it may not
 * hold, and takes null for none.
 * @typedef {Record<string, unknown> | null} Options
 */

/**
 * What takes a client's lines: one method per level, each given one line.
 * @typedef {object} Logger
 * @property {(line: string) => void} error
 * @property {(line: string) => void} warn
 * @property {(line: string) => void} info
 * @property {(line: string) => void} debug
 */

/**
 * Options as `checked` accepted them, keyed as Node spells them: each value
 * of its option's kind, a JSON kind's as its JSON text.
 * @typedef {{ [name: string]: unknown, signal?: AbortSignal, logger?: Logger, logLevel?: string }} Accepted
 */

/** @typedef {import('./native.js').SendOptions} SendOptions */

/** An error for an argument the package refuses before anything is sent.
 * @param {string} message */
function invalid(message) {
  return new PigelloError(message, { code: 'invalid_argument' });
}

// How a value of each kind of option is checked; a wrong one is a TypeError
// naming the option, before the addon sees it. Which option is of which kind,
// and which method takes it, is the core's option table (option-table.js, generated).
// (`Number.isInteger` is declared without saying that a value it accepts is a
// number; `isInteger` is the same function, declared as saying so.)
const isInteger = /** @type {(v: unknown) => v is number} */ (Number.isInteger);
/** @type {(v: unknown) => v is Record<string, unknown>} */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** @type {(v: unknown) => boolean} */
const isCount = (v) => isInteger(v) && v >= 0 && v <= 0xffffffff;
/** @type {(v: unknown) => v is string} */
const isText = (v) => typeof v === 'string';
/** @type {(v: unknown) => v is Logger} */
const isLogger = (v) => v !== null && typeof v === 'object'
  && ['error', 'warn', 'info', 'debug'].every((level) => typeof /** @type {Record<string, unknown>} */ (v)[level] === 'function');
/** Each kind's check, and what a value that fails it should have been.
 * @type {Record<string, [string, (v: unknown) => boolean]>} */
const VALUE_CHECKS = {
  milliseconds: ['a positive number of milliseconds', (v) => typeof v === 'number' && v > 0 && v < Infinity],
  count: ['a whole number from 0 to 4294967295', isCount],
  port: ['a port number from 0 to 65535', (v) => isInteger(v) && v >= 0 && v <= 65535],
  flag: ['a boolean', (v) => typeof v === 'boolean'],
  text: ['a string', isText],
  orderBy: ['a string or an array of strings', (v) => isText(v) || (Array.isArray(v) && v.every(isText))],
  headers: ['an object of strings', (v) => isObject(v) && Object.values(v).every(isText)],
  object: ['an object', isObject],
  signal: ['an AbortSignal', (v) => v instanceof AbortSignal],
  logLevel: ["one of 'off', 'error', 'warn', 'info', 'debug'", isText],
  recordMode: ["one of 'once', 'new_episodes', 'none', 'all'", isText],
  logger: ['an object with error, warn, info and debug methods', isLogger],
};
// The kinds whose values are JSON sent as they are, and those handed over as they are.
const JSON_KINDS = new Set(['object', 'headers']);
const OBJECT_KINDS = new Set(['signal', 'logger']);

const REQUEST_OPTIONS = new Set(OPTION_TABLE.REQUEST_OPTIONS);
/** What a method takes besides its request options (its own first argument).
 * @param {string} method */
const ownOptions = (method) => new Set(OPTION_TABLE.TAKES[method].filter((name) => !REQUEST_OPTIONS.has(name)));
const LIST_OPTIONS = ownOptions('list');
const ITERATE_OPTIONS = ownOptions('iterate');
const CLIENT_OPTIONS = new Set(OPTION_TABLE.TAKES.client);
const SETTINGS = new Set(OPTION_TABLE.TAKES.clientSettings);
const SANDBOX_OPTIONS = new Set(OPTION_TABLE.TAKES.sandbox);

/** The options as given, refusing (as a TypeError naming it, with the closest
 * option) a key the method does not take (a filter written outside `filters`
 * would otherwise be dropped without a word), a value of the wrong type, and
 * anything the addon could not send exactly.
 * @param {unknown} options
 * @param {Set<string>} allowed
 * @param {string} method
 * @returns {Accepted} */
function checked(options, allowed, method) {
  if (options === undefined || options === null) return {};
  if (!isObject(options)) throw new TypeError(`${method}() takes an options object`);
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) {
      const closest = native.closestName(key, [...allowed]);
      let hint = closest ? `; did you mean ${closest}?` : '';
      if (REQUEST_OPTIONS.has(key)) {
        hint = `; ${key} is a request option: it goes in the last argument ({ ${[...REQUEST_OPTIONS].join(', ')} })`;
      } else if (closest === null) {
        // No option is near it (`page_size` is near `pageSize`): it may be a
        // filter or a field given where options go.
        if (allowed.has('filters')) hint = '; filters go in { filters: { ... } }';
        else if (method === 'create' || method === 'update') hint = '; fields go in the first argument';
      }
      throw new TypeError(`${method}() has no option ${JSON.stringify(key)}${hint}`);
    }
  }
  /** @type {Accepted} */
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

// The kinds of option whose values are JavaScript's own (an AbortSignal, a
// logger and its level): the package keeps them, and the core never sees them.
const PACKAGE_KINDS = new Set(['signal', 'logger', 'logLevel']);

/** The options the core reads, as the JSON text of one object keyed as Node
 * spells them (each value checked, and JSON kinds written, by `checked`).
 * @param {Accepted} accepted
 * @returns {string} */
function optionsText(accepted) {
  /** @type {string[]} */
  const entries = [];
  for (const [name, value] of Object.entries(accepted)) {
    const kind = OPTION_TABLE.CHECKS[name];
    if (PACKAGE_KINDS.has(kind)) continue;
    entries.push(`${JSON.stringify(name)}:${JSON_KINDS.has(kind) ? value : JSON.stringify(value)}`);
  }
  return `{${entries.join(',')}}`;
}

/** What the addon takes for a method's options: their JSON text, and the log
 * tag of the client they belong to (where its lines go). A call's signal
 * stays here: the addon gets a cancel id for it (`calls.js`).
 * @param {Accepted} accepted
 * @param {number} [logTag]
 * @returns {SendOptions} */
function sendOf(accepted, logTag = undefined) {
  return { options: optionsText(accepted), logTag };
}

module.exports = {
  invalid, checked, sendOf, REQUEST_OPTIONS, LIST_OPTIONS, ITERATE_OPTIONS, CLIENT_OPTIONS, SETTINGS, SANDBOX_OPTIONS,
};
