'use strict';
// pigello's requests in the application's OpenTelemetry, with the in-memory
// exporter of sdk-trace-base and a metric reader: a CLIENT span per attempt
// under the caller's span (concurrent calls included), the trace context the
// sandbox receives, retries, error answers, the duration histogram, nothing
// without a provider, and a provider that throws never breaking a call.

const test = require('node:test');
const assert = require('node:assert/strict');
const api = require('@opentelemetry/api');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const pigello = require('pigello');
const { withSandbox } = require('./support.js');
const { register } = require('./otel.js');

const TENANT = 'GET /accounts/users/customer/tenant/{pk}/';
const TENANT_LIST = 'GET /accounts/users/customer/tenant/list/';

/** The `traceparent` that names `span`. */
function traceparent(span) {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

/** The id of a finished span's parent (sdk-trace-base 1.x and 2.x name it differently). */
function parentOf(span) {
  return span.parentSpanContext?.spanId ?? span.parentSpanId;
}

test('a get inside a span is its CLIENT span, and the server receives its context', async () => {
  const otel = register();
  try {
    await withSandbox({}, async (sb, client) => {
      const [tenant] = (await client.tenants.list({ pageSize: 1 })).data;
      sb.clearRequests();
      await otel.tracer.startActiveSpan('nightly job', async (job) => {
        await client.tenants.get(tenant.id);
        job.end();
      });
      const [span] = otel.finished(TENANT);
      assert.equal(span.kind, api.SpanKind.CLIENT);
      const [job] = otel.finished('nightly job');
      assert.equal(parentOf(span), job.spanContext().spanId);
      assert.equal(span.spanContext().traceId, job.spanContext().traceId);
      const [seen] = sb.requests();
      assert.equal(seen.headers.traceparent, traceparent(span));
      const url = new URL(sb.url);
      assert.deepEqual(span.attributes, {
        'http.request.method': 'GET',
        'server.address': url.hostname,
        'server.port': Number(url.port),
        'url.full': `${url.origin}/accounts/users/customer/tenant/${tenant.id}/`,
        'url.template': '/accounts/users/customer/tenant/{pk}/',
        'http.response.status_code': 200,
        'pigello.request_id': seen.requestId,
      });
      assert.equal(span.status.code, api.SpanStatusCode.UNSET);
      assert.ok(span.ended);
    });
  } finally {
    otel.unregister();
  }
});

test('concurrent calls each have their own caller as parent', async () => {
  const otel = register();
  try {
    await withSandbox({}, async (_sb, client) => {
      const parents = await Promise.all(
        ['a', 'b', 'c'].map((name) =>
          otel.tracer.startActiveSpan(name, async (parent) => {
            await client.tenants.list({ pageSize: 1 });
            parent.end();
            return parent.spanContext().spanId;
          }),
        ),
      );
      const spans = otel.finished(TENANT_LIST);
      assert.equal(spans.length, 3);
      assert.deepEqual(spans.map(parentOf).sort(), [...parents].sort());
    });
  } finally {
    otel.unregister();
  }
});

test('a retried call shows each attempt, and a 404 is an error', async () => {
  const otel = register();
  try {
    await withSandbox({}, async (sb, client) => {
      sb.injectFault({ kind: 'status', status: 503, method: 'GET', count: 1 });
      await client.tenants.list({ pageSize: 1 });
      const [first, second] = otel.finished(TENANT_LIST);
      assert.equal(first.attributes['http.response.status_code'], 503);
      assert.equal(first.attributes['error.type'], '503');
      assert.equal(first.status.code, api.SpanStatusCode.ERROR);
      assert.equal(first.attributes['http.request.resend_count'], undefined);
      assert.equal(second.attributes['http.request.resend_count'], 1);
      assert.equal(second.status.code, api.SpanStatusCode.UNSET);

      await assert.rejects(client.tenants.get('497f6eca-6276-4993-bfeb-53cbbbba6f08'), pigello.NotFoundError);
      const [missing] = otel.finished(TENANT);
      assert.equal(missing.attributes['error.type'], '404');
      assert.equal(missing.status.code, api.SpanStatusCode.ERROR);
    });
  } finally {
    otel.unregister();
  }
});

test('each attempt adds a point to http.client.request.duration, and iterate is traced too', async () => {
  const otel = register();
  try {
    await withSandbox({}, async (sb, client) => {
      await client.tenants.list({ pageSize: 1 });
      let rows = 0;
      for await (const _row of client.tenants.iterate({ pageSize: 10 })) rows += 1;
      assert.equal(rows, 30);
      const { resourceMetrics } = await otel.reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === 'http.client.request.duration');
      assert.equal(metric.descriptor.unit, 's');
      const [point] = metric.dataPoints;
      assert.equal(point.value.count, otel.finished(TENANT_LIST).length);
      assert.deepEqual(point.attributes, {
        'http.request.method': 'GET',
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(sb.url).port),
        'http.response.status_code': 200,
      });
      assert.ok(otel.finished(TENANT_LIST).length >= 4, 'the list and three pages at least');
    });
  } finally {
    otel.unregister();
  }
});

test('an iterate and a bulkWrite are each one INTERNAL span over their requests', async () => {
  const otel = register();
  try {
    await withSandbox({}, async (sb, client) => {
      let rows = 0;
      await otel.tracer.startActiveSpan('job', async (job) => {
        for await (const _row of client.tenants.iterate({ pageSize: 10 })) rows += 1;
        job.end();
      });
      const [walk] = otel.finished('pigello tenants.iterate');
      assert.equal(walk.kind, api.SpanKind.INTERNAL);
      assert.equal(parentOf(walk), otel.finished('job')[0].spanContext().spanId);
      const pages = otel.finished(TENANT_LIST);
      assert.ok(pages.length >= 3);
      assert.ok(pages.every((page) => parentOf(page) === walk.spanContext().spanId));
      assert.deepEqual(walk.attributes, {
        'pigello.resource': 'tenants',
        'pigello.rows': rows,
        'pigello.pages': pages.length,
      });
      assert.equal(rows, 30);
      assert.equal(walk.status.code, api.SpanStatusCode.UNSET);

      // A loop left early ends its span with the rows it was handed.
      otel.spans.reset();
      for await (const _row of client.tenants.iterate({ pageSize: 10 })) break;
      assert.equal(otel.finished('pigello tenants.iterate')[0].attributes['pigello.rows'], 1);

      otel.spans.reset();
      const written = await client.tenants.bulkWrite([{ first_name: 'Ada' }, { first_name: 'Bo' }]);
      const [bulk] = otel.finished('pigello tenants.bulk_write');
      assert.equal(bulk.attributes['pigello.rows'], written.length);
      const creates = otel.spans.getFinishedSpans().filter((s) => s.name.startsWith('POST '));
      assert.ok(creates.length >= 1);
      assert.ok(creates.every((span) => parentOf(span) === bulk.spanContext().spanId));

      // A walk that fails ends with the failed request's error.type.
      otel.spans.reset();
      sb.injectFault({ kind: 'status', status: 500, method: 'GET', count: 1 });
      await assert.rejects(async () => {
        for await (const _row of client.withOptions({ maxRetries: 0 }).tenants.iterate()) rows += 1;
      });
      const [failed] = otel.finished('pigello tenants.iterate');
      assert.equal(failed.status.code, api.SpanStatusCode.ERROR);
      assert.equal(failed.attributes['error.type'], '500');

      // A walk its caller aborts is not an error.
      otel.spans.reset();
      const stop = new AbortController();
      sb.injectFault({ kind: 'latency', ms: 5_000, method: 'GET', count: 1 });
      setTimeout(() => stop.abort(), 100);
      await assert.rejects(async () => {
        for await (const _row of client.tenants.iterate({}, { signal: stop.signal })) rows += 1;
      });
      const [aborted] = otel.finished('pigello tenants.iterate');
      assert.equal(aborted.status.code, api.SpanStatusCode.UNSET);
      assert.equal(aborted.attributes['error.type'], 'cancelled');
    });
  } finally {
    otel.unregister();
  }
});

test("a walk over a list's pages is one span over the next pages' requests", async () => {
  const otel = register();
  try {
    await withSandbox({}, async (_sb, client) => {
      const first = await client.tenants.list({ pageSize: 10 });
      otel.spans.reset();
      let rows = 0;
      for await (const page of first.iterPages()) rows += page.data.length;
      assert.equal(rows, 30);
      const [walk] = otel.finished('pigello tenants.list');
      assert.equal(walk.kind, api.SpanKind.INTERNAL);
      assert.equal(walk.attributes['pigello.rows'], 30);
      const requests = otel.finished(TENANT_LIST);
      assert.equal(walk.attributes['pigello.pages'], requests.length);
      assert.ok(requests.length >= 2);
      assert.ok(requests.every((request) => parentOf(request) === walk.spanContext().spanId));
      // A page fetched by hand is not part of any walk.
      otel.spans.reset();
      await first.nextPage();
      assert.deepEqual(otel.finished('pigello tenants.list'), []);
    });
  } finally {
    otel.unregister();
  }
});

test('nothing is recorded or sent without a provider, or with PIGELLO_TELEMETRY=off', async () => {
  await withSandbox({}, async (sb, client) => {
    await client.tenants.list({ pageSize: 1 });
    assert.ok(sb.requests().every((r) => r.headers.traceparent === undefined));

    const otel = register();
    process.env.PIGELLO_TELEMETRY = 'off';
    try {
      sb.clearRequests();
      await otel.tracer.startActiveSpan('job', async (job) => {
        await client.tenants.list({ pageSize: 1 });
        job.end();
      });
      assert.deepEqual(otel.finished(TENANT_LIST), []);
      assert.ok(sb.requests().every((r) => r.headers.traceparent === undefined));
    } finally {
      delete process.env.PIGELLO_TELEMETRY;
      otel.unregister();
    }
  });
});

test('a client made with { telemetry: false } is never traced', async () => {
  const otel = register();
  try {
    await withSandbox({}, async (sb) => {
      const quiet = sb.client({ telemetry: false });
      await otel.tracer.startActiveSpan('job', async (job) => {
        await quiet.tenants.list({ pageSize: 1 });
        await quiet.withOptions({ timeout: 30_000 }).tenants.list({ pageSize: 1 });
        await sb.client().withOptions({ telemetry: false }).tenants.list({ pageSize: 1 });
        job.end();
      });
      assert.deepEqual(otel.finished(TENANT_LIST), []);
      assert.ok(sb.requests().every((r) => r.headers.traceparent === undefined));
      await sb.client().tenants.list({ pageSize: 1 });
      assert.equal(otel.finished(TENANT_LIST).length, 1);
    });
  } finally {
    otel.unregister();
  }
});

test('a provider that throws never breaks a call, and is said once', async () => {
  const broken = new BasicTracerProvider();
  broken.getTracer = () => ({
    startSpan() {
      throw new Error("the exporter's disk is full");
    },
  });
  const otel = register(broken);
  const warnings = [];
  const keep = (warning) => warnings.push(warning);
  process.on('warning', keep);
  try {
    await withSandbox({}, async (_sb, client) => {
      assert.equal((await client.tenants.list({ pageSize: 2 })).data.length, 2);
      assert.equal((await client.tenants.list({ pageSize: 3 })).data.length, 3);
    });
    await new Promise((resolve) => setImmediate(resolve));
    const said = warnings.filter((w) => w.name === 'PigelloWarning');
    assert.equal(said.length, 1, JSON.stringify(said.map(String)));
    assert.match(said[0].message, /OpenTelemetry failed \(Error: the exporter's disk is full\)/);
  } finally {
    process.off('warning', keep);
    otel.unregister();
  }
});

test('each call is published on the diagnostics_channel TracingChannel pigello:request', async () => {
  const diagnostics = require('node:diagnostics_channel');
  const seen = [];
  const handlers = {
    start: (ctx) => seen.push(['start', ctx.resource, ctx.operation]),
    asyncEnd: (ctx) => seen.push(['asyncEnd', ctx.operation, ctx.error?.name ?? 'ok']),
    end() {},
    asyncStart() {},
    error: (ctx) => seen.push(['error', ctx.operation, ctx.error.name]),
  };
  const channel = diagnostics.tracingChannel('pigello:request');
  channel.subscribe(handlers);
  try {
    await withSandbox({}, async (_sb, client) => {
      await client.tenants.list({ pageSize: 1 });
      await assert.rejects(client.tenants.get('497f6eca-6276-4993-bfeb-53cbbbba6f08'));
    });
  } finally {
    channel.unsubscribe(handlers);
  }
  assert.deepEqual(seen, [
    ['start', 'Tenant', 'list'],
    ['asyncEnd', 'list', 'ok'],
    ['start', 'Tenant', 'get'],
    ['error', 'get', 'NotFoundError'],
    ['asyncEnd', 'get', 'NotFoundError'],
  ]);
});

test('pigello never loads OpenTelemetry itself: require and a call load none of it', () => {
  const script = `
    const pigello = require('pigello');
    (async () => {
      const sb = await pigello.Sandbox.start({ tenants: 3 });
      await sb.client().tenants.list({ pageSize: 1 });
      for await (const _row of sb.client().tenants.iterate()) break;
      await sb.stop();
      const loaded = Object.keys(require.cache).filter((file) => file.includes('@opentelemetry'));
      console.log(JSON.stringify(loaded));
    })();`;
  const loaded = require('node:child_process').execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(loaded), []);
});
