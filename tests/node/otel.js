'use strict';
// The application's OpenTelemetry as a test sets it up: a tracer provider with
// the in-memory exporter of sdk-trace-base, the AsyncLocalStorage context
// manager, the W3C propagator and a meter provider with a reader, registered
// as the process's globals until `unregister()`.

const api = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
const {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} = require('@opentelemetry/sdk-trace-base');

/** A reader whose points a test collects when it wants them. */
class Collected extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

/** Registers providers as an application does, and how to take them back. */
function register(tracerProvider = undefined) {
  const spans = new InMemorySpanExporter();
  const provider =
    tracerProvider ?? new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  api.trace.setGlobalTracerProvider(provider);
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const reader = new Collected();
  api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return {
    spans,
    reader,
    tracer: api.trace.getTracer('the application'),
    /** @param {string} name */
    finished: (name) => spans.getFinishedSpans().filter((s) => s.name === name),
    unregister() {
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
      api.metrics.disable();
    },
  };
}

module.exports = { register };
