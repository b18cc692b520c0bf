"""One side of one benchmark pair, run by bench/python/run.py in a process of its
own so that the peak memory the driver reads is this side's alone.

    python bench/python/case.py CASE BASE_URL IDS_FILE

Prints the seconds the work took as its first line, then what the work got, one
row per line (`id`, or `id<TAB>first_name<TAB>last_name` for gets), which the
driver checks against the sandbox. Imports, building the client and the decoder,
and one warm-up get (which opens a connection) are outside the timing: a user
pays them once per process, not per call. Each case imports only the libraries
it uses, so no side carries another's memory.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import json
import os
import sys
import tempfile
import time
import uuid
from typing import Any, Callable

LIST = "/accounts/users/customer/tenant/list/"
ONE = "/accounts/users/customer/tenant/"
PAGE_SIZE = 100
IN_FLIGHT = 64
CUSTOMER = "00000000-0000-4000-8000-000000000001"
# The sandbox takes any non-empty values for the first seeded customer.
HEADERS = {
    "X-PIGELLO-CUSTOMER-ID": CUSTOMER,
    "X-PIGELLO-APPLICATION-ID": "bench",
    "X-PIGELLO-SERVICE-ID": "bench",
    "X-PIGELLO-SERVICE-VERSION-ID": "bench",
    "X-PIGELLO-CLIENT-CT": "bench",
    "X-PIGELLO-CLIENT-ENTITY": "bench",
    "X-PIGELLO-CLIENT-SECRET": "bench",
}
CREDENTIALS = {
    "customer_id": CUSTOMER,
    "application_id": "bench",
    "service_id": "bench",
    "service_version_id": "bench",
    "client_ct": "bench",
    "client_object_id": "bench",
    "client_secret": "bench",
}
# The columns pigello's frames type as times; every peer's frame parses them too,
# so that each side hands back the same kind of frame.
TIMESTAMPS = ("created_at", "active_to")
DATES = ("birth_date",)
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"

Got = tuple[float, list[str]]


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


async def timed_async(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await work()
    return time.perf_counter() - started, result


def got_rows(rows: list[tuple[Any, Any, Any, Any]]) -> list[str]:
    """What the driver checks of a get: the id and two of the three fields read
    (the third, created_at, is a time each side spells its own way)."""
    return [f"{id}\t{first or ''}\t{last or ''}" for id, first, last, _ in rows]


def page_url(base: str, page: int) -> str:
    return f"{base}{LIST}?_order_by=id&_page={page}&_page_size={PAGE_SIZE}"


# -- The decoders a user would write for the three fields they read. -----------


def picked_pydantic() -> Any:
    import pydantic

    class Picked(pydantic.BaseModel):
        id: uuid.UUID
        first_name: str | None = None
        last_name: str | None = None
        created_at: datetime.datetime | None = None

    return pydantic.TypeAdapter(Picked)


def picked_msgspec() -> Any:
    import msgspec

    class Picked(msgspec.Struct):
        id: uuid.UUID
        first_name: str | None = None
        last_name: str | None = None
        created_at: datetime.datetime | None = None

    return msgspec.json.Decoder(Picked)


def fields(t: Any) -> tuple[Any, Any, Any, Any]:
    return (t.id, t.first_name, t.last_name, t.created_at)


# -- 2 000 sequential gets. -----------------------------------------------------


def pigello_get(base: str, ids: list[str]) -> Got:
    import pigello

    client = pigello.Client(**CREDENTIALS, base_url=base)
    client.tenants.get(ids[0])
    seconds, rows = timed(lambda: [fields(client.tenants.get(id)) for id in ids])
    return seconds, got_rows(rows)


def with_opentelemetry() -> None:
    """Sets up OpenTelemetry as an application does: a tracer provider whose
    spans go to an exporter that drops them (the cost measured is the spans',
    not an exporter's), and a meter provider with a reader."""
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    class Dropped(SpanExporter):
        def export(self, spans: Any) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(Dropped()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))


def pigello_get_otel(base: str, ids: list[str]) -> Got:
    with_opentelemetry()
    return pigello_get(base, ids)


def pigello_get_otel_api(base: str, ids: list[str]) -> Got:
    # Installed and imported (as an instrumented application does), no provider set.
    import opentelemetry.metrics
    import opentelemetry.trace  # noqa: F401

    return pigello_get(base, ids)


def httpx_get(base: str, ids: list[str]) -> Got:
    import httpx

    adapter = picked_pydantic()
    with httpx.Client(headers=HEADERS) as http:

        def get(id: str) -> Any:
            answer = http.get(f"{base}{ONE}{id}/")
            answer.raise_for_status()
            return adapter.validate_json(answer.content)

        get(ids[0])
        seconds, rows = timed(lambda: [fields(get(id)) for id in ids])
    return seconds, got_rows(rows)


def aiohttp_get(base: str, ids: list[str]) -> Got:
    import aiohttp

    decoder = picked_msgspec()

    async def main() -> tuple[float, Any]:
        async with aiohttp.ClientSession(headers=HEADERS) as http:

            async def get(id: str) -> Any:
                async with http.get(f"{base}{ONE}{id}/") as answer:
                    answer.raise_for_status()
                    return decoder.decode(await answer.read())

            async def work() -> list:
                return [fields(await get(id)) for id in ids]

            await get(ids[0])
            return await timed_async(work)

    seconds, rows = asyncio.run(main())
    return seconds, got_rows(rows)


def pyreqwest_get(base: str, ids: list[str]) -> Got:
    from pyreqwest.client import SyncClientBuilder

    decoder = picked_msgspec()
    with SyncClientBuilder().default_headers(HEADERS).error_for_status(True).build() as http:

        def get(id: str) -> Any:
            return decoder.decode(http.get(f"{base}{ONE}{id}/").build().send().bytes())

        get(ids[0])
        seconds, rows = timed(lambda: [fields(get(id)) for id in ids])
    return seconds, got_rows(rows)


def wreq_get(base: str, ids: list[str]) -> Got:
    import wreq.blocking

    decoder = picked_msgspec()
    with wreq.blocking.Client(headers=HEADERS) as http:

        def get(id: str) -> Any:
            with http.get(f"{base}{ONE}{id}/") as answer:
                answer.raise_for_status()
                return decoder.decode(answer.bytes())

        get(ids[0])
        seconds, rows = timed(lambda: [fields(get(id)) for id in ids])
    return seconds, got_rows(rows)


# -- The same gets, 64 in flight. ------------------------------------------------


async def gather_limited(get: Callable[[str], Any], ids: list[str]) -> list:
    limit = asyncio.Semaphore(IN_FLIGHT)

    async def one(id: str) -> Any:
        async with limit:
            return fields(await get(id))

    return await asyncio.gather(*(one(id) for id in ids))


def pigello_get_64(base: str, ids: list[str]) -> Got:
    import pigello

    async def main() -> tuple[float, Any]:
        client = pigello.AsyncClient(**CREDENTIALS, base_url=base)
        await client.tenants.get(ids[0])
        return await timed_async(lambda: gather_limited(client.tenants.get, ids))

    seconds, rows = asyncio.run(main())
    return seconds, got_rows(rows)


def aiohttp_get_64(base: str, ids: list[str]) -> Got:
    import aiohttp

    decoder = picked_msgspec()

    async def main() -> tuple[float, Any]:
        connector = aiohttp.TCPConnector(limit=IN_FLIGHT)
        async with aiohttp.ClientSession(headers=HEADERS, connector=connector) as http:

            async def get(id: str) -> Any:
                async with http.get(f"{base}{ONE}{id}/") as answer:
                    answer.raise_for_status()
                    return decoder.decode(await answer.read())

            await get(ids[0])
            return await timed_async(lambda: gather_limited(get, ids))

    seconds, rows = asyncio.run(main())
    return seconds, got_rows(rows)


def httpx_get_64(base: str, ids: list[str]) -> Got:
    import httpx

    adapter = picked_pydantic()

    async def main() -> tuple[float, Any]:
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
        async with httpx.AsyncClient(headers=HEADERS, limits=limits) as http:

            async def get(id: str) -> Any:
                answer = await http.get(f"{base}{ONE}{id}/")
                answer.raise_for_status()
                return adapter.validate_json(answer.content)

            await get(ids[0])
            return await timed_async(lambda: gather_limited(get, ids))

    seconds, rows = asyncio.run(main())
    return seconds, got_rows(rows)


# -- Every tenant as a frame, pages of 100. --------------------------------------


def pigello_client(base: str, ids: list[str]) -> Any:
    import pigello

    client = pigello.Client(**CREDENTIALS, base_url=base)
    client.tenants.get(ids[0])
    return client


def pigello_pandas(base: str, ids: list[str]) -> Got:
    import pandas  # noqa: F401  (imported by to_pandas; loaded here, outside the timing)
    import pyarrow  # noqa: F401

    client = pigello_client(base, ids)
    seconds, frame = timed(lambda: client.tenants.to_pandas(page_size=PAGE_SIZE, progress=False))
    return seconds, [str(id) for id in frame["id"]]


def pigello_arrow(base: str, ids: list[str]) -> Got:
    import pandas  # noqa: F401  (pyarrow.table() imports it on its first call)
    import pyarrow

    client = pigello_client(base, ids)
    seconds, table = timed(lambda: pyarrow.table(client.tenants.to_arrow(page_size=PAGE_SIZE)))
    return seconds, table.column("id").to_pylist()


def pigello_polars(base: str, ids: list[str]) -> Got:
    import polars  # noqa: F401

    client = pigello_client(base, ids)
    seconds, frame = timed(lambda: client.tenants.to_polars(page_size=PAGE_SIZE))
    return seconds, frame["id"].to_list()


def httpx_pandas(base: str, ids: list[str]) -> Got:
    import httpx
    import pandas as pd
    import pydantic

    class Relation(pydantic.BaseModel):
        id: uuid.UUID

    class Tenant(pydantic.BaseModel):
        """The fields a user types; every other one kept as it came."""

        model_config = pydantic.ConfigDict(extra="allow")
        id: uuid.UUID
        created_at: datetime.datetime | None = None
        active_to: datetime.datetime | None = None
        birth_date: datetime.date | None = None
        first_name: str | None = None
        last_name: str | None = None
        corporate_name: str | None = None
        ssn: str | None = None
        anonymized: bool | None = None
        current_registered_address: Relation | None = None

    adapter = pydantic.TypeAdapter(list[Tenant])
    with httpx.Client(headers=HEADERS) as http:
        http.get(f"{base}{ONE}{ids[0]}/").raise_for_status()

        def work() -> Any:
            rows: list = []
            for page in range(1, 1 << 30):
                answer = http.get(page_url(base, page))
                answer.raise_for_status()
                batch = adapter.validate_json(answer.content)
                rows.extend(t.model_dump() for t in batch)
                if len(batch) < PAGE_SIZE:
                    return pd.DataFrame(rows)

        seconds, frame = timed(work)
    return seconds, [str(id) for id in frame["id"]]


def wreq_msgspec_pandas(base: str, ids: list[str]) -> Got:
    import msgspec
    import pandas as pd
    import wreq.blocking

    # Untyped: msgspec's fastest way to dicts, and the times parsed by pandas per
    # column, faster than a Struct of every field turned back into dicts.
    decoder = msgspec.json.Decoder()
    with wreq.blocking.Client(headers=HEADERS) as http:
        http.get(f"{base}{ONE}{ids[0]}/").raise_for_status()

        def work() -> Any:
            rows: list = []
            for page in range(1, 1 << 30):
                with http.get(page_url(base, page)) as answer:
                    answer.raise_for_status()
                    batch = decoder.decode(answer.bytes())
                rows.extend(batch)
                if len(batch) < PAGE_SIZE:
                    break
            frame = pd.DataFrame(rows)
            for column in TIMESTAMPS:
                frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
            for column in DATES:
                frame[column] = pd.to_datetime(frame[column], format="ISO8601")
            return frame

        seconds, frame = timed(work)
    return seconds, list(frame["id"])


def wreq_pages(base: str, ids: list[str]) -> Callable[[], bytes]:
    """Every page's bytes joined into one JSON array, fetched with wreq, for the
    readers that take JSON text. With nothing decoded in Python, the end is the
    first empty page: one request more than the others make at most."""
    import wreq.blocking

    http = wreq.blocking.Client(headers=HEADERS)
    http.get(f"{base}{ONE}{ids[0]}/").raise_for_status()

    def fetch() -> bytes:
        pages = []
        for page in range(1, 1 << 30):
            with http.get(page_url(base, page)) as answer:
                answer.raise_for_status()
                body = answer.bytes()
            if len(body) <= 2:
                return b"[" + b",".join(p[1:-1] for p in pages) + b"]"
            pages.append(body)
        raise AssertionError("unreachable")

    return fetch


def read_polars(text: bytes) -> Any:
    import polars as pl

    # Every row read before the schema is fixed: a column null in the first rows
    # and set later must not fail or lose values. A column null in every row is
    # read as type null, hence the casts; the formats given spare the guessing.
    frame = pl.read_json(io.BytesIO(text), infer_schema_length=None)
    return frame.with_columns(
        pl.col(*TIMESTAMPS).cast(pl.String).str.to_datetime(TIMESTAMP_FORMAT, time_zone="UTC"),
        pl.col(*DATES).cast(pl.String).str.to_date("%Y-%m-%d"),
    )


def polars_pandas(base: str, ids: list[str]) -> Got:
    import pandas  # noqa: F401  (imported by to_pandas; loaded here, outside the timing)
    import polars  # noqa: F401

    fetch = wreq_pages(base, ids)
    seconds, frame = timed(lambda: read_polars(fetch()).to_pandas())
    return seconds, list(frame["id"])


def polars_only(base: str, ids: list[str]) -> Got:
    import polars  # noqa: F401

    fetch = wreq_pages(base, ids)
    seconds, frame = timed(lambda: read_polars(fetch()))
    return seconds, frame["id"].to_list()


def read_duckdb(text: bytes, into: Callable[[Any], Any]) -> Any:
    import duckdb

    # duckdb reads JSON from a path (a file-like object needs fsspec and reads
    # through Python), so the bytes are written to a file first, inside the timing.
    # It parses the times itself. The relation is lazy: `into` runs it.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tenants.json")
        with open(path, "wb") as f:
            f.write(text)
        return into(duckdb.connect().read_json(path))


def duckdb_pandas(base: str, ids: list[str]) -> Got:
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    fetch = wreq_pages(base, ids)
    seconds, frame = timed(lambda: read_duckdb(fetch(), lambda r: r.df()))
    return seconds, list(frame["id"])


def duckdb_arrow(base: str, ids: list[str]) -> Got:
    import duckdb  # noqa: F401
    import pyarrow  # noqa: F401

    fetch = wreq_pages(base, ids)
    seconds, table = timed(lambda: read_duckdb(fetch(), lambda r: r.to_arrow_table()))
    return seconds, table.column("id").to_pylist()


CASES: dict[str, Callable[[str, list[str]], Got]] = {
    "pigello-get": pigello_get,
    "pigello-get-otel": pigello_get_otel,
    "pigello-get-otel-api": pigello_get_otel_api,
    "httpx-pydantic-get": httpx_get,
    "aiohttp-msgspec-get": aiohttp_get,
    "pyreqwest-msgspec-get": pyreqwest_get,
    "wreq-msgspec-get": wreq_get,
    "pigello-get-64": pigello_get_64,
    "aiohttp-msgspec-get-64": aiohttp_get_64,
    "httpx-pydantic-get-64": httpx_get_64,
    "pigello-pandas": pigello_pandas,
    "pigello-arrow": pigello_arrow,
    "pigello-polars": pigello_polars,
    "httpx-pydantic-pandas": httpx_pandas,
    "wreq-msgspec-pandas": wreq_msgspec_pandas,
    "wreq-polars-pandas": polars_pandas,
    "wreq-polars": polars_only,
    "wreq-duckdb-pandas": duckdb_pandas,
    "wreq-duckdb-arrow": duckdb_arrow,
}


def peak_kib() -> int:
    """This process's own peak resident set (VmHWM). The kernel's figure for
    a child (wait4's ru_maxrss) also counts the parent's memory at the fork."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1])


def main() -> None:
    case, base, ids_file = sys.argv[1:4]
    with open(ids_file) as f:
        ids = f.read().split()
    seconds, rows = CASES[case](base, ids)
    sys.stdout.write(json.dumps({"seconds": seconds, "peak_kib": peak_kib()}) + "\n")
    sys.stdout.write("".join(f"{row}\n" for row in rows))


if __name__ == "__main__":
    main()
