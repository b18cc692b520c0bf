"""Checks the built documentation site as a reader meets it.

    python docs/check_site.py target/site [--shots target/site-shots]

1. Links: every internal link of every page (`href` and `src`) leads to a
   file of the site, and every page can be reached from `index.html` by
   following links, so nothing is built that no reader can find.
2. A real browser (Debian's headless Chromium, driven over the DevTools
   protocol): the index, each reference's start page and each guide load
   without a console error, an uncaught exception or a failed request, and
   show text; a screenshot of each is saved.

Exits 1, naming each problem, when any is found.
"""

from __future__ import annotations

import argparse
import base64
import html.parser
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websocket  # websocket-client

# Pages a documentation tool writes for its own scripts (rustdoc's settings,
# help and source pages are reached through its JavaScript, not through links).
TOOL_PAGES = ("rust/settings.html", "rust/help.html", "rust/src/")
REFRESH = re.compile(r'<meta http-equiv="refresh" content="\d+;\s*URL=([^"]+)"', re.IGNORECASE)


class Links(html.parser.HTMLParser):
    """The `href` and `src` of a page's elements."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None or name not in ("href", "src"):
                continue
            (self.anchors if tag == "a" else self.resources).append(value)


def internal(link: str) -> str | None:
    """The path part of a link inside the site, or None for any other."""
    parsed = urllib.parse.urlsplit(link)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return None
    return urllib.parse.unquote(parsed.path)


def target(site: Path, page: Path, link: str) -> Path:
    resolved = (page.parent / link).resolve()
    if resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved


def check_links(site: Path) -> list[str]:
    problems: list[str] = []
    site = site.resolve()
    pages = sorted(site.rglob("*.html"))
    linked: dict[Path, list[Path]] = {}
    redirects: set[Path] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        refresh = REFRESH.search(text)
        if refresh:
            # A page that only sends the reader on (rustdoc writes one at each
            # path an item was re-exported from): its target must exist.
            redirects.add(page)
            if not target(site, page, refresh.group(1)).exists():
                problems.append(f"{page.relative_to(site)}: redirects to a missing page")
            continue
        parser = Links()
        parser.feed(text)
        linked[page] = []
        for link in parser.anchors + parser.resources:
            path = internal(link)
            if path is None:
                continue
            where = target(site, page, path)
            if not where.exists():
                problems.append(f"{page.relative_to(site)}: broken link {link}")
            elif link in parser.anchors and where.suffix == ".html":
                linked[page].append(where)
    reached = {site / "index.html"}
    frontier = [site / "index.html"]
    while frontier:
        for nxt in linked.get(frontier.pop(), []):
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    for page in pages:
        name = page.relative_to(site).as_posix()
        if page not in reached and page not in redirects and not name.startswith(TOOL_PAGES):
            problems.append(f"{name}: no link from index.html leads here")
    return problems


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no Chromium on PATH: `make browser-setup` installs Debian's")


class Browser:
    """One headless Chromium tab, driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        port = free_port()
        self.process = subprocess.Popen(
            [
                chromium(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--allow-file-access-from-files",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={port}",
                "--window-size=1280,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
                    tabs = [t for t in json.load(answer) if t.get("type") == "page"]
                if tabs:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("Chromium did not start")
            time.sleep(0.2)
        self.socket = websocket.create_connection(tabs[0]["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {event} within {seconds} s")
            self.events.append(json.loads(self.socket.recv()))

    def visit(self, url: str) -> tuple[list[str], int, bytes]:
        """The problems the page reports as it loads, the length of its text,
        and a screenshot."""
        self.events = []
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        time.sleep(0.5)  # scripts run after load (search indexes, navigation)
        self.call("Runtime.evaluate", expression="1")  # collects what came meanwhile
        problems = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                problems.append(f"uncaught exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                args = " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params["args"]
                )
                problems.append(f"console error: {args}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                problems.append(f"{entry['source']} error: {entry['text']} {entry.get('url', '')}")
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                problems.append(f"failed to load a resource: {params.get('errorText')}")
        text = self.call(
            "Runtime.evaluate",
            expression="document.body ? document.body.innerText.trim().length : 0",
            returnByValue=True,
        )
        length = int(text["result"].get("value", 0))
        shot = self.call("Page.captureScreenshot", format="png")
        return problems, length, base64.b64decode(shot["data"])

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)


def start_pages(site: Path) -> list[Path]:
    """The pages a reader starts from: the index, each reference's start page
    and each guide (every page the index links to)."""
    parser = Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    pages = [site / "index.html"]
    for link in parser.anchors:
        path = internal(link)
        if path is not None:
            where = target(site, site / "index.html", path)
            if where.suffix == ".html" and where not in pages:
                pages.append(where)
    return pages


def check_in_browser(site: Path, shots: Path) -> list[str]:
    problems: list[str] = []
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            for page in start_pages(site.resolve()):
                name = page.relative_to(site.resolve()).as_posix()
                seen, length, shot = browser.visit(page.as_uri())
                problems += [f"{name}: {p}" for p in seen]
                if length < 40:
                    problems.append(f"{name}: the page shows no text")
                (shots / (name.replace("/", "_").removesuffix(".html") + ".png")).write_bytes(shot)
                print(f"  {name}: {length} characters of text, {len(seen)} problems")
        finally:
            browser.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--shots", type=Path, default=Path("target/site-shots"))
    args = parser.parse_args()
    problems = check_links(args.site)
    print(f"links: {len(problems)} problems in {len(list(args.site.rglob('*.html')))} pages")
    problems += check_in_browser(args.site, args.shots)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if problems:
        raise SystemExit(f"{len(problems)} problems in the documentation site")
    print(f"the site reads well; screenshots in {args.shots}")


if __name__ == "__main__":
    main()
