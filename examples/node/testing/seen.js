'use strict';
// What each test file saw, for the tests of these recipes: the process it ran
// in and the sandbox it reached (written only when SEEN_FILE is set).
const { appendFileSync } = require('node:fs');

function recordSeen(tenants) {
  if (process.env.SEEN_FILE) {
    appendFileSync(process.env.SEEN_FILE, `${process.pid} ${process.env.PIGELLO_BASE_URL} ${tenants}\n`);
  }
}

module.exports = { recordSeen };
