"""Where the progress of a long export (``to_pandas``) shows: a widget in a
notebook that has ipywidgets, a line of text updated in place in a notebook
that has not, a line redrawn on a terminal's stderr, and only the last line
anywhere else (a log file, a pipe). By default it shows in a notebook or a
terminal; ``progress=False`` hides it and ``progress=True`` shows it anywhere.

The native module makes each line (with its bar, for text) and its label
(the count alone, beside a widget's own bar); a sink only puts it where it
belongs. A
sink is made (and a notebook's output displayed) on the thread that called
``to_pandas``, so the output belongs to the cell that ran it; it is then
updated from the thread that fetches the pages.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Protocol


class Sink(Protocol):
    #: Whether it shows each page (True) or only the end (False).
    live: bool

    def show(self, line: str, label: str, count: int, total: int | None, last: bool) -> None: ...


def _module(name: str) -> Any:
    # Imported when an export starts, and only in a notebook: neither package
    # is a dependency.
    return importlib.import_module(name)


def _display(bundle: dict[str, Any]) -> Any:
    """Shows a raw output under the cell; its handle updates it in place."""
    return _module("IPython.display").display(bundle, raw=True, display_id=True)


def _in_notebook() -> bool:
    # A Jupyter kernel replaces stderr with its own stream.
    return type(sys.stderr).__module__.startswith("ipykernel")


def _on_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def sink(progress: bool | None, first_label: str) -> Sink | None:
    """Where the progress goes, or None where it is not shown; a notebook's
    output is displayed at once, with `first_label`."""
    notebook = _in_notebook()
    if progress is False or (progress is None and not (notebook or _on_terminal())):
        return None
    if notebook:
        try:
            widgets = _module("ipywidgets")
        except ImportError:
            return _NotebookText(first_label)
        return _Widget(widgets, first_label)
    return _Stream(live=_on_terminal())


class _Stream:
    """A line on stderr: redrawn with a carriage return where it is live."""

    def __init__(self, live: bool) -> None:
        self.live = live

    def show(self, line: str, label: str, count: int, total: int | None, last: bool) -> None:
        text = f"\r{line}" if self.live else line
        sys.stderr.write(text + "\n" if last else text)


class _NotebookText:
    """A plain-text output under the cell, replaced as the export goes on (not
    stderr, which a notebook shows as a red box and cannot redraw)."""

    live = True

    def __init__(self, first_label: str) -> None:
        self._handle = _display({"text/plain": first_label})

    def show(self, line: str, label: str, count: int, total: int | None, last: bool) -> None:
        self._handle.update({"text/plain": line}, raw=True)


class _Widget:
    """A progress bar widget and its label. Its output also holds the label as
    plain text, which is what a notebook shows where widgets do not render (a
    saved notebook on a code host)."""

    live = True

    def __init__(self, widgets: Any, first_label: str) -> None:
        self._bar = widgets.IntProgress(value=0, min=0, max=1)
        self._label = widgets.Label(value=first_label)
        self._box = widgets.HBox([self._bar, self._label])
        self._handle = _display(self._bundle(first_label))

    def _bundle(self, label: str) -> dict[str, Any]:
        bundle: dict[str, Any] = dict(self._box._repr_mimebundle_())
        bundle["text/plain"] = label
        return bundle

    def show(self, line: str, label: str, count: int, total: int | None, last: bool) -> None:
        self._bar.max = max(total if total is not None else count, 1)
        self._bar.value = min(count, self._bar.max)
        self._label.value = label
        if last:
            self._bar.bar_style = "success"
            self._handle.update(self._bundle(label), raw=True)
