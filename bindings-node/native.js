'use strict';
// Loads the native addon for this platform: the one built in this checkout
// (`npm run build`), else the platform package npm installed as an optional
// dependency (`pigello-linux-x64-gnu` and so on, one per entry of
// package.json's `napi.targets`).

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const { name, version, napi, optionalDependencies = {} } = require('../package.json');

/** Linux builds differ by C library; the report says which one runs. */
function libc() {
  if (process.platform !== 'linux') return '';
  const report = process.report?.getReport?.();
  return report?.header?.glibcVersionRuntime ? '-gnu' : '-musl';
}

function platformName() {
  if (process.platform === 'win32') return `win32-${process.arch}-msvc`;
  return `${process.platform}-${process.arch}${libc()}`;
}

function load() {
  const platform = platformName();
  const built = join(__dirname, 'native', `${napi.binaryName}.${platform}.node`);
  if (existsSync(built)) return require(built);

  const pkg = `${name}-${platform}`;
  try {
    return require(pkg);
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes(pkg)) {
      error.message = `${pkg} is installed but its addon could not be loaded: ${error.message}`;
      throw error;
    }
    throw new Error(missing(platform, pkg));
  }
}

/** What a user whose platform has no addon installed reads, and what to do. */
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
