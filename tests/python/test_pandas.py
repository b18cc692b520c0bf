"""DataFrames with proper dtypes, from a page and from every page."""

import asyncio
import io
import sys

import pandas as pd


def test_a_page_as_a_dataframe(client):
    page = client.tenants.list(page_size=10, order_by="last_name")
    frame = page.to_pandas()
    assert len(frame) == 10
    assert list(frame["id"]) == [str(t.id) for t in page]
    assert str(frame["id"].dtype) == "string"
    assert str(frame["first_name"].dtype) == "string"
    assert str(frame["anonymized"].dtype) == "boolean"
    assert str(frame["birth_date"].dtype).startswith("datetime64")
    assert str(frame["active_to"].dtype).startswith("datetime64") and "UTC" in str(
        frame["active_to"].dtype
    )
    assert frame["current_registered_address"].dropna().str.startswith("e0000001").all()
    with_birth = [t for t in page if t.birth_date is not None]
    assert frame["birth_date"].notna().sum() == len(with_birth)


def test_every_page_as_a_dataframe(client, capsys):
    frame = client.tenants.to_pandas(page_size=7, ssn__isnull=False, progress=True)
    n = len(frame)
    assert n == len(client.tenants.list(ssn__isnull=False))
    # Not a terminal: only the last line.
    assert capsys.readouterr().err == f"Tenant: [{'#' * 30}] {n}/{n} rows\n"
    quiet = client.tenants.to_pandas(progress=False)
    assert len(quiet) == 30
    assert capsys.readouterr().err == ""


def test_the_progress_bar_redraws_in_a_terminal(client, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    frame = client.tenants.to_pandas(page_size=10)
    lines = terminal.getvalue().split("\r")[1:]
    assert lines[0] == f"Tenant: [{'.' * 30}] 0/30 rows"
    assert lines[1] == f"Tenant: [{'#' * 10}{'.' * 20}] 10/30 rows"
    assert lines[-1] == f"Tenant: [{'#' * 30}] 30/30 rows\n"
    assert len(frame) == 30


def test_integers_are_nullable(client):
    frame = client.subtenant_tenant_connections.to_pandas()
    assert str(frame["category"].dtype) == "Int64"
    assert str(frame["stakeholder_type"].dtype) == "Int64"
    summary = frame.groupby("stakeholder_type").size()
    assert isinstance(summary, pd.Series) and summary.sum() == len(frame)


def test_every_page_as_a_dataframe_from_the_async_client(sandbox):
    async def main():
        client = sandbox.async_client()
        return await client.tenants.to_pandas(page_size=8, progress=False)

    frame = asyncio.run(main())
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 30
    assert str(frame["birth_date"].dtype).startswith("datetime64")


def test_an_empty_frame_has_the_dtypes_of_a_full_one(client):
    full = client.tenants.to_pandas(progress=False)
    empty = client.tenants.to_pandas(first_name="Nobody at all", progress=False)
    assert len(empty) == 0 and len(full) == 30
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()
    assert str(full["block_notifications_for"].dtype) == "object"
    assert str(full["created_at"].dtype) == "datetime64[us, UTC]"
    assert str(full["birth_date"].dtype) == "datetime64[us]"
    empty_page = client.tenants.list(first_name="Nobody at all").to_pandas()
    assert empty_page.dtypes.to_dict() == full.dtypes.to_dict()


def test_without_pyarrow_the_frame_is_the_same(client, tmp_path):
    """With pyarrow, text columns stay in Arrow (no Python string per value);
    without it they are built from Python strings: same dtypes, same values."""
    with_arrow = client.tenants.to_pandas(progress=False)
    # A pyarrow that fails to import, ahead of the real one on the path: what
    # pandas and pigello see where pyarrow is not installed.
    (tmp_path / "pyarrow").mkdir()
    (tmp_path / "pyarrow" / "__init__.py").write_text("raise ImportError('not installed')\n")
    script = """
import sys, pickle
from pigello.testing import Sandbox
with Sandbox(seed=1, tenants=30) as sb:
    frame = sb.client().tenants.to_pandas(progress=False)
rows = frame.astype(object).where(frame.notna(), None).values.tolist()
sys.stdout.buffer.write(pickle.dumps((frame.dtypes.astype(str).to_dict(), rows)))
"""
    import os
    import pickle
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, env=env)
    assert done.returncode == 0, done.stderr.decode()
    dtypes, values = pickle.loads(done.stdout)
    assert dtypes == with_arrow.dtypes.astype(str).to_dict()
    assert values == with_arrow.astype(object).where(with_arrow.notna(), None).values.tolist()
    assert type(with_arrow["first_name"].array).__name__ == "ArrowStringArray"
