"""The application's OpenTelemetry as a test sets it up: a tracer provider
with the SDK's in-memory span exporter and a meter provider with its in-memory
reader, set as the process's global providers for a while."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.util._once import Once


class Recorded:
    """The providers a test set, and what they recorded."""

    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.reader = InMemoryMetricReader()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.tracer = self.tracer_provider.get_tracer("the application")

    def finished(self, name: str | None = None) -> list[ReadableSpan]:
        return [s for s in self.spans.get_finished_spans() if name is None or s.name == name]

    def duration_points(self) -> list[Any]:
        data = self.reader.get_metrics_data()
        return [
            point
            for resource in (data.resource_metrics if data else [])
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == "http.client.request.duration"
            for point in metric.data.data_points
        ]


def reset_globals() -> None:
    # OpenTelemetry sets its global providers once per process; its own test
    # helpers (opentelemetry-test-utils) reset them the same way.
    trace._TRACER_PROVIDER_SET_ONCE = Once()  # type: ignore[attr-defined]
    trace._TRACER_PROVIDER = None  # type: ignore[attr-defined]
    import opentelemetry.metrics._internal as metrics_internal

    metrics_internal._METER_PROVIDER_SET_ONCE = Once()
    metrics_internal._METER_PROVIDER = None


@contextmanager
def recording() -> Iterator[Recorded]:
    """Global providers that record, until the block ends."""
    kept = Recorded()
    trace.set_tracer_provider(kept.tracer_provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[kept.reader]))
    try:
        yield kept
    finally:
        reset_globals()
