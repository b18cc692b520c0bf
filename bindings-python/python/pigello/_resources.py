"""A resource of each client: ``client.tenants`` on a ``Client`` is a
``Resource``, on an ``AsyncClient`` an ``AsyncResource``. Both hold the same
native calls, which are built unsent: ``Resource`` waits for each, and
``AsyncResource`` awaits it inside a coroutine, so nothing is sent before the
coroutine is awaited (and Python warns about one that never is). The typing of
each resource's methods is in ``pigello.types``."""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from . import _native, _options, _telemetry

T = TypeVar("T")


class _Headers(Mapping[str, str]):
    """An answer's headers: read by any case of their name (the core gives
    them by lower-case name, a repeated one's values joined with ", ")."""

    __slots__ = ("_items",)

    def __init__(self, items: dict[str, str]) -> None:
        self._items = items

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Any:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class APIResponse(Generic[T]):
    """A call's answer beyond its value, as openai-python's ``with_raw_response``
    gives it: ``status_code``, ``headers``, ``request_id``, ``elapsed``,
    ``retries_taken``, and ``parse()`` for the value itself."""

    __slots__ = ("_value", "elapsed", "headers", "request_id", "retries_taken", "status_code")

    def __init__(self, facts: dict[str, Any], value: T) -> None:
        self.status_code: int = facts["status_code"]
        self.headers = _Headers(facts["headers"])
        self.request_id: str | None = facts["request_id"]
        self.elapsed = datetime.timedelta(seconds=facts["elapsed"])
        self.retries_taken: int = facts["retries_taken"]
        self._value = value

    def parse(self) -> T:
        """The value the call returns without ``with_raw_response``."""
        return self._value

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] request_id={self.request_id!r}>"


def _raw(call: Any, value: Any) -> APIResponse[Any]:
    facts = call.response()
    if facts is None:  # pragma: no cover (every call that returns was answered)
        raise RuntimeError("the call has no answer to show")
    return APIResponse(facts, value)


class _RawCalls:
    """The calls of a resource, each giving an ``APIResponse``: what
    ``resource.with_raw_response`` is."""

    __slots__ = ("_asynchronous", "_calls")

    def __init__(self, calls: _native.ResourceCalls, asynchronous: bool) -> None:
        self._calls = calls
        self._asynchronous = asynchronous

    def __getattr__(self, method: str) -> Any:
        if method not in {"get", "list", "create", "update", "delete", "bulk_write", "invite"}:
            raise AttributeError(f"with_raw_response has no method {method!r}")
        native = getattr(self._calls, method)

        def blocking(*args: Any, **options: Any) -> APIResponse[Any]:
            call = native(*args, **options)
            call.want_headers()
            return _raw(call, call.wait())

        async def awaitable(*args: Any, **options: Any) -> APIResponse[Any]:
            call = native(*args, **options)
            call.want_headers()
            return _raw(call, await call)

        return awaitable if self._asynchronous else blocking


class _Operations:
    """What both kinds of resource hold: the native calls of one resource."""

    __slots__ = ("_calls",)

    def __init__(self, calls: _native.ResourceCalls) -> None:
        self._calls = calls

    @property
    def name(self) -> str:
        """The resource's name, as the API spells it."""
        return self._calls.name

    @property
    def with_raw_response(self) -> Any:
        """The same methods, each returning an ``APIResponse`` (status, headers,
        request id, time, retries) whose ``parse()`` gives the value."""
        return _RawCalls(self._calls, isinstance(self, AsyncResource))

    def iterate(self, **options: Any) -> Any:
        """Every matching row, a page fetched at a time: `for` or `async for`."""
        traced = _telemetry.operation(self._calls, "iterate")
        if traced is None:
            return self._calls.iterate(**options)
        with traced.making():
            rows = self._calls.iterate(**options)
        return _telemetry.Counted(traced, rows)

    def iter_batches(self, **options: Any) -> Any:
        """Every matching row, a page at a time as an ``ArrowBatch``: `for` or
        `async for`."""
        traced = _telemetry.operation(self._calls, "iter_batches")
        if traced is None:
            return self._calls.iter_batches(**options)
        with traced.making():
            batches = self._calls.iter_batches(**options)
        return _telemetry.Counted(traced, batches, batches=True)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"


class Resource(_Operations):
    """The operations of one resource, blocking."""

    __slots__ = ()

    def get(self, id: Any, /, **options: Any) -> Any:
        return self._calls.get(id, **options).wait()

    def list(self, **options: Any) -> Any:
        return self._calls.list(**options).wait()

    def to_pandas(self, **options: Any) -> Any:
        return _traced(self._calls, "to_pandas", lambda: self._calls.to_pandas(**options).wait())

    def to_arrow(self, **options: Any) -> Any:
        traced = _telemetry.operation(self._calls, "to_arrow")
        if traced is None:
            return self._calls.to_arrow(**options)
        with traced.making():
            stream = self._calls.to_arrow(**options)
        # The stream is read by the caller's library, later: it tells the
        # span how many rows were read when it ends.
        stream._when_read(traced.read)
        return stream

    def to_polars(self, **options: Any) -> Any:
        polars = _polars()
        return _traced(
            self._calls, "to_arrow", lambda: polars.DataFrame(self._calls.to_arrow(**options))
        )

    def partitions(self, n: int, /, **options: Any) -> Any:
        return _traced(
            self._calls, "partitions", lambda: self._calls.partitions(n, **options).wait(), _none
        )

    def create(self, **fields: Any) -> Any:
        return self._calls.create(**fields).wait()

    def update(self, id: Any, /, **fields: Any) -> Any:
        return self._calls.update(id, **fields).wait()

    def delete(self, id: Any, /, **options: Any) -> None:
        self._calls.delete(id, **options).wait()

    def bulk_write(self, items: Any, /, **options: Any) -> Any:
        return _traced(
            self._calls, "bulk_write", lambda: self._calls.bulk_write(items, **options).wait()
        )

    def invite(self, body: Any = None, /, **fields: Any) -> Any:
        return self._calls.invite(body, **fields).wait()


class AsyncResource(_Operations):
    """The operations of one resource, as coroutines."""

    __slots__ = ()

    async def get(self, id: Any, /, **options: Any) -> Any:
        return await self._calls.get(id, **options)

    async def list(self, **options: Any) -> Any:
        return await self._calls.list(**options)

    async def to_pandas(self, **options: Any) -> Any:
        return await _traced_async(
            self._calls, "to_pandas", lambda: self._calls.to_pandas(**options)
        )

    async def to_arrow(self, **options: Any) -> Any:
        return await self._calls.to_arrow_fetched(**options)

    async def to_polars(self, **options: Any) -> Any:
        polars = _polars()

        async def frame() -> Any:
            return polars.DataFrame(await self._calls.to_arrow_fetched(**options))

        return await _traced_async(self._calls, "to_arrow", frame)

    async def partitions(self, n: int, /, **options: Any) -> Any:
        return await _traced_async(
            self._calls, "partitions", lambda: self._calls.partitions(n, **options), _none
        )

    async def create(self, **fields: Any) -> Any:
        return await self._calls.create(**fields)

    async def update(self, id: Any, /, **fields: Any) -> Any:
        return await self._calls.update(id, **fields)

    async def delete(self, id: Any, /, **options: Any) -> None:
        await self._calls.delete(id, **options)

    async def bulk_write(self, items: Any, /, **options: Any) -> Any:
        return await _traced_async(
            self._calls, "bulk_write", lambda: self._calls.bulk_write(items, **options)
        )

    async def invite(self, body: Any = None, /, **fields: Any) -> Any:
        return await self._calls.invite(body, **fields)


def _traced(calls: Any, method: str, run: Any, rows: Any = len) -> Any:
    """``run()``, under the span of its operation when telemetry records;
    ``rows(value)`` is the span's ``pigello.rows``."""
    traced = _telemetry.operation(calls, method)
    if traced is None:
        return run()
    with traced.making():
        value = run()
    traced.done(rows=rows(value))
    return value


async def _traced_async(calls: Any, method: str, run: Any, rows: Any = len) -> Any:
    """``_traced`` for a coroutine: ``run()`` is awaited inside the span."""
    traced = _telemetry.operation(calls, method)
    if traced is None:
        return await run()
    with traced.making():
        value = await run()
    traced.done(rows=rows(value))
    return value


def _none(_parts: Any) -> int:
    """The rows a split into partitions fetched: none (its requests only find
    the ``created_at`` ranges; each part's rows are fetched where it is read)."""
    return 0


def _polars() -> Any:
    """polars, or an ``ImportError`` that says how to get it."""
    try:
        import polars
    except ModuleNotFoundError as missing:
        raise ImportError("to_polars needs polars: pip install 'pigello[polars]'") from missing
    return polars


def iter_pages(page: Any, calls: Any) -> Any:
    """A page of a ``Client`` and each next one (``Page.iter_pages``); when
    telemetry records, the walk is one span over the next pages' requests."""
    traced = _telemetry.operation(calls, "list") if calls is not None else None
    if traced is None:
        while page is not None:
            yield page
            page = page.next_page()
        return
    try:
        while page is not None:
            traced.rows += len(page)
            yield page
            with traced.making():
                page = page.next_page()
    except BaseException as error:
        traced.end(error)
        raise
    traced.end(None)


async def aiter_pages(page: Any, calls: Any) -> Any:
    """A page of an ``AsyncClient`` and each next one (``Page.iter_pages``),
    under one span as ``iter_pages``."""
    traced = _telemetry.operation(calls, "list") if calls is not None else None
    if traced is None:
        while page is not None:
            yield page
            page = await page.next_page()
        return
    try:
        while page is not None:
            traced.rows += len(page)
            yield page
            with traced.making():
                page = await page.next_page()
    except BaseException as error:
        traced.end(error)
        raise
    traced.end(None)


async def awaited(call: Any) -> Any:
    """The result of a native call as a coroutine (``None`` stays ``None``)."""
    return None if call is None else await call


# What each method takes besides its options, as its last keywords: filters,
# a resource's fields, or nothing (`to_polars` takes what `to_arrow` does).
_REST = {
    "get": None,
    "list": "filters",
    "iterate": "filters",
    "iter_batches": "filters",
    "to_pandas": "filters",
    "to_arrow": "filters",
    "to_polars": "filters",
    "partitions": "filters",
    "create": "fields",
    "update": "fields",
    "delete": None,
    "bulk_write": None,
    "invite": "fields",
}


def _show_options(method: Any, options: tuple[str, ...], rest: str | None) -> None:
    """Gives a method that passes its keywords on the signature that
    ``help()``, ``inspect.signature`` and the reference show: its positional
    parameters, then each option it takes (``None`` leaves one out), then
    ``**filters`` or ``**fields`` when it takes those."""
    shown = inspect.signature(method)
    parameters = [p for p in shown.parameters.values() if p.kind is not p.VAR_KEYWORD]
    parameters += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None) for name in options
    ]
    if rest is not None:
        parameters.append(inspect.Parameter(rest, inspect.Parameter.VAR_KEYWORD))
    method.__signature__ = shown.replace(parameters=parameters)


def _show_every_option() -> None:
    for kind in (_Operations, Resource, AsyncResource):
        for method, rest in _REST.items():
            if method in vars(kind):
                taker = "to_arrow" if method == "to_polars" else method
                _show_options(vars(kind)[method], _options.TAKES[taker], rest)


_show_every_option()
