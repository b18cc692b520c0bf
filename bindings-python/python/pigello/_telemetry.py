"""pigello's requests in the application's OpenTelemetry: a CLIENT span for
each request sent, its trace context on the wire, and the
``http.client.request.duration`` histogram.

The core decides each span's name, attributes and status and each point's
attributes (after the stable HTTP client conventions); this module only hands
them to OpenTelemetry's API. Nothing is set up on pigello's side: when the
application has set a tracer or meter provider, they record; when it has not,
or has never imported OpenTelemetry, a call costs two dictionary lookups and
imports nothing. ``PIGELLO_TELEMETRY=off`` turns it off (the core reads it).

A provider that raises never breaks a call: the first failure is reported as
a warning, and calls go on without telemetry."""

from __future__ import annotations

import sys
import warnings
from contextvars import ContextVar
from typing import Any

from . import _native

# The conventions' advisory buckets for http.client.request.duration, in seconds.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)

# The instruments of the providers last seen: (provider, tracer) and
# (provider, histogram), made again when the application sets another.
_tracer: tuple[Any, Any] = (None, None)
_histogram: tuple[Any, Any] = (None, None)
_warned = False


# The operation whose requests are being made here, if one is traced.
_operation: ContextVar[Operation | None] = ContextVar("pigello_operation", default=None)


def bridge() -> _Bridge | None:
    """What a call made here and now hands its spans and points to: the
    tracer and histogram of the application's providers, and the context
    current in this thread or task (whose span is the parent). None when
    nothing would record."""
    trace = sys.modules.get("opentelemetry.trace")
    metrics = sys.modules.get("opentelemetry.metrics")
    if trace is None and metrics is None:
        return None
    try:
        tracer = _current_tracer(trace) if trace is not None else None
        histogram = _current_histogram(metrics) if metrics is not None else None
        if tracer is None and histogram is None:
            return None
        from opentelemetry import context

        return _Bridge(tracer, histogram, context.get_current(), _operation.get())
    except Exception as error:  # noqa: BLE001 - a provider's failure never breaks a call
        _failed(error)
        return None


def _provider(module: Any, kept_in: str, getter: Any, env: str) -> Any:
    """The global provider ``getter()`` gives, read from the module global it
    keeps it in (``_TRACER_PROVIDER``, ``_METER_PROVIDER``) while none is set:
    the getter then looks in ``os.environ`` (1 to 2 µs), which an application
    that imported OpenTelemetry without setting a provider would pay on every
    call. The environment is looked at once: a provider it names is set at
    start-up, by the application's first use of the API."""
    provider = getattr(module, kept_in, _UNKNOWN)
    if provider is None and env not in _named_by_environment():
        return None
    return getter()


_UNKNOWN = object()
_environment: frozenset[str] | None = None


def _named_by_environment() -> frozenset[str]:
    """The providers the environment names (``OTEL_PYTHON_TRACER_PROVIDER``,
    ``OTEL_PYTHON_METER_PROVIDER``), read once."""
    global _environment
    if _environment is None:
        import os

        wanted = ("OTEL_PYTHON_TRACER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER")
        _environment = frozenset(name for name in wanted if name in os.environ)
    return _environment


def _current_tracer(trace: Any) -> Any:
    """The tracer of the application's tracer provider, or None before it sets one."""
    global _tracer
    provider = _provider(
        trace, "_TRACER_PROVIDER", trace.get_tracer_provider, "OTEL_PYTHON_TRACER_PROVIDER"
    )
    if provider is _tracer[0]:
        return _tracer[1]
    if provider is None or isinstance(
        provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
    ):
        return None
    _tracer = (provider, provider.get_tracer("pigello", _native.__version__))
    return _tracer[1]


def _current_histogram(metrics: Any) -> Any:
    """The duration histogram of the application's meter provider, or None
    before it sets one."""
    global _histogram
    internal = sys.modules.get("opentelemetry.metrics._internal", metrics)
    provider = _provider(
        internal, "_METER_PROVIDER", metrics.get_meter_provider, "OTEL_PYTHON_METER_PROVIDER"
    )
    if provider is _histogram[0]:
        return _histogram[1]
    if provider is None or type(provider).__name__ in ("_ProxyMeterProvider", "NoOpMeterProvider"):
        return None
    meter = provider.get_meter("pigello", _native.__version__)
    _histogram = (provider, _duration_histogram(meter))
    return _histogram[1]


def _duration_histogram(meter: Any) -> Any:
    name, unit = _native._duration_metric()
    description = "Duration of HTTP client requests."
    try:
        return meter.create_histogram(
            name, unit=unit, description=description, explicit_bucket_boundaries_advisory=_BUCKETS
        )
    except TypeError:  # an API older than 1.23, without advisory buckets
        return meter.create_histogram(name, unit=unit, description=description)


def _failed(error: BaseException) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f"pigello: OpenTelemetry failed ({type(error).__name__}: {error}); "
            "calls go on without spans and metrics from it",
            RuntimeWarning,
            stacklevel=3,
        )


class _Bridge:
    """One call's way into OpenTelemetry; the core calls ``start`` and
    ``end`` once for each attempt, from its own thread."""

    __slots__ = ("_histogram", "_operation", "_parent", "_tracer")

    def __init__(
        self, tracer: Any, histogram: Any, parent: Any, operation: Operation | None
    ) -> None:
        self._tracer = tracer
        self._histogram = histogram
        self._parent = parent
        self._operation = operation

    def start(
        self, name: str, attributes: dict[str, Any], start_ns: int
    ) -> tuple[Any, list[tuple[str, str]]]:
        """Starts an attempt's CLIENT span under the call's context; the span,
        and the headers the application's propagator writes for it."""
        if self._tracer is None:
            return None, []
        try:
            from opentelemetry import propagate, trace

            span = self._tracer.start_span(
                name,
                context=self._parent,
                kind=trace.SpanKind.CLIENT,
                attributes=attributes,
                start_time=start_ns,
            )
            carrier: dict[str, str] = {}
            propagate.inject(carrier, context=trace.set_span_in_context(span, self._parent))
            return span, list(carrier.items())
        except Exception as error:  # noqa: BLE001
            _failed(error)
            return None, []

    def end(
        self,
        span: Any,
        attributes: dict[str, Any],
        error: bool,
        end_ns: int,
        duration: float,
        point: dict[str, Any],
    ) -> None:
        """Ends an attempt's span, and records its duration."""
        if self._operation is not None:
            self._operation.attempted(attributes.get("error.type"))
        try:
            if span is not None:
                from opentelemetry.trace import Status, StatusCode

                span.set_attributes(attributes)
                if error:
                    span.set_status(Status(StatusCode.ERROR))
                span.end(end_time=end_ns)
            if self._histogram is not None:
                self._histogram.record(duration, point)
        except Exception as failure:  # noqa: BLE001
            _failed(failure)


def operation(calls: Any, method: str) -> Operation | None:
    """An INTERNAL span over an operation of several requests (``pigello
    tenants.to_pandas``), started now; None when nothing records or the method
    sends one request."""
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return None
    try:
        tracer = _current_tracer(trace)
        described = _native._operation(calls, method) if tracer is not None else None
        if described is None:
            return None
        name, attributes = described
        span = tracer.start_span(name, kind=trace.SpanKind.INTERNAL, attributes=attributes)
        return Operation(trace, span)
    except Exception as error:  # noqa: BLE001
        _failed(error)
        return None


class Operation:
    """An operation's span: its requests are its children, and it counts the
    rows and the answered requests (``pigello.rows``, ``pigello.pages``)."""

    __slots__ = ("_ended", "_failure", "_span", "_trace", "pages", "rows")

    def __init__(self, trace: Any, span: Any) -> None:
        self._trace = trace
        self._span = span
        self._failure: str | None = None
        self._ended = False
        self.rows = 0
        self.pages = 0

    def attempted(self, error_type: str | None) -> None:
        """One of its requests ended: answered, or failed with ``error_type``."""
        if error_type is None:
            self.pages += 1
        else:
            self._failure = error_type

    def making(self) -> _Making:
        """Where the operation's requests are made: its span is current there."""
        return _Making(self)

    def done(self, rows: int) -> None:
        """Ends the span of an operation that succeeded with ``rows`` rows."""
        self.rows = rows
        self.end(None)

    def end(self, error: BaseException | None) -> None:
        """Ends the span, once; ``error`` is what ended the operation, if
        anything did (a loop left part-way is not a failure)."""
        failure = None
        finished = (GeneratorExit, StopIteration, StopAsyncIteration)  # not failures
        if error is not None and not isinstance(error, finished):
            failure = "cancelled" if _cancelled(error) else (self._failure or "_OTHER")
        self._close(failure)

    def read(self, rows: int, failed: bool) -> None:
        """An export's stream, read by the caller's library, ended after
        ``rows`` rows: at its end, on an error (``failed``), or let go."""
        self.rows = rows
        self._close((self._failure or "_OTHER") if failed else None)

    def _close(self, failure: str | None) -> None:
        """Ends the span, once, with the ``error.type`` of what ended it."""
        if self._ended:
            return
        self._ended = True
        try:
            attributes, failed = _native._operation_end(self.rows, self.pages, failure)
            self._span.set_attributes(attributes)
            if failed:
                self._span.set_status(self._trace.Status(self._trace.StatusCode.ERROR))
            self._span.end()
        except Exception as failure_to_end:  # noqa: BLE001
            _failed(failure_to_end)


def _cancelled(error: BaseException) -> bool:
    """Whether the operation was stopped by its caller: Ctrl-C, or its task
    cancelled (asyncio is looked for, never imported)."""
    asyncio = sys.modules.get("asyncio")
    return isinstance(error, KeyboardInterrupt) or (
        asyncio is not None and isinstance(error, asyncio.CancelledError)
    )


def _one(_row: Any) -> int:
    return 1


class Counted:
    """An operation's rows or batches, by ``for`` or ``async for``, counted
    (a batch counts its rows); the operation's span ends with the loop: at its
    end, when it fails, or when the loop is left part-way (a ``break``)."""

    __slots__ = ("_items", "_operation", "_size")

    def __init__(self, operation: Operation, items: Any, batches: bool = False) -> None:
        self._operation = operation
        self._items = items
        self._size = len if batches else _one

    def __iter__(self) -> Counted:
        return self

    def __next__(self) -> Any:
        try:
            item = next(self._items)
        except BaseException as error:
            self._operation.end(error)
            raise
        self._operation.rows += self._size(item)
        return item

    def __aiter__(self) -> Counted:
        return self

    async def __anext__(self) -> Any:
        try:
            item = await self._items.__anext__()
        except BaseException as error:
            self._operation.end(error)
            raise
        self._operation.rows += self._size(item)
        return item

    def __len__(self) -> int:
        # What the rows say of their number (a walk asks the server), as
        # without telemetry; batches have none, and say so.
        return len(self._items)

    def __repr__(self) -> str:
        return repr(self._items)

    def __del__(self) -> None:
        self._operation.end(None)


class _Making:
    """Makes an operation's span current (and the operation the one its
    requests count for) while the block runs; ends the span when the block
    raises."""

    __slots__ = ("_operation", "_tokens")

    def __init__(self, operation: Operation) -> None:
        self._operation = operation
        self._tokens: tuple[Any, Any] | None = None

    def __enter__(self) -> Operation:
        from opentelemetry import context

        current = self._operation._trace.set_span_in_context(self._operation._span)
        self._tokens = (context.attach(current), _operation.set(self._operation))
        return self._operation

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        from opentelemetry import context

        if self._tokens is not None:
            context.detach(self._tokens[0])
            _operation.reset(self._tokens[1])
        if error is not None:
            self._operation.end(error)
