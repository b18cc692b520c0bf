"""The shapes every resource's types build on: ids, relations, sort keys,
pages, row iterators and Arrow exports. `pigello.types` re-exports them beside the types it
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
    def to_arrow(self) -> ArrowStream: ...
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


class ArrowStream(Protocol):
    """Rows as an Arrow stream (the Arrow PyCapsule interface), what
    `to_arrow()` gives: `pyarrow.table(s)`, `polars.DataFrame(s)`,
    `duckdb.sql("from s")`. From a `Client`'s resource, the pages are fetched as
    it is read, and it can be read once; from a page or an `AsyncClient`, it
    holds its rows and can be read again."""

    def __arrow_c_schema__(self) -> Any: ...
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...


class ArrowBatch(Protocol):
    """One page of rows as an Arrow record batch: `pyarrow.record_batch(b)`,
    `polars.DataFrame(b)`, `b.to_pandas()`."""

    @property
    def num_rows(self) -> int: ...
    @property
    def column_names(self) -> list[str]: ...
    def __len__(self) -> int: ...
    def __arrow_c_schema__(self) -> Any: ...
    def __arrow_c_array__(self, requested_schema: Any = None) -> tuple[Any, Any]: ...
    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...
    def to_pandas(self) -> Any: ...


class Batches(Protocol):
    """Every matching row, a page at a time as an `ArrowBatch` (`for` with a
    `Client`, `async for` with an `AsyncClient`), the next page fetched while
    one is read."""

    def __iter__(self) -> Iterator[ArrowBatch]: ...
    def __next__(self) -> ArrowBatch: ...
    def __aiter__(self) -> AsyncIterator[ArrowBatch]: ...
    async def __anext__(self) -> ArrowBatch: ...


class PartitionBase(Protocol):
    """What every part of a list has; `pigello.types.Partition` adds the
    methods that fetch it, with the keywords of the option table."""

    @property
    def index(self) -> int: ...
    @property
    def count(self) -> int: ...
    def _empty_frame(self) -> Any: ...
