'use strict';
// One side of one benchmark pair, run by bench/python/run.py in a process of its
// own so that the peak memory the driver reads is this side's alone.
//
//   node bench/node/case.js CASE BASE_URL IDS_FILE
//
// Prints the seconds the work took as its first line, then what the work got,
// one row per line (`id`, or `id<TAB>first_name<TAB>last_name` for gets), which
// the driver checks against the sandbox. Loading the modules, building the
// client and the schema, and one warm-up get (which opens a connection) are
// outside the timing. The peers (undici, zod) come from target/bench-node, where
// `make bench` installs them, not from the package's own dependencies.

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { performance } = require('node:perf_hooks');

const peers = createRequire(path.join(__dirname, '../../target/bench-node/package.json'));

const LIST = '/accounts/users/customer/tenant/list/';
const ONE = '/accounts/users/customer/tenant/';
const PAGE_SIZE = 100;
const CUSTOMER = '00000000-0000-4000-8000-000000000001';
// The sandbox takes any non-empty values for the first seeded customer.
const HEADERS = {
  'X-PIGELLO-CUSTOMER-ID': CUSTOMER,
  'X-PIGELLO-APPLICATION-ID': 'bench',
  'X-PIGELLO-SERVICE-ID': 'bench',
  'X-PIGELLO-SERVICE-VERSION-ID': 'bench',
  'X-PIGELLO-CLIENT-CT': 'bench',
  'X-PIGELLO-CLIENT-ENTITY': 'bench',
  'X-PIGELLO-CLIENT-SECRET': 'bench',
};

const pageUrl = (base, page) => `${base}${LIST}?_order_by=id&_page=${page}&_page_size=${PAGE_SIZE}`;
const oneUrl = (base, id) => `${base}${ONE}${id}/`;
const gotRow = ([id, first, last]) => `${id}\t${first ?? ''}\t${last ?? ''}`;

function pigelloClient(base) {
  const { Client } = require('../../bindings-node');
  return new Client({
    customerId: CUSTOMER,
    applicationId: 'bench',
    serviceId: 'bench',
    serviceVersionId: 'bench',
    clientCt: 'bench',
    clientObjectId: 'bench',
    clientSecret: 'bench',
    baseUrl: base,
  });
}

/** What a user validates with zod: the fields they read. */
function zodTenant() {
  const { z } = peers('zod');
  return z.object({
    id: z.uuid(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    created_at: z.iso.datetime().nullable(),
  });
}

// Each way to get one tenant as an object: returns (base) => (id) => Promise<row>.
const getters = {
  fetch(base) {
    return async (id) => {
      const answer = await fetch(oneUrl(base, id), { headers: HEADERS });
      if (answer.status !== 200) throw new Error(`${id}: ${answer.status}`);
      return JSON.parse(await answer.text());
    };
  },
  undici(base) {
    const { request } = peers('undici');
    return async (id) => {
      const { statusCode, body } = await request(oneUrl(base, id), { headers: HEADERS });
      if (statusCode !== 200) throw new Error(`${id}: ${statusCode}`);
      return JSON.parse(await body.text());
    };
  },
  zod(base) {
    const tenant = zodTenant();
    const get = getters.fetch(base);
    return async (id) => tenant.parse(await get(id));
  },
  pigello(base) {
    const client = pigelloClient(base);
    return (id) => client.tenants.get(id);
  },
  'pigello-otel'(base) {
    withOpenTelemetry();
    return getters.pigello(base);
  },
};

/** Sets up OpenTelemetry as an application does: a tracer provider whose spans
 * go to an exporter that drops them (the cost measured is the spans', not an
 * exporter's), a meter provider with a reader, the AsyncLocalStorage context
 * manager and the W3C propagator. */
function withOpenTelemetry() {
  const api = peers('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = peers('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = peers('@opentelemetry/core');
  const { MeterProvider, MetricReader } = peers('@opentelemetry/sdk-metrics');
  const { BasicTracerProvider, SimpleSpanProcessor } = peers('@opentelemetry/sdk-trace-base');
  const dropped = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
  class Kept extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(dropped)] }));
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Kept()] }));
}

/** Every tenant, page after page until one is short, decoded by `page`. */
async function everyPage(page) {
  const ids = [];
  for (let n = 1; ; n += 1) {
    const rows = await page(n);
    for (const t of rows) ids.push(t.id);
    if (rows.length < PAGE_SIZE) return ids;
  }
}

const cases = {
  // Sequential gets, 3 fields read.
  ...Object.fromEntries(
    Object.entries(getters).map(([name, make]) => [
      `${name}-get`,
      async (base, ids) => {
        const get = make(base);
        await get(ids[0]);
        const [seconds, rows] = await timed(async () => {
          const rows = [];
          for (const id of ids) {
            const t = await get(id);
            rows.push([t.id, t.first_name, t.last_name, t.created_at]);
          }
          return rows;
        });
        return [seconds, rows.map(gotRow)];
      },
    ]),
  ),
  // Every tenant listed.
  'pigello-iterate': async (base, ids) => {
    const client = pigelloClient(base);
    await client.tenants.get(ids[0]);
    return timed(async () => {
      const got = [];
      for await (const t of client.tenants.iterate({ pageSize: PAGE_SIZE })) got.push(t.id);
      return got;
    });
  },
  'pigello-pages': async (base, ids) => {
    const client = pigelloClient(base);
    await client.tenants.get(ids[0]);
    return timed(async () => {
      const got = [];
      let page = await client.tenants.list({ pageSize: PAGE_SIZE, orderBy: 'id' });
      while (page) {
        for (const t of page.data) got.push(t.id);
        page = await page.nextPage();
      }
      return got;
    });
  },
  'fetch-list': async (base, ids) => {
    await getters.fetch(base)(ids[0]);
    return timed(() =>
      everyPage(async (n) => {
        const answer = await fetch(pageUrl(base, n), { headers: HEADERS });
        if (answer.status !== 200) throw new Error(`page ${n}: ${answer.status}`);
        return JSON.parse(await answer.text());
      }),
    );
  },
  'undici-list': async (base, ids) => {
    const { request } = peers('undici');
    await getters.undici(base)(ids[0]);
    return timed(() =>
      everyPage(async (n) => {
        const { statusCode, body } = await request(pageUrl(base, n), { headers: HEADERS });
        if (statusCode !== 200) throw new Error(`page ${n}: ${statusCode}`);
        return JSON.parse(await body.text());
      }),
    );
  },
  'zod-list': async (base, ids) => {
    const { z } = peers('zod');
    const page = z.array(zodTenant());
    await getters.fetch(base)(ids[0]);
    return timed(() =>
      everyPage(async (n) => {
        const answer = await fetch(pageUrl(base, n), { headers: HEADERS });
        if (answer.status !== 200) throw new Error(`page ${n}: ${answer.status}`);
        return page.parse(JSON.parse(await answer.text()));
      }),
    );
  },
};

async function timed(work) {
  const started = performance.now();
  const rows = await work();
  return [(performance.now() - started) / 1000, rows];
}

(async () => {
  const [name, base, idsFile] = process.argv.slice(2);
  const ids = fs.readFileSync(idsFile, 'utf8').split(/\s+/).filter(Boolean);
  if (!cases[name]) throw new Error(`no case ${name}; the cases: ${Object.keys(cases).join(', ')}`);
  const [seconds, rows] = await cases[name](base, ids);
  // The process's own peak resident set: wait4's figure for a child also
  // counts the parent's memory at the fork.
  const status = require('node:fs').readFileSync('/proc/self/status', 'utf8');
  const peakKib = Number(/^VmHWM:\s+(\d+)/m.exec(status)[1]);
  process.stdout.write(
    `${JSON.stringify({ seconds, peak_kib: peakKib })}\n${rows.map((r) => `${r}\n`).join('')}`,
  );
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
