// Telemetry: pigello's requests in your OpenTelemetry traces.
//
// Nothing to set up on pigello's side: once the application has registered a
// tracer provider, a context manager and a propagator (here a provider that
// prints each span as it ends), every request is a CLIENT span under the span
// active where the call was made, and carries that trace to the server in a
// `traceparent` header. A retried call shows each attempt. Needs
// @opentelemetry/api, sdk-trace-base, context-async-hooks and core.
//
//     node examples/node/telemetry.mjs        (after `npm install` and `npm run build`)

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Sandbox } from 'pigello';

/** Prints each span as one line: its name, then what the conventions put on it. */
const printer = {
  export(spans, done) {
    for (const span of spans) {
      const shown = Object.entries(span.attributes)
        .filter(([key]) => key !== 'url.full')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${value}`);
      const parent = span.parentSpanContext?.spanId ?? span.parentSpanId ?? 'none';
      console.log(`${span.name}  (span ${span.spanContext().spanId}, parent ${parent})\n    ${shown.join('  ')}`);
    }
    done({ code: 0 });
  },
  shutdown: async () => {},
};

trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(printer)] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const tracer = trace.getTracer('nightly-export');

const sandbox = await Sandbox.start({ seed: 1, tenants: 40 });
try {
  const client = sandbox.client();
  // The sandbox answers the first list 503 once: the client retries it.
  sandbox.injectFault({ kind: 'status', status: 503, method: 'GET', count: 1 });
  await tracer.startActiveSpan('nightly export', async (job) => {
    const page = await client.tenants.list({ pageSize: 10, filters: { ssn__isnull: false } });
    await client.tenants.get(page.data[0].id);
    job.end();
  });
  const seen = sandbox.requests().at(-1);
  console.log(`the server received traceparent ${seen.headers.traceparent}`);
} finally {
  await sandbox.stop();
}
