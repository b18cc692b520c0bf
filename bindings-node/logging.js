'use strict';
const native = require('./native.js');
const { runNative } = require('./calls.js');

/** @typedef {import('./options.js').Logger} Logger */
/** @typedef {import('./options.js').Accepted} Accepted */

/**
 * How a client logs: its logger, the level it logs at, and the tag the addon
 * knows that pair by.
 * @typedef {{ logger: Logger, level: string, tag: number }} Log
 */

// Logging. The core makes each line (it never holds a credential, a body or a
// personal value); the addon sends it here with the tag of the client whose
// call made it, and only when that tag's level wants it. A tag stands for one
// logger at one level, so clients that share both share a tag.
/** @type {Logger} */
const DEFAULT_LOGGER = Object.freeze({
  error: (line) => console.error(`pigello: ${line}`),
  warn: (line) => console.warn(`pigello: ${line}`),
  info: (line) => console.info(`pigello: ${line}`),
  debug: (line) => console.debug(`pigello: ${line}`),
});
/** @type {WeakMap<Logger, Map<string, number>>} */
const tagsOfLogger = new WeakMap(); // logger -> Map(level -> tag)
/** @type {Map<number, WeakRef<Logger>>} */
const loggerOfTag = new Map(); // tag -> WeakRef(logger)

/** @type {WeakSet<Logger>} */
const loggersThatThrew = new WeakSet();

// A line comes outside any call of the user's, so a logger that throws would
// end the process (an uncaught exception) for want of a log line: it is said
// once per logger, as a process warning, instead.
native.logTo((tag, level, line) => {
  const logger = loggerOfTag.get(tag)?.deref();
  try {
    logger?.[level](line);
  } catch (error) {
    // Only a logger there is can have thrown.
    if (loggersThatThrew.has(/** @type {Logger} */ (logger))) return;
    loggersThatThrew.add(/** @type {Logger} */ (logger));
    // Whatever was thrown, an Error or not, is said.
    const thrown = /** @type {{ message?: unknown } | null | undefined} */ (error);
    process.emitWarning(`the logger threw, and its lines are lost: ${thrown?.message ?? error}`, 'PigelloLoggerWarning');
  }
});

/** The tag of `logger` at `level`; a level that is not one is an error naming
 * `option`.
 * @param {Logger} logger
 * @param {string} level
 * @param {string} option
 * @returns {number} */
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

/** The `PIGELLO_LOG` values already said not to be a level.
 * @type {Set<string>} */
const envLevelsRefused = new Set();

/** How a client logs: the `logger` and `logLevel` given, else those of the
 * client it derives from, else `console` at `PIGELLO_LOG` (default `'warn'`,
 * as openai-node's `OPENAI_LOG`). A `PIGELLO_LOG` that is not a level is said
 * once through the logger, and `'warn'` is used.
 * @param {Accepted} accepted
 * @param {Log} [from]
 * @returns {Log} */
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
      if (!envLevelsRefused.has(fromEnv)) logger.warn(`${/** @type {Error} */ (error).message}; logging at 'warn'`);
      envLevelsRefused.add(fromEnv);
    }
  }
  return { logger, level: 'warn', tag: logTagOf(logger, 'warn', 'logLevel') };
}

module.exports = { logOf };
