"""A resource of each client: ``client.tenants`` on a ``Client`` is a
``Resource``, on an ``AsyncClient`` an ``AsyncResource``. Both hold the same
native calls, which are built unsent: ``Resource`` waits for each, and
``AsyncResource`` awaits it inside a coroutine, so nothing is sent before the
coroutine is awaited (and Python warns about one that never is). The typing of
each resource's methods is in ``pigello.types``."""

from __future__ import annotations

from typing import Any

from . import _native


class _Operations:
    """What both kinds of resource hold: the native calls of one resource."""

    __slots__ = ("_calls",)

    def __init__(self, calls: _native.ResourceCalls) -> None:
        self._calls = calls

    @property
    def name(self) -> str:
        """The resource's name, as the API spells it."""
        return self._calls.name

    def iterate(self, **options: Any) -> Any:
        """Every matching row, a page fetched at a time: `for` or `async for`."""
        return self._calls.iterate(**options)

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
        return self._calls.to_pandas(**options).wait()

    def create(self, **fields: Any) -> Any:
        return self._calls.create(**fields).wait()

    def update(self, id: Any, /, **fields: Any) -> Any:
        return self._calls.update(id, **fields).wait()

    def delete(self, id: Any, /, **options: Any) -> None:
        self._calls.delete(id, **options).wait()

    def bulk_write(self, items: Any, /, **options: Any) -> Any:
        return self._calls.bulk_write(items, **options).wait()

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
        return await self._calls.to_pandas(**options)

    async def create(self, **fields: Any) -> Any:
        return await self._calls.create(**fields)

    async def update(self, id: Any, /, **fields: Any) -> Any:
        return await self._calls.update(id, **fields)

    async def delete(self, id: Any, /, **options: Any) -> None:
        await self._calls.delete(id, **options)

    async def bulk_write(self, items: Any, /, **options: Any) -> Any:
        return await self._calls.bulk_write(items, **options)

    async def invite(self, body: Any = None, /, **fields: Any) -> Any:
        return await self._calls.invite(body, **fields)


def iter_pages(page: Any) -> Any:
    """A page of a ``Client`` and each next one (``Page.iter_pages``)."""
    while page is not None:
        yield page
        page = page.next_page()


async def aiter_pages(page: Any) -> Any:
    """A page of an ``AsyncClient`` and each next one (``Page.iter_pages``)."""
    while page is not None:
        yield page
        page = await page.next_page()


async def awaited(call: Any) -> Any:
    """The result of a native call as a coroutine (``None`` stays ``None``)."""
    return None if call is None else await call
