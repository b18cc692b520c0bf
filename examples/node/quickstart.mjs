// Quickstart for Node: a get, a filtered list, `for await` over every page, and
// a create refused before it is sent. Against the API when the PIGELLO_*
// credentials are set (it only reads there); else against the in-process sandbox.
//
//     node examples/node/quickstart.mjs        (after `npm install` and `npm run build`)

import { Client, Sandbox, ValidationError } from 'pigello';

const sandbox = process.env.PIGELLO_CUSTOMER_ID ? null : await Sandbox.start({ seed: 1, tenants: 40 });
const client = sandbox ? sandbox.client() : Client.fromEnv();

try {
  const page = await client.tenants.list({
    pageSize: 5,
    orderBy: '-birth_date',
    filters: { ssn__isnull: false }, // tenants with a personal number
  });
  for (const t of page.data) console.log(`${t.id}  ${t.first_name} ${t.last_name}  born ${t.birth_date}`);

  const first = await client.tenants.get(page.data[0].id);
  console.log(`got ${first.id}: ${first.first_name}, invoices to ${first.invoice_email}`);

  let companies = 0;
  for await (const tenant of client.tenants.iterate({ pageSize: 10, filters: { ssn__isnull: true } })) {
    companies += tenant.corporate_name ? 1 : 0;
  }
  console.log(`${companies} companies, fetched 10 a page`);

  try {
    await client.protectedIdentities.create({ tenant: first.id, ssn: '19811218-9875' });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    console.log('refused before sending:');
    for (const issue of error.errors) console.log(`  ${issue}`);
  }
} finally {
  await sandbox?.stop();
}
