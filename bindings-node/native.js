'use strict';
// Loads the native addon for this platform: the one built in this checkout
// (`npm run build`), else the platform package npm installed as an optional
// dependency (`pigello-linux-x64-gnu` and so on, one per entry of
// package.json's `napi.targets`).

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const { name, version, napi, optionalDependencies = {} } = require('../package.json');

// What the addon offers, as these modules call it. The build writes its own
// declarations (native/native.d.ts), but beside the addon, which a checkout
// that has not built it lacks; these say the same of what is used here.

/**
 * What a method of the addon is sent with.
 * @typedef {object} SendOptions
 * @property {string} [options] The method's options, as the JSON text `options.js` writes.
 * @property {number} [cancel] A cancel id (`newCancel()`) the call's `signal` cancels.
 * @property {number} [record] A recorder id (`newRecorder()`) that keeps the call's answer.
 * @property {number} [logTag] A client's log tag (`newLogTag()`).
 * @property {number} [telemetry] A telemetry bridge (`telemetry.js`) of the call.
 */

/**
 * One page of a list, its rows as JSON text.
 * @typedef {object} NativePage
 * @property {string} rowsJson
 * @property {number} [total]
 * @property {number} page
 * @property {number} pageSize
 * @property {string} [requestId]
 * @property {number} [nextPage]
 */

/**
 * Every matching row, a page at a time: each batch is the JSON text of an
 * array of rows, `[]` once every row was given.
 * @typedef {{ nextBatch(): Promise<string> }} NativeRows
 */

/**
 * A client of the core. Rows come as JSON text, checked by the core; a bulk
 * write's rows and an invite's answer come as the JSON values they are.
 * @typedef {object} NativeClient
 * @property {string} baseUrl
 * @property {number} timeout
 * @property {number} maxRetries
 * @property {boolean} isClosed
 * @property {() => void} close
 * @property {(settings: SendOptions) => NativeClient} withOptions
 * @property {(resource: string, id: string, send: SendOptions) => Promise<string>} get
 * @property {(resource: string, send: SendOptions) => Promise<NativePage>} list
 * @property {(resource: string, send: SendOptions) => NativeRows} iterate
 * @property {(resource: string, input: string, send: SendOptions) => Promise<string>} create
 * @property {(resource: string, id: string, patch: string, send: SendOptions) => Promise<string>} update
 * @property {(resource: string, id: string, send: SendOptions) => Promise<void>} delete
 * @property {(resource: string, items: string, send: SendOptions) => Promise<Json[]>} bulkWrite
 * @property {(resource: string, body: string, send: SendOptions) => Promise<Json>} invite
 * @property {(resource: string, method: string) => string | null} operationSpan
 */

/**
 * A sandbox running in this process.
 * @typedef {object} NativeSandbox
 * @property {string} url
 * @property {(settings: SendOptions) => NativeClient} client
 * @property {() => string[][]} env
 * @property {() => void} reset
 * @property {(rule: string) => number} injectFault
 * @property {() => number[]} faultHits
 * @property {() => void} clearFaults
 * @property {() => Json} requests
 * @property {() => void} clearRequests
 * @property {() => Json} exportState
 * @property {(state: string) => void} importState
 * @property {() => Promise<void>} stop
 */

/**
 * A resource as the client's properties are built from it.
 * @typedef {object} ResourceInfo
 * @property {string} name The resource's name, as the API spells it (`Tenant`).
 * @property {string} property The client property (`tenants`).
 * @property {boolean} invite Whether the resource has an invite endpoint.
 */

/**
 * The answer a recorder kept.
 * @typedef {object} ResponseInfo
 * @property {number} status
 * @property {Record<string, string>} headers Every header, by lower-case name.
 * @property {string | null} requestId
 * @property {number} elapsedMs
 * @property {number} retriesTaken
 */

/** The levels a line comes at, each the name of the logger's method for it.
 * @typedef {'error' | 'warn' | 'info' | 'debug'} LineLevel */

/**
 * The addon's functions and classes. `NativeSandbox` has no constructor: a
 * sandbox comes from `startSandbox`.
 * @typedef {object} NativeAddon
 * @property {{ new (send: SendOptions): NativeClient, fromEnv(settings: SendOptions): NativeClient }} NativeClient
 * @property {abstract new () => NativeSandbox} NativeSandbox
 * @property {(options: string | undefined) => Promise<NativeSandbox>} startSandbox
 * @property {() => ResourceInfo[]} resources
 * @property {() => { maxDepth: number, tooDeep: string }} nesting
 * @property {(name: string, candidates: string[]) => string | null} closestName
 * @property {() => number} newCancel
 * @property {(id: number) => void} cancel
 * @property {(id: number) => void} releaseCancel
 * @property {() => number} newRecorder
 * @property {(id: number) => ResponseInfo | null} takeResponse
 * @property {(level: string, option: string) => number} newLogTag
 * @property {(callback: (tag: number, level: LineLevel, line: string) => void) => void} logTo
 * @property {(callback: (event: 'start' | 'end', json: string) => string) => void} telemetryTo
 * @property {() => boolean} telemetryOff
 * @property {(rows: number, pages: number, errorType: string | null) => string} operationEnd
 * @property {() => string[]} durationMetric
 * @property {() => string} version
 */

/**
 * A JSON value: what the core sends back, as `JSON.parse` builds it. (Its
 * arrays have a name of their own: a JSDoc alias cannot refer to itself
 * through `Json[]`.)
 * @typedef {null | boolean | number | string | JsonArray | Row} Json
 */

/** @typedef {Json[]} JsonArray */

/** An object as the API sends it (a row).
 * @typedef {{ [key: string]: Json }} Row */

/** Linux builds differ by C library; the report says which one runs. */
function libc() {
  if (process.platform !== 'linux') return '';
  // The report's declared type is `object`; its header is as Node documents it.
  const report = /** @type {{ header?: { glibcVersionRuntime?: string } } | undefined} */ (process.report?.getReport?.());
  return report?.header?.glibcVersionRuntime ? '-gnu' : '-musl';
}

function platformName() {
  if (process.platform === 'win32') return `win32-${process.arch}-msvc`;
  return `${process.platform}-${process.arch}${libc()}`;
}

/** @returns {NativeAddon} */
function load() {
  const platform = platformName();
  const built = join(__dirname, 'native', `${napi.binaryName}.${platform}.node`);
  if (existsSync(built)) return require(built);

  const pkg = `${name}-${platform}`;
  try {
    return require(pkg);
  } catch (caught) {
    const error = /** @type {NodeJS.ErrnoException} */ (caught);
    if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes(pkg)) {
      error.message = `${pkg} is installed but its addon could not be loaded: ${error.message}`;
      throw error;
    }
    throw new Error(missing(platform, pkg));
  }
}

/** What a user whose platform has no addon installed reads, and what to do.
 * @param {string} platform
 * @param {string} pkg
 * @returns {string} */
function missing(platform, pkg) {
  const supported = Object.keys(optionalDependencies)
    .filter((dep) => dep.startsWith(`${name}-`))
    .map((dep) => dep.slice(name.length + 1));
  if (supported.includes(platform)) {
    return (
      `${name} ${version} has a prebuilt addon for ${platform}, but ${pkg} is not installed. ` +
      'Its package manager skipped the optional dependency: install without --omit=optional ' +
      '(or --no-optional), or, if the lockfile was made on another platform, delete ' +
      `node_modules and package-lock.json and install again (npm/cli#4828). Or add it: npm install ${pkg}@${version}`
    );
  }
  return (
    `${name} ${version} has no prebuilt addon for ${platform} ` +
    `(there are: ${supported.join(', ') || 'none'}). ` +
    'Build it from source with a Rust toolchain: clone the repository and run `npm run build`.'
  );
}

module.exports = load();
