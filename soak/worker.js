'use strict';
// The Node worker of the soak (soak.py): N mixed operations with one client,
// each written to a ledger as JSON lines: what was asked, what the client
// reported, how long it took.
//
//     node soak/worker.js URL N SEED SECRET LEDGER

const fs = require('node:fs');
const pigello = require('pigello');

const [url, opsText, seedText, secret, ledgerPath] = process.argv.slice(2);
const TIMEOUT_MS = 1000;

/** A small seeded generator (mulberry32), so a run can be replayed. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  const client = new pigello.Client({
    customerId: '00000000-0000-4000-8000-000000000001',
    applicationId: 'a',
    serviceId: 's',
    serviceVersionId: 'v',
    clientCt: 'c',
    clientObjectId: 'o',
    clientSecret: secret,
    baseUrl: url,
    timeout: TIMEOUT_MS,
    maxRetries: 2,
  });
  const tenants = client.tenants;
  const random = generator(Number(seedText) + 2);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const own = [];
  const prefix = 'soak-node-';
  const ledger = fs.openSync(ledgerPath, 'w');
  for (let n = 0; n < Number(opsText); n += 1) {
    const entry = { n };
    const roll = random();
    const started = process.hrtime.bigint();
    try {
      if (roll < 0.2 || own.length === 0) {
        const marker = `${prefix}${n}`;
        Object.assign(entry, { op: 'create', markers: [marker] });
        const made = await tenants.create({ first_name: marker, last_name: 'v0' });
        own.push(made.id);
        entry.ids = [made.id];
      } else if (roll < 0.4) {
        const target = pick(own);
        Object.assign(entry, { op: 'update', updates: [[target, `v${n}`]] });
        await tenants.update(target, { last_name: `v${n}` });
      } else if (roll < 0.5 && own.length > 1) {
        const [target] = own.splice(Math.floor(random() * own.length), 1);
        Object.assign(entry, { op: 'delete', id: target });
        await tenants.delete(target);
      } else if (roll < 0.7) {
        entry.op = 'get';
        await tenants.get(pick(own));
      } else if (roll < 0.8) {
        entry.op = 'list';
        await tenants.list({ filters: { first_name__startswith: prefix }, pageSize: 20 });
      } else if (roll < 0.85) {
        // The creates of the last hundred or so operations: few pages however
        // long the soak runs (see `recent` in soak.py).
        entry.op = 'iterate';
        let rows = 0;
        const filters = { first_name__startswith: `${prefix}${Math.floor(n / 100)}` };
        for await (const row of tenants.iterate({ filters, pageSize: 50 })) {
          if (!row.id) throw new Error('a row without an id');
          rows += 1;
        }
        entry.pages = Math.floor(rows / 50) + 1;
      } else if (roll < 0.95) {
        const markers = [`${prefix}${n}-a`, `${prefix}${n}-b`];
        const target = pick(own);
        Object.assign(entry, { op: 'bulk', markers, updates: [[target, `v${n}`]] });
        const written = await tenants.bulkWrite([
          { first_name: markers[0], last_name: 'v0' },
          { first_name: markers[1], last_name: 'v0' },
          { id: target, last_name: `v${n}` },
        ]);
        entry.ids = written.slice(0, 2).map((row) => row.id);
        own.push(...entry.ids);
      } else {
        entry.op = 'invite';
        await tenants.invite({ email: `soak${n}@example.se` });
      }
      entry.status = 'done';
    } catch (e) {
      const typed = e instanceof pigello.PigelloError;
      Object.assign(entry, {
        status: typed && !e.outcomeUnknown ? 'failed' : 'unknown',
        error: e?.constructor?.name ?? typeof e,
        text: `${e?.message}\n${e?.stack}`,
        untyped: !typed,
      });
    }
    entry.s = Number(process.hrtime.bigint() - started) / 1e9;
    fs.writeSync(ledger, `${JSON.stringify(entry)}\n`);
  }
  fs.closeSync(ledger);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
