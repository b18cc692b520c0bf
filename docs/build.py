"""Renders the hand-written guides to HTML beside the three API references,
writes the index page that says what each is for, renders the project files
the guides name (SECURITY.md, the sandbox's README, the example notebook), and
puts one header on every page of the site, the references' included, leading
back to the index. `make docs` runs it after rustdoc, pdoc and typedoc have
written `rust/`, `python/` and `node/` under the same folder.

    python docs/build.py target/site
"""

from __future__ import annotations

import html
import os
import pathlib
import re
import shutil
import sys

import markdown

ROOT = pathlib.Path(__file__).resolve().parent.parent

GUIDES = [
    ("credentials", "Credentials and environments", "the seven credentials, environments, secrets"),
    ("lists", "Pagination, filters and ordering", "pages, filters, sort keys, exports"),
    ("errors", "Errors and retries", "what each error says, what is retried, timeouts"),
    ("sandbox", "The sandbox", "the local API the quickstarts and tests run against"),
    (
        "testing",
        "Testing code that uses pigello",
        "pytest fixtures, a sandbox for node:test, vitest and jest, environments for apps under test",
    ),
    ("notebooks", "Notebooks and pandas", "DataFrames, Arrow, progress, Dask"),
    (
        "telemetry",
        "Traces and metrics",
        "the requests in your OpenTelemetry: spans, trace context, metrics",
    ),
]

REFERENCES = [
    (
        "python/pigello.html",
        "Python: the pigello package",
        (
            "Client and AsyncClient, the resources, the models, the errors; pigello.testing (the "
            "sandbox and the pytest fixtures), pigello.types (typing), pigello.dask"
        ),
    ),
    (
        "node/index.html",
        "Node: the pigello package (TypeScript)",
        "Client, the resources, the models and their inputs, the errors, Sandbox",
    ),
    (
        "rust/pigello/index.html",
        "Rust: the pigello crate",
        "the typed models, the validation of every rule, the HTTP client",
    ),
    (
        "rust/pigello_sandbox/index.html",
        "Rust: the pigello-sandbox crate",
        "the local API, in process or as a binary, with faults on demand",
    ),
]

# Files of the repository the guides name, put on the site so a link to each
# works there: (path in the repository, path on the site, title).
PROJECT_FILES = [
    ("SECURITY.md", "project/security.html", "Security"),
    ("sandbox/README.md", "project/sandbox-readme.html", "The sandbox's assumptions"),
    ("examples/explore_tenants.ipynb", "project/explore_tenants.ipynb", None),
    ("examples/python/telemetry.py", "project/telemetry.py", None),
    ("examples/python/trace_picture.py", "project/trace_picture.py", None),
    ("examples/node/telemetry.mjs", "project/telemetry.mjs", None),
]

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
pre { background: #f4f4f4; padding: 0.75rem; overflow-x: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
dt { font-weight: 600; margin-top: 0.5rem; } dd { margin-left: 1rem; }
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{style}</style></head>
<body>
{body}
</body></html>
"""

# The header every page gets: a small box in the bottom corner, where no
# reference keeps a control of its own, and a `div` (pdoc styles every `nav`
# as its sidebar).
HEADER = (
    '<div id="pigello-site" style="position:fixed;bottom:0;right:0;z-index:1000;'
    "font:13px/1.6 system-ui,sans-serif;background:#fff;border:1px solid #ccc;"
    'border-bottom:0;border-right:0;padding:2px 10px;border-top-left-radius:6px">'
    '<a href="{home}index.html">pigello docs</a> · '
    '<a href="{home}python/pigello.html">Python</a> · '
    '<a href="{home}node/index.html">Node</a> · '
    '<a href="{home}rust/index.html">Rust</a></div>'
)


def site_links(text: str, page: str) -> str:
    """Markdown links written for the repository (`lists.md`,
    `../../SECURITY.md`) as links of the site, from the page at `page`."""
    up = "../" * page.count("/")

    def to_site(match: re.Match[str]) -> str:
        label, href = match.group(1), match.group(2)
        name = href.split("#")[0]
        anchor = href[len(name) :]
        guide = pathlib.PurePosixPath(name).stem
        if name.endswith(".md") and "/" not in name and any(g[0] == guide for g in GUIDES):
            return f"[{label}]({guide}.html{anchor})"
        resolved = os.path.normpath(os.path.join("docs/guides", name)).replace(os.sep, "/")
        for source, on_site, _ in PROJECT_FILES:
            if resolved == source:
                return f"[{label}]({up}{on_site}{anchor})"
        return match.group(0)

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", to_site, text)


def render(text: str) -> str:
    # Rust blocks the doc tests skip are marked `rust,ignore`; here they are Rust.
    text = re.sub(r"^```rust,[a-z_,]+$", "```rust", text, flags=re.MULTILINE)
    return markdown.markdown(text, extensions=["tables", "fenced_code"])


def see_also(current: str) -> str:
    guides = " · ".join(
        f'<a href="{name}.html">{html.escape(title)}</a>'
        for name, title, _ in GUIDES
        if name != current
    )
    references = " · ".join(
        f'<a href="../{href}">{html.escape(title.split(":")[0])}</a>'
        for href, title, _ in REFERENCES[:3]
    )
    return f"<hr><p>Other guides: {guides}</p><p>API references: {references}</p>"


def write_guides(site: pathlib.Path) -> None:
    source = pathlib.Path(__file__).parent / "guides"
    (site / "guides").mkdir(parents=True, exist_ok=True)
    for name, title, _ in GUIDES:
        text = site_links((source / f"{name}.md").read_text(encoding="utf-8"), f"guides/{name}")
        body = render(text) + see_also(name)
        page = PAGE.format(title=html.escape(title), style=STYLE, body=body)
        (site / "guides" / f"{name}.html").write_text(page, encoding="utf-8")


def write_project_files(site: pathlib.Path) -> None:
    for source, on_site, title in PROJECT_FILES:
        where = site / on_site
        where.parent.mkdir(parents=True, exist_ok=True)
        if title is None:
            shutil.copyfile(ROOT / source, where)
            continue
        text = (ROOT / source).read_text(encoding="utf-8")
        body = (
            render(text) + f"<hr><p>From <code>{html.escape(source)}</code> in the repository.</p>"
        )
        where.write_text(PAGE.format(title=html.escape(title), style=STYLE, body=body), "utf-8")


def write_index(site: pathlib.Path) -> None:
    def entries(items: list[tuple[str, str, str]], prefix: str = "") -> str:
        return "".join(
            f'<dt><a href="{prefix}{href}">{html.escape(title)}</a></dt><dd>{html.escape(what)}</dd>'
            for href, title, what in items
        )

    guides = [(f"{name}.html", title, what) for name, title, what in GUIDES]
    body = (
        "<h1>pigello</h1>"
        "<p>The SDK for the Accounts application of the Pigello Core API: one Rust core holds the "
        "models, every documented rule and the HTTP client; the Python and Node packages are thin "
        "layers over it. Bad input is refused before anything is sent.</p>"
        "<h2>Start here</h2><p>The guides explain one topic each, in all three languages; the "
        "quickstarts of the README run against the in-process sandbox, with no credentials.</p>"
        f"<h2>Guides</h2><dl>{entries(guides, 'guides/')}</dl>"
        "<h2>API references</h2><p>Every class, method and field, generated from the code.</p>"
        f"<dl>{entries(REFERENCES)}</dl>"
        "<h2>The project</h2><dl>"
        '<dt><a href="project/security.html">Security</a></dt><dd>what the SDK keeps out of '
        "messages and logs, what it promises under faults, how to report a vulnerability</dd>"
        '<dt><a href="project/sandbox-readme.html">The sandbox\'s assumptions</a></dt><dd>where '
        "the reference is silent, what the sandbox does, and why</dd>"
        '<dt><a href="project/explore_tenants.ipynb">The example notebook</a></dt><dd>tenants '
        "explored against the sandbox (download, then open in Jupyter)</dd></dl>"
    )
    index = PAGE.format(title="pigello documentation", style=STYLE, body=body)
    (site / "index.html").write_text(index, encoding="utf-8")


def tidy_rustdoc(site: pathlib.Path) -> None:
    """What rustdoc leaves unlinked when it documents two crates without their
    dependencies: a `rust/index.html` listing the crates (its help page links
    one), empty implementor scripts where no implementor exists (a page asks
    for each), and links inside documentation inherited from a dependency
    (`tracing`'s `dispatcher#...` on every type, through a blanket trait),
    which lead nowhere without that dependency's pages: they become text, as
    rustdoc itself writes a link it cannot resolve."""
    rust = site / "rust"
    crates = "".join(
        f'<li><a href="{href.removeprefix("rust/")}">{html.escape(title)}</a>: {html.escape(what)}</li>'
        for href, title, what in REFERENCES
        if href.startswith("rust/")
    )
    body = f"<h1>The Rust crates</h1><ul>{crates}</ul>"
    page = PAGE.format(title="pigello: the Rust crates", style=STYLE, body=body)
    (rust / "index.html").write_text(page, encoding="utf-8")
    script = re.compile(r'<script src="([^"]+\.js)"')
    anchor = re.compile(r'<a href="([^"#:/][^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
    for page_path in rust.rglob("*.html"):
        text = page_path.read_text(encoding="utf-8")
        for src in script.findall(text):
            where = (page_path.parent / src).resolve()
            if not where.exists() and ("trait.impl" in src or "type.impl" in src):
                where.parent.mkdir(parents=True, exist_ok=True)
                where.write_text("// No implementors outside the crate.\n", encoding="utf-8")

        def unlink(match: re.Match[str], page_path: pathlib.Path = page_path) -> str:
            href = match.group(1).split("#")[0]
            if not href or (page_path.parent / href).exists():
                return match.group(0)
            return match.group(2)

        tidied = anchor.sub(unlink, text)
        if tidied != text:
            page_path.write_text(tidied, encoding="utf-8")


def add_header(site: pathlib.Path) -> None:
    """The site's header on every page, after its `<body>` tag."""
    body = re.compile(r"<body[^>]*>", re.IGNORECASE)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if 'id="pigello-site"' in text:
            continue
        home = "../" * (len(page.relative_to(site).parts) - 1)
        header = HEADER.format(home=home)
        text, found = body.subn(lambda m, header=header: m.group(0) + header, text, count=1)
        if found:
            page.write_text(text, encoding="utf-8")


def main() -> None:
    site = pathlib.Path(sys.argv[1])
    for reference, _, _ in REFERENCES:
        if not (site / reference).is_file():
            raise SystemExit(f"missing {site / reference}: build the references first")
    write_guides(site)
    write_project_files(site)
    write_index(site)
    tidy_rustdoc(site)
    add_header(site)
    print(f"documentation in {site}/index.html")


if __name__ == "__main__":
    main()
