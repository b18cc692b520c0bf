"""Renders the hand-written guides to HTML beside the three API references and
writes the index page that links them. `make docs` runs it after rustdoc, pdoc
and typedoc have written `rust/`, `python/` and `node/` under the same folder.

    python docs/build.py target/site
"""

from __future__ import annotations

import html
import pathlib
import sys

import markdown

GUIDES = [
    ("credentials", "Credentials and environments"),
    ("lists", "Pagination, filters and ordering"),
    ("errors", "Errors and retries"),
    ("sandbox", "The sandbox"),
    ("notebooks", "Notebooks and pandas"),
]

REFERENCES = [
    ("rust/pigello/index.html", "Rust: the pigello crate"),
    ("rust/pigello_sandbox/index.html", "Rust: the pigello-sandbox crate"),
    ("python/pigello.html", "Python: the pigello package"),
    ("node/index.html", "Node: the pigello package (TypeScript)"),
]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; }}
code, pre {{ font-family: ui-monospace, monospace; font-size: 0.9em; }}
pre {{ background: #f4f4f4; padding: 0.75rem; overflow-x: auto; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 0.25rem 0.5rem; }}
</style></head>
<body><p><a href="{home}">pigello documentation</a></p>
{body}
</body></html>
"""


def main() -> None:
    site = pathlib.Path(sys.argv[1])
    source = pathlib.Path(__file__).parent / "guides"
    for reference, _ in REFERENCES:
        if not (site / reference).is_file():
            raise SystemExit(f"missing {site / reference}: build the references first")
    (site / "guides").mkdir(parents=True, exist_ok=True)
    for name, title in GUIDES:
        text = (source / f"{name}.md").read_text(encoding="utf-8")
        body = markdown.markdown(text, extensions=["tables", "fenced_code"])
        page = PAGE.format(title=html.escape(title), home="../index.html", body=body)
        (site / "guides" / f"{name}.html").write_text(page, encoding="utf-8")
    items = "".join(f'<li><a href="{href}">{html.escape(t)}</a></li>' for href, t in REFERENCES)
    guides = "".join(
        f'<li><a href="guides/{name}.html">{html.escape(title)}</a></li>' for name, title in GUIDES
    )
    body = (
        "<h1>pigello</h1><p>The SDK for the Pigello Core API (Accounts): a Rust core with Python "
        "and Node packages over it.</p>"
        f"<h2>Guides</h2><ul>{guides}</ul><h2>API references</h2><ul>{items}</ul>"
    )
    index = PAGE.format(title="pigello documentation", home="index.html", body=body)
    (site / "index.html").write_text(index, encoding="utf-8")
    print(f"documentation in {site}/index.html")


if __name__ == "__main__":
    main()
