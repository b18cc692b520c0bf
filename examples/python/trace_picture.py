"""The trace of an export, drawn: the operation's span with its requests below it.

An application's span ("nightly export") holds `tenants.to_pandas`, which
fetches 40 tenants in pages of 10; the sandbox answers the first page 503
once, so that page is sent twice. Each span is one row, indented under its
parent, its bar placed on the trace's time line. Needs the OpenTelemetry SDK
(`pip install opentelemetry-sdk`).

    python examples/python/trace_picture.py
"""

from __future__ import annotations

# Loaded before the trace starts, so that the picture shows the export, not
# pandas' import.
import pandas  # noqa: F401
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pigello.testing import Sandbox

WIDTH = 40  # the time line's columns


def label(span: ReadableSpan) -> str:
    """What a row says of its span: the name, and the attributes that tell the
    spans apart (the status answered, the rows and pages counted)."""
    attributes = dict(span.attributes or {})
    if "http.response.status_code" in attributes:
        retry = attributes.get("http.request.resend_count")
        status = f"{attributes['http.response.status_code']}"
        return f"{span.name}  {status}" + (f" (resend {retry})" if retry else "")
    if "pigello.rows" in attributes:
        return f"{span.name}  rows={attributes['pigello.rows']} pages={attributes['pigello.pages']}"
    return span.name or ""


def draw(spans: list[ReadableSpan]) -> str:
    """Each span as a row: indented under its parent, in the order they started."""
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in sorted(spans, key=lambda s: s.start_time or 0):
        parent = span.parent.span_id if span.parent else None
        children.setdefault(parent, []).append(span)
    [root] = children[None]
    begin, end = root.start_time or 0, root.end_time or 0
    scale = WIDTH / max(end - begin, 1)
    rows: list[tuple[str, ReadableSpan]] = []

    def walk(span: ReadableSpan, depth: int) -> None:
        rows.append(("  " * depth + label(span), span))
        for child in children.get(span.context.span_id, []):
            walk(child, depth + 1)

    walk(root, 0)
    widest = max(len(text) for text, _ in rows)
    lines = []
    for text, span in rows:
        start, stop = (span.start_time or 0) - begin, (span.end_time or 0) - begin
        left = round(start * scale)
        bar = " " * left + "#" * max(1, round(stop * scale) - left)
        lines.append(f"{text.ljust(widest)}  |{bar.ljust(WIDTH)}| {(stop - start) / 1e6:6.1f} ms")
    return "\n".join(lines)


exported = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exported))
trace.set_tracer_provider(provider)

with Sandbox(seed=1, tenants=40) as sandbox:
    client = sandbox.client()
    sandbox.inject_fault("status", status=503, method="GET", count=1)
    with trace.get_tracer("nightly-export").start_as_current_span("nightly export"):
        client.tenants.to_pandas(page_size=10, progress=False)

print(draw(list(exported.get_finished_spans())))
