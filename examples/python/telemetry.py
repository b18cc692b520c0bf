"""Telemetry: pigello's requests in your OpenTelemetry traces and metrics.

Nothing to set up on pigello's side: once the application has set a tracer
provider (here one that prints each span as it ends), every request is a
CLIENT span under the span current where the call was made, and carries that
trace to the server in a `traceparent` header. A retried call shows each
attempt. Needs the OpenTelemetry SDK (`pip install opentelemetry-sdk`).

    python examples/python/telemetry.py
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from pigello.testing import Sandbox


def one_line(span: ReadableSpan) -> str:
    """A span as one line: its name, then what the conventions put on it."""
    attributes = dict(span.attributes or {})
    shown = [f"{key}={attributes[key]}" for key in sorted(attributes) if key != "url.full"]
    parent = f"{span.parent.span_id:016x}" if span.parent else "none"
    return f"{span.name}  (span {span.context.span_id:016x}, parent {parent})\n    {'  '.join(shown)}\n"


provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(formatter=one_line)))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("nightly-export")

with Sandbox(seed=1, tenants=40) as sandbox:
    client = sandbox.client()
    # The sandbox answers the first list 503 once: the client retries it.
    sandbox.inject_fault("status", status=503, method="GET", count=1)
    with tracer.start_as_current_span("nightly export"):
        page = client.tenants.list(page_size=10, ssn__isnull=False)
        client.tenants.get(page[0].id)
    seen = sandbox.requests()[-1]
    print(f"the server received traceparent {seen['headers']['traceparent']}")
