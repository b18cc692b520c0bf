"""A list split into parts by ``created_at`` ranges: every row in exactly one
part, parts that pickle and are fetched with credentials from the
environment, and a Dask frame over them (worker processes) equal to
``to_pandas()``."""

import asyncio
import pickle

import dask
import pandas as pd
import pigello
import pigello.dask
import pyarrow as pa
import pytest
from pigello.testing import Sandbox

FIRST_CUSTOMER = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def environment(sandbox, monkeypatch):
    """Credentials in the environment, as a worker finds them."""
    for name, value in {
        "PIGELLO_BASE_URL": sandbox.url,
        "PIGELLO_CUSTOMER_ID": FIRST_CUSTOMER,
        "PIGELLO_APPLICATION_ID": "a",
        "PIGELLO_SERVICE_ID": "s",
        "PIGELLO_SERVICE_VERSION_ID": "v",
        "PIGELLO_CLIENT_CT": "c",
        "PIGELLO_CLIENT_OBJECT_ID": "o",
        "PIGELLO_CLIENT_SECRET": "x",
    }.items():
        monkeypatch.setenv(name, value)


def _documented(frame: pd.DataFrame) -> pd.DataFrame:
    """The documented columns, rows in id order."""
    return frame.drop(columns=["_extra"], errors="ignore").sort_values("id").reset_index(drop=True)


def test_every_row_is_in_exactly_one_part_and_parts_are_about_even():
    with Sandbox(seed=1, tenants=200) as sandbox:
        client = sandbox.client()
        parts = client.tenants.partitions(4)
        assert [(p.index, p.count) for p in parts] == [(i, 4) for i in range(4)]
        ids = [set(p.to_pandas(client)["id"]) for p in parts]
        assert all(40 <= len(i) <= 60 for i in ids), [len(i) for i in ids]
        assert sum(len(i) for i in ids) == len(set().union(*ids)) == 200
        every = [
            i
            for p in parts
            for b in p.iter_batches(client, batch_size=30)
            for i in pa.record_batch(b).column("id").to_pylist()
        ]
        assert sorted(every) == sorted(set().union(*ids))
        assert pa.table(parts[0].to_arrow(client)).num_rows == len(ids[0])


def test_a_part_pickles_without_a_client_and_is_fetched_from_the_environment(client, environment):
    part = client.tenants.partitions(
        3, first_name__icontains="a", extra_query={"last_name__isnull": "false"}
    )[1]
    again = pickle.loads(pickle.dumps(part))
    assert again == part and (again.index, again.count) == (1, 3)
    assert b"secret" not in pickle.dumps(part)
    # The repr shows the range, not the filters (they may hold personal data).
    assert "created_at >=" in repr(part) and "icontains" not in repr(part)
    fetched = again.to_pandas()  # a client made from PIGELLO_* variables
    assert list(fetched["id"]) == list(part.to_pandas(client)["id"])
    assert (fetched["first_name"].str.lower().str.contains("a")).all()
    assert fetched["last_name"].notna().all()
    assert fetched["_extra"].isna().all()
    assert list(fetched.columns)[-1] == "_extra"


def test_a_dask_frame_over_worker_processes_equals_to_pandas(client, environment):
    frame = pigello.dask.read_dataframe("tenants", partitions=3)
    assert frame.npartitions == 3
    with dask.config.set(scheduler="processes", num_workers=2):
        computed = frame.compute()
    expected = client.tenants.to_pandas()
    assert computed["id"].is_unique and len(computed) == len(expected) == 30
    pd.testing.assert_frame_equal(_documented(computed), _documented(expected))
    assert computed["_extra"].isna().all()
    # Filters and a resource object work the same way.
    since = pigello.dask.read_dataframe(client.tenants, 2, created_at__gte="2022-01-01")
    picked = since.compute(scheduler="sync")
    assert set(picked["id"]) == set(client.tenants.to_pandas(created_at__gte="2022-01-01")["id"])
    assert dict(frame.dtypes) == dict(computed.dtypes)


def test_an_async_client_splits_too(sandbox):
    async def main():
        async with sandbox.async_client() as client:
            return await client.tenants.partitions(2)

    parts = asyncio.run(main())
    assert len(parts) == 2
    with pytest.raises(pigello.PigelloError, match="at least 1"):
        sandbox.client().tenants.partitions(0)
