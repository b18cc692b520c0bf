'use strict';
// The application under test: it builds its own client from the PIGELLO_*
// variables, as it does in production. The tests beside it give it a sandbox
// through those variables alone.
const { Client } = require('pigello');

/** How many tenants there are, walking every page. */
async function countTenants() {
  const client = Client.fromEnv();
  let n = 0;
  for await (const _ of client.tenants.iterate({ pageSize: 10 })) n += 1;
  return n;
}

module.exports = { countTenants };
