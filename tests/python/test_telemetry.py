"""pigello's requests in the application's OpenTelemetry, with the SDK's
in-memory span exporter and metric reader: a CLIENT span per attempt under the
caller's span (threads and asyncio tasks), the trace context the sandbox
receives, retries, error answers, the duration histogram, nothing without a
provider, and a provider that raises never breaking a call."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pigello
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from pigello.testing import Sandbox
from recorded import Recorded, recording, reset_globals

TENANT = "GET /accounts/users/customer/tenant/{pk}/"
TENANT_LIST = "GET /accounts/users/customer/tenant/list/"


@pytest.fixture
def recorded() -> Iterator[Recorded]:
    with recording() as kept:
        yield kept


def traceparent(span: ReadableSpan) -> str:
    context = span.get_span_context()
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


def test_a_get_inside_a_span_is_its_client_span_and_the_server_receives_its_context(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    client = sandbox.client()
    tenant = client.tenants.list(page_size=1)[0]
    sandbox.clear_requests()
    recorded.spans.clear()
    with recorded.tracer.start_as_current_span("nightly job") as job:
        client.tenants.get(tenant.id)
    [span] = recorded.finished(TENANT)
    assert span.kind is trace.SpanKind.CLIENT
    assert span.parent is not None and span.parent.span_id == job.get_span_context().span_id
    assert span.context.trace_id == job.get_span_context().trace_id
    [seen] = sandbox.requests()
    assert seen["headers"]["traceparent"] == traceparent(span)
    host, port = sandbox.url.split("//")[1].rstrip("/").split(":")
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": host,
        "server.port": int(port),
        "url.full": f"{sandbox.url.rstrip('/')}/accounts/users/customer/tenant/{tenant.id}/",
        "url.template": "/accounts/users/customer/tenant/{pk}/",
        "http.response.status_code": 200,
        "pigello.request_id": seen["request_id"],
    }
    assert span.status.status_code is trace.StatusCode.UNSET
    assert span.end_time is not None and span.start_time is not None
    assert span.end_time > span.start_time


def test_a_retried_call_shows_each_attempt_and_a_404_is_an_error(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    client = sandbox.client()
    sandbox.inject_fault("status", status=503, method="GET", count=1)
    client.tenants.list(page_size=1)
    first, second = recorded.finished(TENANT_LIST)
    assert first.attributes is not None and second.attributes is not None
    assert first.attributes["http.response.status_code"] == 503
    assert first.attributes["error.type"] == "503"
    assert first.status.status_code is trace.StatusCode.ERROR
    assert "http.request.resend_count" not in first.attributes
    assert second.attributes["http.request.resend_count"] == 1
    assert second.status.status_code is trace.StatusCode.UNSET

    with pytest.raises(pigello.NotFoundError):
        client.tenants.get("497f6eca-6276-4993-bfeb-53cbbbba6f08")
    [missing] = recorded.finished(TENANT)
    assert missing.attributes is not None and missing.attributes["error.type"] == "404"
    assert missing.status.status_code is trace.StatusCode.ERROR


def test_each_attempt_adds_a_point_to_the_duration_histogram(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    client = sandbox.client()
    client.tenants.list(page_size=1)
    client.tenants.list(page_size=2)
    [point] = recorded.duration_points()
    assert point.count == 2
    assert 0 < point.sum < 10
    assert dict(point.attributes) == {
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": int(sandbox.url.rstrip("/").rsplit(":", 1)[1]),
        "http.response.status_code": 200,
    }


def test_concurrent_tasks_and_threads_each_parent_their_own_calls(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    async def task(name: str) -> int:
        with recorded.tracer.start_as_current_span(name) as parent:
            await client.tenants.list(page_size=1)
            return parent.get_span_context().span_id

    async def both() -> list[int]:
        return list(await asyncio.gather(task("a"), task("b")))

    client = sandbox.async_client()
    parents = asyncio.run(both())

    blocking = sandbox.client()
    threads: list[int] = []

    def thread() -> None:
        with recorded.tracer.start_as_current_span("thread") as parent:
            blocking.tenants.list(page_size=1)
            threads.append(parent.get_span_context().span_id)

    workers = [threading.Thread(target=thread) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    spans = recorded.finished(TENANT_LIST)
    assert len(spans) == 4
    assert sorted(s.parent.span_id for s in spans if s.parent) == sorted(parents + threads)


def test_nothing_is_recorded_or_sent_without_a_provider_or_when_turned_off(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No provider set (the fixture is not used): the API is imported, and
    # still no span is made and no trace context is sent.
    sandbox.client().tenants.list(page_size=1)
    assert all("traceparent" not in r["headers"] for r in sandbox.requests())

    kept = Recorded()
    trace.set_tracer_provider(kept.tracer_provider)
    try:
        monkeypatch.setenv("PIGELLO_TELEMETRY", "off")
        sandbox.clear_requests()
        with kept.tracer.start_as_current_span("job"):
            sandbox.client().tenants.list(page_size=1)
            sandbox.client().tenants.to_pandas(progress=False)
        assert kept.finished(TENANT_LIST) == []
        assert kept.finished("pigello tenants.to_pandas") == []
        assert all("traceparent" not in r["headers"] for r in sandbox.requests())
    finally:
        reset_globals()


def test_a_client_made_with_telemetry_false_is_never_traced(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    quiet = sandbox.client(telemetry=False)
    with recorded.tracer.start_as_current_span("job"):
        quiet.tenants.list(page_size=1)
        quiet.with_options(timeout=30).tenants.list(page_size=1)
        sandbox.client().with_options(telemetry=False).tenants.list(page_size=1)
        quiet.tenants.to_pandas(progress=False)
    assert recorded.finished(TENANT_LIST) == []
    assert recorded.finished("pigello tenants.to_pandas") == []
    assert all("traceparent" not in r["headers"] for r in sandbox.requests())
    assert recorded.duration_points() == []
    sandbox.client().tenants.list(page_size=1)
    assert len(recorded.finished(TENANT_LIST)) == 1


class Raising(TracerProvider):
    def get_tracer(self, *args: Any, **kwargs: Any) -> Any:
        tracer = super().get_tracer(*args, **kwargs)

        class Broken:
            def start_span(self, *args: Any, **kwargs: Any) -> Any:
                raise RuntimeError("the exporter's disk is full")

            def __getattr__(self, name: str) -> Any:
                return getattr(tracer, name)

        return Broken()


def test_a_provider_that_raises_never_breaks_a_call_and_is_reported_once(
    sandbox: Sandbox,
) -> None:
    import pigello._telemetry

    trace.set_tracer_provider(Raising())
    pigello._telemetry._warned = False
    try:
        client = sandbox.client()
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            assert len(client.tenants.list(page_size=2)) == 2
            assert len(client.tenants.list(page_size=3)) == 3
        reported = [str(w.message) for w in warned if w.category is RuntimeWarning]
        assert len(reported) == 1, reported
        assert "OpenTelemetry failed (RuntimeError: the exporter's disk is full)" in reported[0]
    finally:
        reset_globals()


def test_no_personal_value_reaches_a_span(sandbox: Sandbox, recorded: Recorded) -> None:
    markers = ["19811218-9876", "anna.marker@example.se", "+46701234567", "Markerdottir"]
    client = sandbox.client()
    client.tenants.list(
        first_name=markers[3], ssn=markers[0], invoice_email=markers[1], ssn__isnull=False
    )
    client.tenants.list(search=markers[2])
    client.tenants.create(first_name=markers[3], invoice_email=markers[1], ssn=markers[0])
    with pytest.raises(pigello.NotFoundError):
        client.tenants.update("497f6eca-6276-4993-bfeb-53cbbbba6f08", first_name=markers[3])
    sandbox.inject_fault("status", status=503, method="GET", count=1)
    client.tenants.list(last_name=markers[3])
    spans = recorded.finished()
    assert spans
    for span in spans:
        shown = f"{span.name} {dict(span.attributes or {})} {span.events}"
        for marker in markers:
            assert marker not in shown, (marker, shown)
    url = next(
        str((s.attributes or {})["url.full"]) for s in spans if "ssn__isnull" in str(s.attributes)
    )
    assert "ssn__isnull=false" in url and "first_name=REDACTED" in url, url


def test_an_export_or_a_walk_is_one_internal_span_over_its_requests(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    client = sandbox.client()
    with recorded.tracer.start_as_current_span("job") as job:
        frame = client.tenants.to_pandas(page_size=10, progress=False)
    [export] = recorded.finished("pigello tenants.to_pandas")
    assert export.kind is trace.SpanKind.INTERNAL
    assert export.parent is not None
    assert export.parent.span_id == job.get_span_context().span_id
    requests = recorded.finished(TENANT_LIST)
    assert len(requests) >= 3
    assert all(
        r.parent is not None and r.parent.span_id == export.context.span_id for r in requests
    )
    assert len(frame) == 30
    assert dict(export.attributes or {}) == {
        "pigello.resource": "tenants",
        "pigello.rows": 30,
        "pigello.pages": len(requests),
    }
    assert export.status.status_code is trace.StatusCode.UNSET

    recorded.spans.clear()
    rows = list(client.tenants.iterate(page_size=10))
    [walk] = recorded.finished("pigello tenants.iterate")
    assert (walk.attributes or {})["pigello.rows"] == len(rows) == 30
    assert all(
        r.parent is not None and r.parent.span_id == walk.context.span_id
        for r in recorded.finished(TENANT_LIST)
    )

    recorded.spans.clear()
    sandbox.inject_fault("status", status=500, method="GET")
    with pytest.raises(pigello.InternalServerError):
        client.tenants.to_pandas(page_size=10, progress=False)
    [failed] = recorded.finished("pigello tenants.to_pandas")
    assert failed.status.status_code is trace.StatusCode.ERROR
    assert (failed.attributes or {})["error.type"] == "500"


def test_an_async_export_is_one_internal_span_too(sandbox: Sandbox, recorded: Recorded) -> None:
    async def export() -> int:
        client = sandbox.async_client()
        frame = await client.tenants.to_polars(page_size=10)
        return len(frame)

    rows = asyncio.run(export())
    [span] = recorded.finished("pigello tenants.to_arrow")
    assert (span.attributes or {})["pigello.rows"] == rows == 30
    assert all(
        r.parent is not None and r.parent.span_id == span.context.span_id
        for r in recorded.finished(TENANT_LIST)
    )


def _children_of(operation: ReadableSpan, requests: list[ReadableSpan]) -> bool:
    return bool(requests) and all(
        r.parent is not None and r.parent.span_id == operation.context.span_id for r in requests
    )


def test_async_walks_batches_and_partitions_are_operations_too(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    async def walk() -> tuple[int, int]:
        client = sandbox.async_client()
        rows = [row async for row in client.tenants.iterate(page_size=10)]
        batches = [len(batch) async for batch in client.tenants.iter_batches(batch_size=10)]
        return len(rows), sum(batches)

    assert asyncio.run(walk()) == (30, 30)
    [walked] = recorded.finished("pigello tenants.iterate")
    [batched] = recorded.finished("pigello tenants.iter_batches")
    for span in (walked, batched):
        assert span.kind is trace.SpanKind.INTERNAL
        assert (span.attributes or {})["pigello.rows"] == 30
        assert (span.attributes or {})["pigello.pages"] >= 3
    requests = recorded.finished(TENANT_LIST)
    assert _children_of(walked, [r for r in requests if r.start_time < batched.start_time])
    assert _children_of(batched, [r for r in requests if r.start_time > batched.start_time])

    recorded.spans.clear()
    client = sandbox.client()
    assert sum(len(batch) for batch in client.tenants.iter_batches(batch_size=10)) == 30
    [batched] = recorded.finished("pigello tenants.iter_batches")
    assert (batched.attributes or {})["pigello.rows"] == 30
    assert _children_of(batched, recorded.finished(TENANT_LIST))

    recorded.spans.clear()
    parts = client.tenants.partitions(3)
    [split] = recorded.finished("pigello tenants.partitions")
    assert _children_of(split, recorded.finished(TENANT_LIST))
    assert (split.attributes or {})["pigello.rows"] == 0
    assert sum(len(part.to_pandas(client=client)) for part in parts) == 30


def test_a_loop_left_part_way_ends_its_span_with_the_rows_it_was_handed(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    client = sandbox.client()
    for _row in client.tenants.iterate(page_size=10):
        break
    [walk] = recorded.finished("pigello tenants.iterate")
    assert (walk.attributes or {})["pigello.rows"] == 1
    assert walk.status.status_code is trace.StatusCode.UNSET

    recorded.spans.clear()
    sandbox.inject_fault("status", status=500, method="GET", count=1)
    with pytest.raises(pigello.InternalServerError):
        list(client.with_options(max_retries=0).tenants.iter_batches())
    [failed] = recorded.finished("pigello tenants.iter_batches")
    assert failed.status.status_code is trace.StatusCode.ERROR
    assert (failed.attributes or {})["error.type"] == "500"


def test_a_call_its_caller_gives_up_on_still_ends_its_span_as_cancelled(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    sandbox.inject_fault("latency", method="GET", ms=5_000, count=1)

    async def give_up() -> None:
        client = sandbox.async_client()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.tenants.list(page_size=1), timeout=0.2)

    asyncio.run(give_up())
    # The call's future is let go on the core's thread, as the task is cancelled.
    for _ in range(200):
        if recorded.finished(TENANT_LIST):
            break
        time.sleep(0.01)
    [span] = recorded.finished(TENANT_LIST)
    assert (span.attributes or {})["error.type"] == "cancelled"
    assert span.status.status_code is trace.StatusCode.UNSET

    # A walk whose task is cancelled ends its operation's span the same way.
    recorded.spans.clear()
    sandbox.inject_fault("latency", method="GET", ms=5_000, count=1)

    async def walk() -> None:
        client = sandbox.async_client()
        rows = [row async for row in client.tenants.iterate(page_size=10)]
        raise AssertionError(f"{len(rows)} rows: the walk was to be cancelled")

    async def give_up_walking() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(walk(), timeout=0.2)

    asyncio.run(give_up_walking())
    [operation] = recorded.finished("pigello tenants.iterate")
    assert (operation.attributes or {})["error.type"] == "cancelled"
    assert operation.status.status_code is trace.StatusCode.UNSET


def test_pigello_never_imports_opentelemetry_itself() -> None:
    """With the API installed, an application that does not use it pays
    nothing for it: neither `import pigello` nor a call imports any of it."""
    code = (
        "import sys, pigello\n"
        "from pigello.testing import Sandbox\n"
        "with Sandbox(tenants=3) as sb:\n"
        "    sb.client().tenants.list(page_size=1)\n"
        "    sb.client().tenants.to_pandas(progress=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert imported.strip() == "[]"


def test_a_traced_walk_still_says_how_many_rows_match(sandbox: Sandbox, recorded: Recorded) -> None:
    client = sandbox.client()
    rows = client.tenants.iterate(page_size=10)
    assert len(rows) == 30
    assert len(list(rows)) == 30
    [walk] = recorded.finished("pigello tenants.iterate")
    assert (walk.attributes or {})["pigello.rows"] == 30
    with pytest.raises(TypeError):
        len(client.tenants.iter_batches())


def test_a_blocking_arrow_stream_ends_its_span_when_read(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    import pyarrow

    client = sandbox.client()
    stream = client.tenants.to_arrow(page_size=10)
    assert recorded.finished("pigello tenants.to_arrow") == [], "not read yet"
    assert pyarrow.table(stream).num_rows == 30
    [export] = recorded.finished("pigello tenants.to_arrow")
    assert (export.attributes or {})["pigello.rows"] == 30
    assert _children_of(export, recorded.finished(TENANT_LIST))

    # A stream let go unread ends its span too, with no rows.
    recorded.spans.clear()
    unread = client.tenants.to_arrow(page_size=10)
    del unread
    [dropped] = recorded.finished("pigello tenants.to_arrow")
    assert (dropped.attributes or {})["pigello.rows"] == 0
    assert dropped.status.status_code is trace.StatusCode.UNSET


def test_a_walk_over_a_lists_pages_is_one_span_over_the_next_pages_requests(
    sandbox: Sandbox, recorded: Recorded
) -> None:
    client = sandbox.client()
    first = client.tenants.list(page_size=10)
    recorded.spans.clear()
    assert sum(len(page) for page in first.iter_pages()) == 30
    [walk] = recorded.finished("pigello tenants.list")
    assert walk.kind is trace.SpanKind.INTERNAL
    requests = recorded.finished(TENANT_LIST)
    assert (walk.attributes or {})["pigello.rows"] == 30
    assert (walk.attributes or {})["pigello.pages"] == len(requests) >= 2
    assert _children_of(walk, requests)

    async def walk_async() -> int:
        first = await sandbox.async_client().tenants.list(page_size=10)
        return sum([len(page) async for page in first.iter_pages()])

    recorded.spans.clear()
    assert asyncio.run(walk_async()) == 30
    [walk] = recorded.finished("pigello tenants.list")
    later = [r for r in recorded.finished(TENANT_LIST) if r.start_time > walk.start_time]
    assert _children_of(walk, later)
