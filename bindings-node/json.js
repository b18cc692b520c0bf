'use strict';
// What a JavaScript value may be when it is sent as JSON, checked before the
// addon sees it, which then gets it as JSON text. JSON.stringify alone would
// turn NaN into null, drop a function, replace nothing and fail on a cycle
// without saying where; napi's conversion would throw its own raw errors, cap
// how many values it reads, and replace a lone surrogate with U+FFFD. Here
// each is a TypeError or a RangeError that says where.

// The JSON values the addon hands back are described beside the addon, which
// this module builds on (native.js).
/** @typedef {import('./native.js').Json} Json */
/** @typedef {import('./native.js').Row} Row */

/** How deep a value sent may nest, and what a deeper one is called: the core's
 * bound (`pigello::validate::MAX_DEPTH`), the same in every package. */
const { maxDepth: MAX_DEPTH, tooDeep: TOO_DEEP } = require('./native.js').nesting();

/** The key of a point in time as the core takes it: a `Date` is sent as
 * `{"\u0000instant": "<RFC 3339, UTC>"}`, and the core writes it as its field
 * needs it (a date field takes the UTC calendar date). */
const INSTANT_KEY = '\u0000instant';

/** A `Date` as the core takes it.
 * @param {Date} date */
function instant(date) {
  return { [INSTANT_KEY]: date.toISOString() };
}

/** Where a value is, for an error: `body.first_name`, `items[3].tenant`.
 * @param {string[]} path */
function at(path) {
  return path.join('');
}

/** @param {string[]} path @param {string} name */
function key(path, name) {
  return [...path, /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`];
}

// `String.prototype.isWellFormed` is Node 20's; Node 18 gets the same test as
// a pattern: a high surrogate not followed by a low one, or a low one not
// preceded by a high one. (The ES2022 declarations lack `isWellFormed`, so it
// is typed here as a method that may be absent.)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** @typedef {{ isWellFormed(): boolean }} WellFormedTest */
/** @type {(text: string) => boolean} */
const isWellFormed = /** @type {Partial<WellFormedTest>} */ (String.prototype).isWellFormed
  ? (text) => /** @type {string & WellFormedTest} */ (text).isWellFormed()
  : (text) => !LONE_SURROGATE.test(text);

/** A string JSON can carry as it is: no lone surrogate (which would be sent as
 * U+FFFD). The message never shows the string.
 * @param {string} text
 * @param {string[]} path */
function checkText(text, path) {
  if (!isWellFormed(text)) {
    throw new RangeError(`${at(path)}: a string with a lone surrogate (not valid Unicode) cannot be sent`);
  }
}

/**
 * Checks that `value` is plain JSON (null, a boolean, a finite number that is
 * exact, a well-formed string, a `Date` of the years 0000 to 9999, an array,
 * or a plain object of those, at most MAX_DEPTH deep, without cycles),
 * throwing the error that says where it is not, and returns its JSON text. A
 * key whose value is `undefined` is left out, as JSON.stringify does;
 * anywhere else `undefined` is refused.
 * @param {unknown} value
 * @param {string[]} path
 * @returns {string}
 */
function jsonText(value, path) {
  /** @type {Set<object>} */
  const ancestors = new Set();
  let dates = false;
  /** @type {(v: unknown, where: string[], depth: number) => void} */
  const visit = (v, where, depth) => {
    switch (typeof v) {
      case 'string':
        checkText(v, where);
        return;
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(v)) throw new RangeError(`${at(where)}: ${v} cannot be sent`);
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
          throw new RangeError(`${at(where)}: ${v} is past 2^53 and cannot be sent exactly`);
        }
        return;
      case 'object':
        if (v === null) return;
        break;
      default:
        throw new TypeError(`${at(where)}: a value of type ${typeof v} cannot be sent`);
    }
    if (v instanceof Date) {
      const year = v.getUTCFullYear(); // NaN for an invalid Date
      if (!(year >= 0 && year <= 9999)) {
        throw new RangeError(`${at(where)}: a Date that is invalid or outside the years 0000 to 9999 cannot be sent`);
      }
      dates = true;
      return;
    }
    if (depth >= MAX_DEPTH) {
      throw new RangeError(`${at(where.slice(0, 7))}…: ${TOO_DEEP} cannot be sent`);
    }
    if (ancestors.has(v)) throw new TypeError(`${at(where)}: a value that contains itself cannot be sent`);
    ancestors.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        if (!(i in v) || v[i] === undefined) {
          throw new TypeError(`${at(where)}[${i}]: undefined (or a hole) cannot be sent in an array`);
        }
        visit(v[i], [...where, `[${i}]`], depth + 1);
      }
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        const kind = v.constructor?.name ?? 'object';
        throw new TypeError(`${at(where)}: a ${kind} cannot be sent; send plain objects, arrays, strings, numbers and booleans`);
      }
      if (Object.getOwnPropertySymbols(v).length > 0) {
        throw new TypeError(`${at(where)}: a key that is a Symbol cannot be sent`);
      }
      if (typeof /** @type {{ toJSON?: unknown }} */ (v).toJSON === 'function') {
        throw new TypeError(`${at(where)}: an object with a toJSON method cannot be sent as it is`);
      }
      for (const [name, item] of Object.entries(v)) {
        const inner = key(where, name);
        checkText(name, inner);
        if (item !== undefined) visit(item, inner, depth + 1);
      }
    }
    ancestors.delete(v);
  };
  visit(value, path, 0);
  if (!dates) return JSON.stringify(value);
  // `this[key]` is the value before Date's toJSON made it a string.
  return JSON.stringify(value, function tagDates(key, v) {
    return this[key] instanceof Date ? instant(this[key]) : v;
  });
}

/** Throws unless `value` is a plain object (a body, a patch, an item, a rule).
 * @param {unknown} value
 * @param {string[]} path */
function checkObject(value, path) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${at(path)} must be an object`);
  }
}

/** The JSON text of an object argument.
 * @param {unknown} value
 * @param {string[]} path
 * @returns {string} */
function objectText(value, path) {
  checkObject(value, path);
  return jsonText(value, path);
}

module.exports = { MAX_DEPTH, checkObject, checkText, jsonText, objectText };
