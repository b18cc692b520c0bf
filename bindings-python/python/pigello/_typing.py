"""The shapes every resource's types build on: ids, relations, sort keys,
pages and row iterators. `pigello.types` re-exports them beside the types it
generates for each resource."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar, Union, overload

T_co = TypeVar("T_co", covariant=True)

IdLike = Union[str, uuid.UUID, "HasId"]
"""An id: a uuid string, a `uuid.UUID`, or a model."""

RelationLike = Union[IdLike, Mapping[str, Any]]
"""A relation: an id, or `{"id": ...}`."""

OrderBy = Union[str, Sequence[str]]
"""Sort keys: `"last_name"`, `"-birth_date"`, `"a,-b"` or a list of them."""


class HasId(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


class BasePage(Protocol[T_co]):
    """One page of rows."""

    @property
    def total(self) -> int | None: ...
    @property
    def page(self) -> int: ...
    @property
    def page_size(self) -> int: ...
    @property
    def request_id(self) -> str | None: ...
    def has_next_page(self) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[T_co]: ...
    @overload
    def __getitem__(self, index: int) -> T_co: ...
    @overload
    def __getitem__(self, index: slice) -> list[T_co]: ...
    def to_list(self) -> list[T_co]: ...
    def to_pandas(self) -> Any: ...
    def _repr_html_(self) -> str: ...


class Page(BasePage[T_co], Protocol[T_co]):
    """One page of rows, from a `Client`."""

    def next_page(self) -> Page[T_co] | None: ...
    def iter_pages(self) -> Iterator[Page[T_co]]: ...


class AsyncPage(BasePage[T_co], Protocol[T_co]):
    """One page of rows, from an `AsyncClient`."""

    async def next_page(self) -> AsyncPage[T_co] | None: ...
    def iter_pages(self) -> AsyncIterator[AsyncPage[T_co]]: ...


class Rows(Protocol[T_co]):
    """Every row of a list, fetched a page at a time."""

    def __iter__(self) -> Iterator[T_co]: ...
    def __next__(self) -> T_co: ...
    def __len__(self) -> int:
        """How many rows match, as the server counts them (asked once)."""


class AsyncRows(Protocol[T_co]):
    """Every row of a list, fetched a page at a time, for `async for`."""

    def __aiter__(self) -> AsyncIterator[T_co]: ...
    async def __anext__(self) -> T_co: ...
