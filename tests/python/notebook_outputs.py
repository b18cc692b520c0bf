"""The example notebook's outputs: run it as a reader's Jupyter would, and
say what a reader sees in a form two runs can be compared in.

``python tests/python/notebook_outputs.py`` (``make notebook``) runs
``examples/explore_tenants.ipynb`` and writes it back with its outputs; the
tests run it again and fail when what it shows differs from what is committed.
"""

from __future__ import annotations

import pathlib
import re
import sys
from typing import Any

import nbclient
import nbformat

NOTEBOOK = pathlib.Path(__file__).resolve().parents[2] / "examples" / "explore_tenants.ipynb"

# What differs between two runs of the same notebook on the same seed: the
# sandbox's port, and the id a widget gets.
_PORT = re.compile(r"127\.0\.0\.1:\d+")
# What is compared as text; anything else (a chart, a widget's view) only by
# its being there.
_TEXT = ("text/plain", "text/html")


def executed(path: pathlib.Path = NOTEBOOK) -> Any:
    """The notebook, run top to bottom in a fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def _same_each_run(text: str) -> str:
    return _PORT.sub("127.0.0.1:PORT", text)


def shown(notebook: Any) -> list[list[tuple[str, str, str | None]]]:
    """Per code cell, what it shows: each output's kind and, for text, the
    text (the port made the same in every run)."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs: list[tuple[str, str, str | None]] = []
        for output in cell.outputs:
            if output.output_type == "stream":
                outputs.append(("stream", output.name, _same_each_run(output.text)))
            elif output.output_type == "error":
                outputs.append(("error", output.ename, _same_each_run(output.evalue)))
            else:
                for mime in sorted(output.data):
                    text = output.data[mime] if mime in _TEXT else None
                    outputs.append((output.output_type, mime, text and _same_each_run(text)))
        cells.append(outputs)
    return cells


if __name__ == "__main__":
    target = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOK
    nbformat.write(executed(target), target)
    print(f"wrote {target} with its outputs")
