"""Rows as Arrow data: the same values as the models and ``to_pandas``, read by
pyarrow, polars and DuckDB through the Arrow PyCapsule interface, with at most
one page fetched ahead of the reader."""

import asyncio
import datetime
import json

import duckdb
import pandas as pd
import pigello
import polars as pl
import pyarrow as pa
import pytest
from pigello.testing import Sandbox

TENANT_LIST = "/accounts/users/customer/tenant/list/"


def _as_column_holds(field, value):
    """A row's JSON value (``Model.to_dict()``) as its Arrow column holds it."""
    if value is None:
        return None
    if field.metadata and b"pigello.json" in field.metadata:
        return json.dumps(value, separators=(",", ":"))
    if field.type == pa.timestamp("us", tz="UTC"):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if field.type == pa.date32():
        return datetime.date.fromisoformat(value)
    if isinstance(value, dict):
        return value["id"]
    if isinstance(value, list):
        return [v["id"] if isinstance(v, dict) else v for v in value]
    return value


def test_the_schema_follows_the_reference(client):
    schema = pa.schema(client.tenants.to_arrow())
    assert schema.field("id").type == pa.string()
    assert schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("birth_date").type == pa.date32()
    assert schema.field("anonymized").type == pa.bool_()
    assert schema.field("current_registered_address").type == pa.string()
    assert schema.field("realestates").type == pa.list_(pa.string())
    assert schema.field("profile_picture").metadata == {b"pigello.json": b"true"}
    assert schema.names[-1] == "_extra"
    agents = pa.schema(client.integration_user_agents.to_arrow())
    assert agents.field("clashing_priority").type == pa.int64()


def test_arrow_holds_what_the_models_hold(client):
    table = pa.table(client.tenants.to_arrow(page_size=7))
    models = list(client.tenants.iterate(page_size=7))
    assert table.num_rows == len(models) == 30
    for model, row in zip(models, table.to_pylist()):
        values = model.to_dict()
        for field in table.schema:
            if field.name == "_extra":
                assert row[field.name] is None
                continue
            held = _as_column_holds(field, values.get(field.name))
            got = row[field.name]
            if isinstance(held, str) and field.metadata:
                got, held = json.loads(got), json.loads(held)
            assert got == held, (field.name, got, held)
        # The typed attributes agree too.
        assert row["created_at"] == model.created_at
        assert row["birth_date"] == model.birth_date


def test_pandas_polars_and_duckdb_read_the_same_rows(client):
    frame = client.tenants.to_pandas(page_size=9)
    table = pa.table(client.tenants.to_arrow(page_size=9))
    polars = client.tenants.to_polars(page_size=9)
    assert list(frame.columns) == table.column_names[:-1] == polars.columns[:-1]
    assert list(frame["id"]) == table.column("id").to_pylist() == polars["id"].to_list()
    assert (
        list(frame["created_at"])
        == [pd.Timestamp(t) for t in table.column("created_at").to_pylist()]
        == [pd.Timestamp(t) for t in polars["created_at"].to_list()]
    )
    births = [None if pd.isna(b) else b.date() for b in frame["birth_date"]]
    assert births == table.column("birth_date").to_pylist() == polars["birth_date"].to_list()
    addresses = [None if pd.isna(a) else a for a in frame["current_registered_address"]]
    assert addresses == table.column("current_registered_address").to_pylist()
    assert list(frame["realestates"]) == table.column("realestates").to_pylist()

    # DuckDB finds the stream by its variable's name.
    stream = client.tenants.to_arrow(page_size=9)  # noqa: F841
    counted = duckdb.sql(
        "select count(*), count(distinct id), min(created_at), max(birth_date) from stream"
    ).fetchall()[0]
    assert counted[:2] == (30, 30)
    assert counted[2] == min(table.column("created_at").to_pylist())
    assert counted[3] == max(b for b in table.column("birth_date").to_pylist() if b)

    from_arrow = getattr(pd.DataFrame, "from_arrow", None)
    if from_arrow is not None:
        assert list(from_arrow(client.tenants.to_arrow())["id"]) == list(frame["id"])


def test_a_page_exports_its_rows_any_number_of_times(client):
    page = client.tenants.list(page_size=12, order_by="last_name")
    arrow = page.to_arrow()
    first, second = pa.table(arrow), pa.table(arrow)
    assert first.equals(second)
    assert first.column("id").to_pylist() == [str(t.id) for t in page]
    assert list(page.to_pandas()["id"]) == first.column("id").to_pylist()


def test_a_stream_of_pages_still_to_fetch_is_read_once(client):
    stream = client.tenants.to_arrow()
    assert "unread" in repr(stream)
    assert pa.table(stream).num_rows == 30
    with pytest.raises(RuntimeError, match="read already: call to_arrow"):
        pa.table(stream)
    capsule = client.tenants.to_arrow().__arrow_c_stream__()
    assert type(capsule).__name__ == "PyCapsule"


def test_batches_are_pages_and_readers_take_them_without_a_copy(client):
    batches = list(client.tenants.iter_batches(batch_size=8))
    assert [b.num_rows for b in batches] == [8, 8, 8, 6]
    assert batches[0].column_names == pa.schema(client.tenants.to_arrow()).names
    ids = [i for b in batches for i in pa.record_batch(b).column("id").to_pylist()]
    assert ids == pa.table(client.tenants.to_arrow()).column("id").to_pylist()
    assert pl.DataFrame(batches[0]).height == 8
    assert list(batches[0].to_pandas()["id"]) == ids[:8]
    assert len(pa.table(batches[1])) == 8
    with pytest.raises(pigello.PigelloError, match="batch_size|_page_size"):
        next(iter(client.tenants.iter_batches(batch_size=0)))


def _lists(sandbox):
    return sum(1 for r in sandbox.requests() if r["path"] == TENANT_LIST)


@pytest.mark.parametrize("tenants", [240, 2400])
def test_iter_batches_holds_one_page_ahead_at_most_whatever_the_size(tenants):
    """Memory stays flat: the rows fetched and not yet handed to the reader are
    never more than a page, however many rows the export has."""
    size = 60
    with Sandbox(seed=1, tenants=tenants) as sandbox:
        client = sandbox.client()
        held_ahead = []
        taken = 0
        for batch in client.tenants.iter_batches(batch_size=size):
            taken += batch.num_rows
            fetched = min(_lists(sandbox) * size, tenants)
            held_ahead.append(fetched - taken)
        assert taken == tenants
        assert max(held_ahead) <= size
        assert _lists(sandbox) == tenants // size + 1


def test_an_error_while_walking_is_the_typed_error(sandbox, client):
    batches = client.tenants.iter_batches(batch_size=10)
    next(batches)
    sandbox.inject_fault("status", status=404, method="GET", path=TENANT_LIST)
    with pytest.raises(pigello.NotFoundError):
        for _ in batches:
            pass
    with pytest.raises(Exception, match="404") as raised:
        pa.table(client.tenants.to_arrow(page_size=10))
    assert not isinstance(raised.value, SystemError)


def test_an_async_client_exports_without_blocking(sandbox):
    async def main():
        async with sandbox.async_client() as client:
            arrow = await client.tenants.to_arrow(page_size=7)
            sizes = [b.num_rows async for b in client.tenants.iter_batches(batch_size=7)]
            polars = await client.tenants.to_polars()
            return pa.table(arrow), pa.table(arrow), sizes, polars

    first, again, sizes, polars = asyncio.run(main())
    assert first.num_rows == again.num_rows == polars.height == 30
    assert sizes == [7, 7, 7, 7, 2]
    assert isinstance(first.column("created_at")[0].as_py(), datetime.datetime)
