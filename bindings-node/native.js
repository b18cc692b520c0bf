'use strict';
// Loads the addon built for this platform (`napi build --platform` names it).

const { join } = require('node:path');

function abi() {
  if (process.platform !== 'linux') return '';
  const report = process.report?.getReport?.();
  return report?.header?.glibcVersionRuntime ? '-gnu' : '-musl';
}

const arch = process.arch === 'x64' ? 'x64' : process.arch;
const file = join(__dirname, 'native', `pigello.${process.platform}-${arch}${abi()}.node`);

try {
  module.exports = require(file);
} catch (error) {
  throw new Error(
    `the pigello native addon for ${process.platform}-${arch} could not be loaded from ${file} ` +
      `(run \`npm run build\`): ${error.message}`,
  );
}
