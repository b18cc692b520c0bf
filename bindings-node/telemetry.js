'use strict';
// pigello's requests in the application's OpenTelemetry: a CLIENT span for
// each request sent, its trace context on the wire, and the
// `http.client.request.duration` histogram.
//
// The core decides each span's name, attributes and status and each point's
// attributes (after the stable HTTP client conventions); this only hands them
// to what the application registered. Nothing is required: OpenTelemetry's
// API keeps what an application registers (tracer and meter providers,
// context manager, propagator) on one global object, shared by every copy of
// the API a program holds, bundled or not; when that object is absent, a call
// costs one property read. `PIGELLO_TELEMETRY=off` turns it off (the core
// reads it). A provider that throws never breaks a call: the first failure is
// said as a process warning, and calls go on without telemetry.

const native = require('./native.js');

/** The global object of OpenTelemetry's API, major version 1. */
const API = Symbol.for('opentelemetry.js.api.1');
/** The context key of the active span (the API's `trace.setSpan`). */
const SPAN = Symbol.for('OpenTelemetry Context Key SPAN');
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
/** The conventions' advisory buckets for the duration histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const VERSION = native.version();
const [METRIC, UNIT] = native.durationMetric();

/**
 * The parts of OpenTelemetry's API used here, as its global object holds them.
 * @typedef {{ getValue(key: symbol): unknown, setValue(key: symbol, value: unknown): OtelContext }} OtelContext
 * @typedef {{ setAttributes(a: object): void, setStatus(s: { code: number }): void, end(at?: number[]): void }} OtelSpan
 * @typedef {{ startSpan(name: string, options: object, context: OtelContext): OtelSpan }} Tracer
 * @typedef {{ record(value: number, attributes: object): void }} Histogram
 * @typedef {{ getTracer(name: string, version: string): Tracer }} TracerProvider
 * @typedef {{ getMeter(name: string, version: string): { createHistogram(name: string, options: object): Histogram } }} MeterProvider
 * @typedef {{ inject(context: OtelContext, carrier: Record<string, string>, setter: object): void }} Propagator
 * @typedef {{ active(): OtelContext }} ContextManager
 * @typedef {{ trace?: TracerProvider, metrics?: MeterProvider, propagation?: Propagator, context?: ContextManager }} Registered
 * @typedef {{ tracer: Tracer | undefined, histogram: Histogram | undefined, parent: OtelContext | undefined, propagation: Propagator | undefined, operation: Operation | undefined }} Bridge
 */

/** @type {Map<number, Bridge>} */
const bridges = new Map();
/** @type {Map<number, { span: OtelSpan | undefined, histogram: Histogram | undefined, operation: Operation | undefined }>} */
const spans = new Map();
let nextBridge = 1;
let nextSpan = 1;
let warned = false;

/** @type {[TracerProvider | undefined, Tracer | undefined]} */
let tracerOf = [undefined, undefined];
/** @type {[MeterProvider | undefined, Histogram | undefined]} */
let histogramOf = [undefined, undefined];

/** @param {unknown} error */
function failed(error) {
  if (warned) return;
  warned = true;
  const said = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.emitWarning(`OpenTelemetry failed (${said}); calls go on without spans and metrics from it`, {
    type: 'PigelloWarning',
  });
}

/**
 * A bridge for a call made here and now, under the active context (whose span
 * is its requests' parent) or in `operation`, and how to let it go once the
 * call has ended; none when nothing would record.
 * @param {Operation} [operation]
 * @returns {{ id: number | undefined, release(): void }}
 */
function bridgeHere(operation) {
  const registered = /** @type {Registered | undefined} */ (/** @type {any} */ (globalThis)[API]);
  if (registered === undefined || native.telemetryOff()) return NONE;
  try {
    const tracer = tracerOfProvider(registered.trace);
    const histogram = histogramOfProvider(registered.metrics);
    if (tracer === undefined && histogram === undefined) return NONE;
    const parent = operation?.context ?? registered.context?.active();
    const id = nextBridge++;
    bridges.set(id, { tracer, histogram, parent, propagation: registered.propagation, operation });
    return { id, release: () => bridges.delete(id) };
  } catch (error) {
    failed(error);
    return NONE;
  }
}

const NONE = Object.freeze({ id: undefined, release() {} });

/** An operation of several requests (`iterate`, `bulkWrite`): one INTERNAL
 * span over them, which counts its rows and its answered requests. */
class Operation {
  /** @param {OtelSpan} span @param {OtelContext | undefined} context */
  constructor(span, context) {
    this.span = span;
    /** Where its requests are made: the span is the active one there. */
    this.context = context;
    this.rows = 0;
    this.pages = 0;
    /** @type {string | undefined} The `error.type` of its last failed request. */
    this.failure = undefined;
    this.ended = false;
  }

  /** One of its requests ended: answered, or failed with `errorType`.
   * @param {string | undefined} errorType */
  attempted(errorType) {
    if (errorType === undefined) this.pages += 1;
    else this.failure = errorType;
  }

  /** Ends the span, once; `byError` when an error ended the operation (a
   * failed request's `error.type` then names it, else `_OTHER`).
   * @param {boolean} [byError] */
  end(byError = false) {
    if (this.ended) return;
    this.ended = true;
    try {
      const errorType = byError ? (this.failure ?? '_OTHER') : null;
      const ended = JSON.parse(native.operationEnd(this.rows, this.pages, errorType));
      this.span.setAttributes(ended.attributes);
      if (ended.error) this.span.setStatus({ code: STATUS_ERROR });
      this.span.end();
    } catch (error) {
      failed(error);
    }
  }
}

/**
 * The span of `method` (`iterate`, `bulkWrite`) on a resource, started now
 * under the active context, when a tracer records and the core names one for
 * it; its requests are its children (pass it to `bridgeHere`).
 * @param {{ operationSpan(property: string, method: string): string | null }} nativeClient
 * @param {string} property
 * @param {string} method
 * @returns {Operation | undefined}
 */
function operationHere(nativeClient, property, method) {
  const registered = /** @type {Registered | undefined} */ (/** @type {any} */ (globalThis)[API]);
  if (registered === undefined) return undefined;
  try {
    const tracer = tracerOfProvider(registered.trace);
    const described = tracer === undefined ? null : nativeClient.operationSpan(property, method);
    if (tracer === undefined || described === null) return undefined;
    const { name, attributes } = JSON.parse(described);
    const parent = registered.context?.active();
    const span = tracer.startSpan(name, { kind: SPAN_KIND_INTERNAL, attributes }, /** @type {OtelContext} */ (parent));
    return new Operation(span, parent?.setValue(SPAN, span));
  } catch (error) {
    failed(error);
    return undefined;
  }
}

/**
 * `run(operation)`, under `operation`'s span when there is one: the span ends
 * with it, with `count(value)` rows, or with its error.
 * @template T
 * @param {Operation | undefined} operation
 * @param {(operation: Operation | undefined) => Promise<T>} run
 * @param {(value: T) => number} count
 * @returns {Promise<T>}
 */
async function tracedOperation(operation, run, count) {
  if (operation === undefined) return run(undefined);
  try {
    const value = await run(operation);
    operation.rows = count(value);
    operation.end();
    return value;
  } catch (error) {
    operation.end(true);
    throw error;
  }
}

/** @param {TracerProvider | undefined} provider */
function tracerOfProvider(provider) {
  if (provider === undefined) return undefined;
  if (tracerOf[0] !== provider) tracerOf = [provider, provider.getTracer('pigello', VERSION)];
  return tracerOf[1];
}

/** @param {MeterProvider | undefined} provider */
function histogramOfProvider(provider) {
  if (provider === undefined) return undefined;
  if (histogramOf[0] !== provider) {
    const meter = provider.getMeter('pigello', VERSION);
    const histogram = meter.createHistogram(METRIC, {
      unit: UNIT,
      description: 'Duration of HTTP client requests.',
      advice: { explicitBucketBoundaries: BUCKETS },
    });
    histogramOf = [provider, histogram];
  }
  return histogramOf[1];
}

/** @type {{ set(carrier: Record<string, string>, key: string, value: string): void }} */
const SETTER = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/**
 * An attempt starts: its span, under the call's context, and the headers the
 * propagator writes for it.
 * @param {{ bridge: number, name: string, attributes: object, start: number[] }} event
 */
function start(event) {
  const bridge = bridges.get(event.bridge);
  const key = nextSpan++;
  /** @type {OtelSpan | undefined} */
  let span;
  /** @type {Record<string, string>} */
  const headers = {};
  if (bridge?.tracer !== undefined) {
    const options = { kind: SPAN_KIND_CLIENT, attributes: event.attributes, startTime: event.start };
    span = bridge.tracer.startSpan(event.name, options, /** @type {OtelContext} */ (bridge.parent));
    // Without a context manager registered there is no context to carry the
    // span in, so no trace context is sent (the span is a root).
    if (bridge.parent !== undefined) {
      bridge.propagation?.inject(bridge.parent.setValue(SPAN, span), headers, SETTER);
    }
  }
  spans.set(key, { span, histogram: bridge?.histogram, operation: bridge?.operation });
  return { span: key, headers: Object.entries(headers) };
}

/**
 * An attempt ends: its span ends, and its duration is recorded.
 * @param {{ span: number, attributes: object, error: boolean, end: number[], duration: number, point: object }} event
 */
function end(event) {
  const ended = spans.get(event.span);
  spans.delete(event.span);
  if (ended === undefined) return;
  ended.operation?.attempted(/** @type {any} */ (event.attributes)['error.type']);
  if (ended.span !== undefined) {
    ended.span.setAttributes(event.attributes);
    if (event.error) ended.span.setStatus({ code: STATUS_ERROR });
    ended.span.end(event.end);
  }
  ended.histogram?.record(event.duration, event.point);
}

// The core's events come here, on the main thread, while the call waits.
native.telemetryTo((kind, json) => {
  try {
    const event = JSON.parse(json);
    if (kind === 'start') return JSON.stringify(start(event));
    end(event);
  } catch (error) {
    failed(error);
  }
  return '{}';
});

module.exports = { bridgeHere, operationHere, tracedOperation, Operation };
