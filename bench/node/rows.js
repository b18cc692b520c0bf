'use strict';
// Node: every tenant listed, and one tenant got at a time, by pigello and by
// the strongest plain peer (global fetch + JSON.parse, pooled), against one
// in-process release sandbox, alternated A/B in one run. Prints each median
// and the ratio peer / pigello (above 1: pigello is faster).
//
//   npm run build && node bench/node/rows.js [TENANTS] [RUNS]
//
// PIGELLO_BENCH_URL=<base URL> measures against a sandbox in its own process
// instead (`cargo run --release -p pigello-sandbox -- --tenants N`), so the
// server's work is not on this process's cores' books; PIGELLO_PACKAGE=<dir of
// index.js> measures another build of the package.

const { performance } = require('node:perf_hooks');

const pigello = require(process.env.PIGELLO_PACKAGE ?? '../../bindings-node');

const TENANTS = Number(process.argv[2] ?? 20_000);
const RUNS = Number(process.argv[3] ?? 5);
const PAGE_SIZE = 100;
const GETS = 2_000;
const LIST = '/accounts/users/customer/tenant/list/';
const ONE = '/accounts/users/customer/tenant/';

const HEADERS = {
  'X-PIGELLO-CUSTOMER-ID': '00000000-0000-4000-8000-000000000001',
  'X-PIGELLO-APPLICATION-ID': 'a',
  'X-PIGELLO-SERVICE-ID': 's',
  'X-PIGELLO-SERVICE-VERSION-ID': 'v',
  'X-PIGELLO-CLIENT-CT': 'ct',
  'X-PIGELLO-CLIENT-ENTITY': 'e',
  'X-PIGELLO-CLIENT-SECRET': 'secret',
};

async function fetchJson(url) {
  const answer = await fetch(url, { headers: HEADERS });
  if (answer.status !== 200) throw new Error(`${url}: ${answer.status}`);
  return JSON.parse(await answer.text());
}

/** Every tenant, page after page, as pigello's iterate orders them. */
async function fetchEveryTenant(base) {
  let count = 0;
  for (let page = 1; ; page += 1) {
    const rows = await fetchJson(`${base}${LIST}?_order_by=id&_page=${page}&_page_size=${PAGE_SIZE}`);
    count += rows.length;
    if (rows.length < PAGE_SIZE) return count;
  }
}

async function pigelloEveryTenant(client) {
  let count = 0;
  for await (const _ of client.tenants.iterate({ pageSize: PAGE_SIZE })) count += 1;
  return count;
}

async function fetchGets(base, ids) {
  let n = 0;
  for (const id of ids) n += (await fetchJson(`${base}${ONE}${id}/`)).id === id ? 1 : 0;
  return n;
}

async function pigelloGets(client, ids) {
  let n = 0;
  for (const id of ids) n += (await client.tenants.get(id)).id === id ? 1 : 0;
  return n;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs each of the pair RUNS times, alternated, checking they agree. */
async function pair(name, ours, peer) {
  const times = { ours: [], peer: [] };
  for (let run = 0; run < RUNS; run += 1) {
    for (const [side, work] of run % 2 === 0 ? [['ours', ours], ['peer', peer]] : [['peer', peer], ['ours', ours]]) {
      const started = performance.now();
      const result = await work();
      times[side].push(performance.now() - started);
      times[`${side}Result`] = result;
    }
  }
  if (times.oursResult !== times.peerResult) {
    throw new Error(`${name}: pigello gave ${times.oursResult}, the peer ${times.peerResult}`);
  }
  const [a, b] = [median(times.ours), median(times.peer)];
  console.log(
    `${name.padEnd(34)} pigello ${(a / 1000).toFixed(3)} s   fetch + JSON.parse ${(b / 1000).toFixed(3)} s   ratio ${(b / a).toFixed(2)}`,
  );
}

/** The sandbox's URL and a client of it, and how to stop it if it is ours. */
async function server() {
  const external = process.env.PIGELLO_BENCH_URL;
  if (external) {
    const credentials = {
      customerId: HEADERS['X-PIGELLO-CUSTOMER-ID'], applicationId: 'a', serviceId: 's',
      serviceVersionId: 'v', clientCt: 'ct', clientObjectId: 'e', clientSecret: 'secret',
    };
    return { base: external, client: new pigello.Client({ ...credentials, baseUrl: external }), stop() {} };
  }
  const sb = await pigello.Sandbox.start({ seed: 1, tenants: TENANTS });
  return { base: sb.url, client: sb.client(), stop: () => sb.stop() };
}

(async () => {
  const { base, client, stop } = await server();
  try {
    const ids = (await client.tenants.list({ pageSize: 1000 })).data.map((t) => t.id);
    const gets = Array.from({ length: GETS }, (_, i) => ids[i % ids.length]);
    console.log(`node ${process.version}, ${TENANTS} tenants, ${RUNS} runs each, medians`);
    await pair(`${TENANTS} tenants listed (iterate)`, () => pigelloEveryTenant(client), () => fetchEveryTenant(base));
    await pair(`${GETS} sequential gets`, () => pigelloGets(client, gets), () => fetchGets(base, gets));
  } finally {
    await stop();
  }
})();
