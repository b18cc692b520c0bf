"""A list as a Dask DataFrame: split into parts by ``created_at`` ranges
(``Resource.partitions``), each part fetched in a Dask worker as Arrow
batches and turned into its pandas partition there.

```python
import pigello.dask

frame = pigello.dask.read_dataframe("tenants", partitions=8, created_at__gte="2022-01-01")
frame.groupby(frame.created_at.dt.year).size().compute()
```

The workers make their own client from the environment (the ``PIGELLO_*``
variables ``pigello.Client()`` reads): credentials never travel in the task
graph. A client given here only splits the list.
"""

from __future__ import annotations

import os
from typing import Any

from ._resources import Resource
from .types import Partition

__all__ = ["read_dataframe"]


def _fetch(part: Partition, page_size: int | None) -> Any:
    """One part's rows, in the worker that runs it."""
    return part.to_pandas(page_size=page_size)


def read_dataframe(
    resource: str | Resource,
    partitions: int | None = None,
    *,
    client: Any = None,
    page_size: int | None = None,
    **filters: Any,
) -> Any:
    """Every row of ``resource`` (its name on a client, ``"tenants"``, or the
    resource itself, ``client.tenants``) that ``filters`` match, as a Dask
    DataFrame of at most ``partitions`` parts (by default, one per CPU). Each
    part has the columns and dtypes of ``to_pandas()``, the undocumented
    fields in one column, ``_extra``. Filters, ``order_by``, ``search`` and
    ``extra_query`` are those of ``to_pandas``; the parts follow each other
    in ``created_at`` order, and a part's rows are in ``order_by`` order (by
    id without one)."""
    try:
        import dask
        import dask.dataframe as dd  # type: ignore[import-untyped,unused-ignore]
    except ModuleNotFoundError as missing:
        raise ImportError("read_dataframe needs dask: pip install 'pigello[dask]'") from missing
    if isinstance(resource, str):
        calls = getattr(client if client is not None else _native_client(), resource)
    else:
        calls = resource
    if partitions is None:
        partitions = os.cpu_count() or 1
    parts = calls.partitions(partitions, **filters)
    # The columns keep the dtypes of `to_pandas`: Dask would otherwise turn
    # the object columns (lists, JSON values) into strings.
    from_map: Any = dd.from_map
    with dask.config.set({"dataframe.convert-string": False}):
        return from_map(
            _fetch,
            parts,
            page_size=page_size,
            meta=parts[0]._empty_frame(),
            label=f"pigello-{calls.name.lower()}",
            enforce_metadata=False,
        )


def _native_client() -> Any:
    from . import Client

    return Client.from_env()
