"""The example notebook as a reader sees it (committed with its outputs, which
must be what it shows when run now), and the progress of an export in a
notebook: a widget, or text updated in place, never a red stderr box."""

import re

import pytest

# The notebook tools are in the development environment, not in every
# environment the wheel is tested in.
nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")

import notebook_outputs
from nbformat.v4 import new_code_cell, new_notebook

PERSONAL = re.compile(r"\b\d{6}[-+]?\d{4}\b|@example\.se|\+46\d")


def test_the_committed_outputs_are_what_the_notebook_shows_now():
    committed = nbformat.read(notebook_outputs.NOTEBOOK, as_version=4)
    fresh = notebook_outputs.executed()
    assert notebook_outputs.shown(fresh) == notebook_outputs.shown(committed), (
        "examples/explore_tenants.ipynb shows other outputs when run now: run `make notebook`"
    )


def test_the_notebook_shows_tables_charts_and_progress_and_nothing_personal():
    notebook = nbformat.read(notebook_outputs.NOTEBOOK, as_version=4)
    shown = [output for cell in notebook_outputs.shown(notebook) for output in cell]
    kinds = {mime for _, mime, _ in shown}
    assert {"text/html", "image/png", "application/vnd.jupyter.widget-view+json"} <= kinds
    texts = [text for _, _, text in shown if text]
    assert "<p>8 of 200 tenants, page 1</p>" in "".join(texts)
    assert "Tenant: 200/200 rows" in texts
    assert "(0, True)" in texts  # an empty frame has a full one's dtypes
    assert [s for s in shown if s[0] in ("error",) or s[:2] == ("stream", "stderr")] == []
    assert not [t for t in texts if PERSONAL.search(t)]


def run_cells(*sources: str):
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return [cell.outputs for cell in notebook.cells]


SANDBOX = (
    "from pigello.testing import Sandbox\nsb = Sandbox(seed=1, tenants=30)\nclient = sb.client()"
)


def test_without_ipywidgets_the_progress_is_text_updated_in_place_and_can_be_hidden():
    _, shown, hidden = run_cells(
        "import sys\nsys.modules['ipywidgets'] = None  # as if it were not installed\n" + SANDBOX,
        "client.tenants.to_pandas(page_size=10).shape",
        "client.tenants.to_pandas(page_size=10, progress=False).shape",
    )
    assert [(o.output_type, dict(o.get("data", {}))) for o in shown] == [
        ("display_data", {"text/plain": f"Tenant: [{'#' * 30}] 30/30 rows"}),
        ("execute_result", {"text/plain": "(30, 28)"}),
    ]
    assert [o.output_type for o in hidden] == ["execute_result"]


def test_with_ipywidgets_the_progress_is_a_widget_that_ends_full():
    _, shown = run_cells(SANDBOX, "client.tenants.to_pandas(page_size=10).shape")
    progress, result = shown
    assert progress.output_type == "display_data"
    assert progress.data["text/plain"] == "Tenant: 30/30 rows"
    assert "application/vnd.jupyter.widget-view+json" in progress.data
    assert result.data["text/plain"] == "(30, 28)"
