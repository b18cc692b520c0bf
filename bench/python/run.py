"""`make bench`: the SDK beside the strongest things a user would pick instead,
as ratios, in one run against one release sandbox.

    python bench/python/run.py --url BASE_URL [--tenants N] [--gets N] [--runs N]
        [--only sandbox,python,node,rust] [--write bench/RESULTS.md]
    python bench/python/run.py --url BASE_URL --profile target/profiles

Each table row is a pair, pigello and a peer, run alternately (A B, B A, A B,
...) so that whatever the machine does meanwhile falls on both sides alike.
Each run of a side is a process of its own (bench/python/case.py,
bench/node/case.js, the `gets` bin of bench/src) which times its work itself,
so interpreter start-up and imports are not counted, and which reports its
own peak resident memory (VmHWM) when it ends, so it is that side's
alone. Every run's rows are checked against the sandbox (count, ids in order,
and for gets two of the fields read): a wrong answer fails the run loudly.

The ratio is the peer's median time over pigello's: above 1, pigello is faster.
The sandbox (`pigello-sandbox --tenants N`, started by the Makefile, which
stops it however the run ends) must hold exactly N tenants for the first
seeded customer.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# The cases' own request details (the driver reads the expected rows the same way).
from case import HEADERS, LIST, PAGE_SIZE

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "target" / "bench"
PYTHON_PEERS = (
    "httpx",
    "pydantic",
    "aiohttp",
    "msgspec",
    "pyreqwest",
    "wreq",
    "pandas",
    "polars",
    "duckdb",
    "pyarrow",
    "opentelemetry-sdk",
)
NODE_PEERS = ("undici", "zod", "@opentelemetry/sdk-trace-base")
RUST_CRATES = ("reqwest", "serde_json", "tokio", "opentelemetry_sdk", "tracing-opentelemetry")
WHERE_THE_TIME_GOES = "## Where the time goes"


class Failure(Exception):
    """A side that crashed or answered wrong: the run stops, non-zero."""


@dataclass(frozen=True)
class Side:
    label: str
    argv: tuple[str, ...]  # the command; the base URL and the ids file follow


def py(case: str, label: str) -> Side:
    return Side(label, (sys.executable, "bench/python/case.py", case))


def node(case: str, label: str) -> Side:
    return Side(label, ("node", "bench/node/case.js", case))


def rust(side: str, label: str) -> Side:
    return Side(label, ("target/release/gets", side))


@dataclass(frozen=True)
class Group:
    language: str  # what --only selects
    title: str
    kind: str  # "gets": the ids file's ids got one by one; "list": every tenant
    pairs: tuple[tuple[Side, Side], ...]


def groups(tenants: int, gets: int) -> list[Group]:
    py_get = py("pigello-get", "pigello Client: tenants.get")
    py_async = py("pigello-get-64", "pigello AsyncClient: tenants.get")
    to_pandas = py("pigello-pandas", "pigello tenants.to_pandas")
    reqwest_floor = rust("reqwest", "Rust reqwest + serde_json struct (floor)")
    node_get = node("pigello-get", "pigello tenants.get")
    iterate = node("pigello-iterate", "pigello tenants.iterate")
    fetch_list = node("fetch-list", "fetch + JSON.parse")
    # Telemetry's cost: the same gets in an application that set up
    # OpenTelemetry (spans exported to nowhere), against the plain gets.
    telemetry = f"the same {gets:,} gets without and with OpenTelemetry (ratio above 1: its cost)"
    return [
        Group(
            "python",
            f"Python: {gets:,} sequential gets by id, 3 fields read",
            "gets",
            (
                (py_get, py("httpx-pydantic-get", "httpx.Client + pydantic TypeAdapter")),
                (py_get, py("aiohttp-msgspec-get", "aiohttp + msgspec (asyncio)")),
                (py_get, py("pyreqwest-msgspec-get", "pyreqwest SyncClient + msgspec")),
                (py_get, py("wreq-msgspec-get", "wreq blocking Client + msgspec")),
                (py_get, reqwest_floor),
            ),
        ),
        Group(
            "python",
            f"Python: the same {gets:,} gets, 64 in flight",
            "gets",
            (
                (py_async, py("aiohttp-msgspec-get-64", "aiohttp + msgspec")),
                (py_async, py("httpx-pydantic-get-64", "httpx.AsyncClient + pydantic")),
            ),
        ),
        Group(
            "python",
            f"Python: {tenants:,} tenants as a frame, pages of {PAGE_SIZE}",
            "list",
            (
                (to_pandas, py("httpx-pydantic-pandas", "httpx + pydantic -> pandas")),
                (to_pandas, py("wreq-msgspec-pandas", "wreq + msgspec -> pandas")),
                (to_pandas, py("wreq-polars-pandas", "wreq bytes -> polars.read_json -> pandas")),
                (to_pandas, py("wreq-duckdb-pandas", "wreq bytes -> duckdb read_json -> pandas")),
                (
                    py("pigello-polars", "pigello tenants.to_polars"),
                    py("wreq-polars", "wreq bytes -> polars.read_json"),
                ),
                (
                    py("pigello-arrow", "pyarrow.table(pigello tenants.to_arrow())"),
                    py("wreq-duckdb-arrow", "wreq bytes -> duckdb read_json -> Arrow"),
                ),
            ),
        ),
        Group(
            "python",
            f"Python: {telemetry}",
            "gets",
            (
                (py_get, py("pigello-get-otel-api", "OpenTelemetry's API imported, no provider")),
                (py_get, py("pigello-get-otel", "a tracer and a meter provider set")),
            ),
        ),
        Group(
            "node",
            f"Node: {tenants:,} tenants listed, pages of {PAGE_SIZE}",
            "list",
            (
                (iterate, fetch_list),
                (iterate, node("undici-list", "undici.request + JSON.parse")),
                (iterate, node("zod-list", "fetch + zod 4 parse")),
                (node("pigello-pages", "pigello list + nextPage"), fetch_list),
            ),
        ),
        Group(
            "node",
            f"Node: {gets:,} sequential gets by id",
            "gets",
            (
                (node_get, node("fetch-get", "fetch + JSON.parse")),
                (node_get, node("undici-get", "undici.request + JSON.parse")),
                (node_get, node("zod-get", "fetch + zod 4 parse")),
            ),
        ),
        Group(
            "node",
            f"Node: {telemetry}",
            "gets",
            (
                (
                    node_get,
                    node("pigello-otel-get", "tracer and meter providers, context, propagator"),
                ),
            ),
        ),
        Group(
            "rust",
            f"Rust: {gets:,} sequential gets by id",
            "gets",
            ((rust("pigello", "pigello tenants().get (typed)"), reqwest_floor),),
        ),
        Group(
            "rust",
            f"Rust: {telemetry}",
            "gets",
            (
                (
                    rust("pigello", "pigello tenants().get (typed)"),
                    rust("pigello-otel", "tracing-opentelemetry layer, W3C propagator"),
                ),
            ),
        ),
    ]


# -- What the sandbox holds, to check every side against. ---------------------------


def every_tenant(url: str) -> list[dict]:
    rows: list[dict] = []
    for page in range(1, 1 << 30):
        query = f"?_order_by=id&_page={page}&_page_size={PAGE_SIZE}"
        request = urllib.request.Request(f"{url}{LIST}{query}", headers=HEADERS)
        with urllib.request.urlopen(request) as answer:
            batch = json.load(answer)
        rows.extend(batch)
        if len(batch) < PAGE_SIZE:
            return rows


def expected(url: str, tenants: int, gets: int) -> tuple[Path, dict[str, list[str]]]:
    """Writes the ids to get (spread over every tenant) and returns each kind's rows."""
    rows = every_tenant(url)
    if len(rows) != tenants:
        raise Failure(f"the sandbox at {url} holds {len(rows)} tenants, not {tenants}")
    picked = [
        rows[i * tenants // gets] if gets <= tenants else rows[i % tenants] for i in range(gets)
    ]
    WORK.mkdir(parents=True, exist_ok=True)
    ids_file = WORK / "ids.txt"
    ids_file.write_text("".join(f"{t['id']}\n" for t in picked))
    got = [f"{t['id']}\t{t['first_name'] or ''}\t{t['last_name'] or ''}" for t in picked]
    return ids_file, {"list": [t["id"] for t in rows], "gets": got}


# -- Running and checking one side. -------------------------------------------------


@dataclass
class Runs:
    seconds: list[float]
    peak_kib: int = 0


def measure(side: Side, url: str, ids_file: Path, want: list[str], runs: Runs) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    child = subprocess.Popen(
        [*side.argv, url, str(ids_file)], cwd=ROOT, stdout=subprocess.PIPE, env=env
    )
    assert child.stdout is not None
    out = child.stdout.read()
    child.stdout.close()
    _, status, _ = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise Failure(f"{side.label}: exit status {child.returncode} ({' '.join(side.argv)})")
    first, _, rest = out.decode("utf-8").partition("\n")
    got = rest.splitlines()
    if got != want:
        wrong = next(
            (i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want))
        )
        shown = got[wrong] if wrong < len(got) else "nothing"
        raise Failure(
            f"{side.label}: {len(got)} rows, {len(want)} expected; "
            f"row {wrong} is {shown!r}, expected {want[wrong] if wrong < len(want) else 'nothing'!r}"
        )
    reported = json.loads(first)
    runs.seconds.append(reported["seconds"])
    # The side's own figure: wait4's ru_maxrss also counts this driver's
    # memory at the fork, the expected rows included.
    runs.peak_kib = max(runs.peak_kib, reported["peak_kib"])


def run_pair(
    pair: tuple[Side, Side], url: str, ids_file: Path, want: list[str], n: int
) -> list[Runs]:
    result = [Runs([]), Runs([])]
    for run in range(n):
        # A B, then B A: neither side always runs on a machine the other just warmed.
        for i in (0, 1) if run % 2 == 0 else (1, 0):
            measure(pair[i], url, ids_file, want, result[i])
    return result


# -- The machine, the versions and the report. ---------------------------------------


def output(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not found"


def machine() -> list[str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    kib = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE)
    return [
        f"CPU: {model.group(1) if model else platform.processor()}, {os.cpu_count()} cores",
        f"RAM: {int(kib.group(1)) / 1024**2:.1f} GiB" if kib else "RAM: unknown",
        f"OS: {platform.system()} {platform.release()}",
    ]


def package(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def node_package(name: str) -> str:
    manifest = ROOT / "target" / "bench-node" / "node_modules" / name / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.exists() else "not installed"


def crate(name: str) -> str:
    lock = (ROOT / "Cargo.lock").read_text()
    found = re.search(rf'^name = "{name}"\nversion = "([^"]+)"', lock, re.MULTILINE)
    return found.group(1) if found else "unknown"


def versions(only: set[str]) -> list[str]:
    """The versions of what the selected pairs run (pigello's own included)."""
    lines = []
    if "python" in only:
        peers = ", ".join(f"{p} {package(p)}" for p in PYTHON_PEERS)
        lines.append(
            f"Python {platform.python_version()}: pigello {package('pigello')} "
            f"(release wheel), {peers}"
        )
    if "node" in only:
        pigello = json.loads((ROOT / "package.json").read_text())["version"]
        peers = ", ".join(f"{p} {node_package(p)}" for p in NODE_PEERS)
        lines.append(
            f"Node {output('node', '--version')}: pigello {pigello} (release addon), {peers}"
        )
    crates = ", ".join(f"{c} {crate(c)}" for c in RUST_CRATES)
    lines.append(f"{output('rustc', '--version')}: {crates} (release builds)")
    return lines


def ms(seconds: list[float]) -> str:
    return (
        f"{statistics.median(seconds) * 1000:,.1f} "
        f"({min(seconds) * 1000:,.1f}-{max(seconds) * 1000:,.1f})"
    )


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f}"


HEAD = (
    "pigello",
    "peer",
    "pigello ms median (min-max)",
    "peer ms median (min-max)",
    "ratio",
    "pigello peak MiB",
    "peer peak MiB",
)


def cells(pair: tuple[Side, Side], result: list[Runs]) -> tuple[str, ...]:
    ours, peer = result
    ratio = statistics.median(peer.seconds) / statistics.median(ours.seconds)
    return (
        pair[0].label,
        pair[1].label,
        ms(ours.seconds),
        ms(peer.seconds),
        f"{ratio:.2f}",
        mib(ours.peak_kib),
        mib(peer.peak_kib),
    )


def text_table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in [HEAD, *rows]) for i in range(len(HEAD))]
    return "\n".join(
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in [HEAD, *rows]
    )


def markdown_table(rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * 2 + "---:|" * (len(HEAD) - 2)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def kept_paragraph(results: Path) -> str:
    """The profile's reading, written by hand: a rerun keeps it."""
    if results.exists():
        text = results.read_text()
        if WHERE_THE_TIME_GOES in text:
            body = text.split(WHERE_THE_TIME_GOES, 1)[1]
            return body.split("\n## ", 1)[0].strip()
    return (
        "_To be filled from a profile: `make bench-profile` writes a py-spy flame graph of "
        "the pigello Python get loop and a Node CPU profile of the pigello list "
        "(`tenants.iterate`) to target/profiles/. This paragraph survives a rerun of "
        "`make bench`._"
    )


def write_results(
    path: Path, args: argparse.Namespace, header: list[str], sections: list[tuple[str, str]]
) -> None:
    settings = (
        f"`make bench BENCH_TENANTS={args.tenants} BENCH_GETS={args.gets} BENCH_RUNS={args.runs}`"
    )
    parts = [
        "# Benchmarks",
        "",
        f"Written by {settings} on {time.strftime('%Y-%m-%d')}; edit only the last section.",
        (
            "Each row is a pair run alternately (A B, B A, ...), "
            f"{args.runs} runs each, every run a process of its own against one release sandbox "
            f"of {args.tenants:,} tenants on loopback. "
            "Times are of the work alone (start-up, imports and one warm-up get excluded); "
            "peak MiB is the largest resident set of that side's processes. "
            "**ratio = peer median / pigello median: above 1, pigello is faster.** "
            "Every run's rows were checked (count, ids in order, the names read)."
        ),
        "",
        *(f"- {line}" for line in header),
        "",
    ]
    for title, body in sections:
        parts += [f"## {title}", "", body, ""]
    parts += [WHERE_THE_TIME_GOES, "", kept_paragraph(path), ""]
    path.write_text("\n".join(parts))


# -- The two Rust bins that report their own tables. ---------------------------------


def rust_report(argv: list[str]) -> str:
    print(f"$ {' '.join(argv)}", file=sys.stderr, flush=True)
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise Failure(f"{argv[0]}: exit status {done.returncode}")
    return done.stdout.rstrip()


def profile(url: str, ids_file: Path, into: Path) -> None:
    """A py-spy flame graph of the pigello Python get loop and a Node CPU profile
    of the pigello list, for the paragraph on where the time goes."""
    into.mkdir(parents=True, exist_ok=True)
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    case = [sys.executable, "bench/python/case.py", "pigello-get", url, str(ids_file)]
    svg = into / "python-get.svg"
    subprocess.run(
        [py_spy, "record", "--native", "--rate", "500", "-o", str(svg), "--", *case],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    subprocess.run(
        [
            "node",
            "--cpu-prof",
            f"--cpu-prof-dir={into}",
            "--cpu-prof-name=node-iterate.cpuprofile",
            "bench/node/case.js",
            "pigello-iterate",
            url,
            str(ids_file),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    print(f"profiles: {svg} (a flame graph), {into / 'node-iterate.cpuprofile'} (Chrome DevTools)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the release sandbox's base URL")
    parser.add_argument("--tenants", type=int, default=100_000, help="tenants the sandbox holds")
    parser.add_argument("--gets", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="sandbox,python,node,rust")
    parser.add_argument("--match", default="", help="only the groups whose title holds this")
    parser.add_argument("--write", type=Path, help="the RESULTS.md to rewrite")
    parser.add_argument("--profile", type=Path, help="profile pigello into this directory instead")
    args = parser.parse_args()
    only = set(args.only.split(","))

    ids_file, want = expected(args.url, args.tenants, args.gets)
    if args.profile:
        return profile(args.url, ids_file, args.profile)
    header = machine() + versions(only)
    print("\n".join(header) + "\n", flush=True)
    sections: list[tuple[str, str]] = []
    if "sandbox" in only and not args.match:
        # First, what the sandbox itself serves: its in-process sandbox beside bare
        # axum, then the Rust export's memory against the shared sandbox.
        for title, argv in (
            ("The sandbox's throughput", ["target/release/sandbox_throughput"]),
            (
                "Rust export memory",
                ["target/release/export_memory", str(args.tenants), args.url],
            ),
        ):
            report = rust_report(argv)
            print(f"{title}\n{report}\n", flush=True)
            sections.append((title, f"```\n{report}\n```"))
    for group in groups(args.tenants, args.gets):
        if group.language not in only or args.match not in group.title:
            continue
        rows = []
        for pair in group.pairs:
            print(f"  {pair[0].label} vs {pair[1].label} ...", file=sys.stderr, flush=True)
            result = run_pair(pair, args.url, ids_file, want[group.kind], args.runs)
            rows.append(cells(pair, result))
        print(f"{group.title}\n{text_table(rows)}\n", flush=True)
        sections.append((group.title, markdown_table(rows)))
    if args.write:
        write_results(args.write, args, header, sections)
        print(f"wrote {args.write}")


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        sys.exit(f"bench FAILED: {failure}")
