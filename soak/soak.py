"""The soak: N mixed operations from the Rust client, the Python package and
the Node package at once, against one sandbox with faults of every kind on a
set share of requests. Each language keeps a ledger of what its client
reported; once the faults are cleared, every ledger is compared with the
sandbox's exported state.

    python soak/soak.py [--ops N] [--fault-rate 0.2] [--seed 1]

It prints ``soak: N ops, F faults, lost=0, duplicates=0, misreported=0,
untyped=0, hangs=0, leaks=0`` and exits 1 on any count but the first two.

- lost: reported done, not in the state;
- duplicate: one logical create stored twice;
- misreported: reported not applied (a refusal, or an error without
  ``outcome unknown``) but applied;
- untyped: an error that is not one of the package's own classes;
- hang: a call that outlived its time budget (below) by 2 s;
- leak: the client secret or a personal number in an error's text or repr.

A call's time budget is its timeout on each attempt plus the waits between
attempts the retry policy allows (at most 1 s, then 2 s, with jitter, or the
server's Retry-After).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pigello
from pigello.testing import Sandbox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECRET = "S0AK-secret-never-shown"
CUSTOMER = "00000000-0000-4000-8000-000000000001"
TIMEOUT_S = 1.0
MAX_RETRIES = 2
# The longest a call may take: each attempt's timeout, the waits between
# attempts (up to 1 s and 2 s with jitter; a Retry-After of 1 s is within).
BUDGET_S = TIMEOUT_S * (MAX_RETRIES + 1) + 3.0
HANG_MARGIN_S = 2.0

# Personal numbers the Python worker stores (valid checksums); none may ever
# appear in an error.
PERSONAL_NUMBERS = ["19811218-9876", "19900101-0017", "19850505-1238"]


def faults(rate: float, seed: int) -> list[dict[str, Any]]:
    """Rules whose chances add up to `rate`, one of each kind."""
    share = {
        "status_503": 0.3,
        "status_429": 0.15,
        "status_429_retry_after": 0.05,
        "latency": 0.1,
        "drop": 0.2,
        "drop_after_write": 0.2,
    }
    rules = []
    for i, (name, part) in enumerate(share.items()):
        p = rate * part
        rule: dict[str, Any] = {"probability": p, "seed": seed * 100 + i}
        if name == "status_503":
            rule.update(kind="status", status=503)
        elif name == "status_429":
            rule.update(kind="status", status=429)
        elif name == "status_429_retry_after":
            rule.update(kind="status", status=429, retry_after=1)
        elif name == "latency":
            rule.update(kind="latency", ms=int(TIMEOUT_S * 1000) + 500)
        else:
            rule.update(kind=name)
        rules.append(rule)
    return rules


# The Python worker ------------------------------------------------------


def recent(prefix: str, n: int) -> str:
    """A marker prefix an iterate filters on: the creates of the last hundred
    or so operations (`soak-python-42` matches 42, 420-429 and 4200-4299), so
    the pages it walks stay few however long the soak runs."""
    return f"{prefix}{n // 100}"


def python_worker(url: str, ops: int, seed: int, ledger_path: Path) -> None:
    client = pigello.Client(
        customer_id=CUSTOMER,
        application_id="a",
        service_id="s",
        service_version_id="v",
        client_ct="c",
        client_object_id="o",
        client_secret=SECRET,
        base_url=url,
        timeout=TIMEOUT_S,
        max_retries=MAX_RETRIES,
    )
    tenants = client.tenants
    rng = random.Random(seed)
    own: list[str] = []
    prefix = "soak-python-"
    with ledger_path.open("w") as ledger:
        for n in range(ops):
            entry: dict[str, Any] = {"n": n}
            roll = rng.random()
            started = time.monotonic()
            try:
                if roll < 0.2 or not own:
                    marker = f"{prefix}{n}"
                    body: dict[str, Any] = {"first_name": marker, "last_name": "v0"}
                    if n % 4 == 0:
                        body["ssn"] = PERSONAL_NUMBERS[n % len(PERSONAL_NUMBERS)]
                    entry.update(op="create", markers=[marker])
                    made = tenants.create(**body)
                    own.append(str(made.id))
                    entry["ids"] = [str(made.id)]
                elif roll < 0.4:
                    target = rng.choice(own)
                    entry.update(op="update", updates=[[target, f"v{n}"]])
                    tenants.update(target, last_name=f"v{n}")
                elif roll < 0.5 and len(own) > 1:
                    target = own.pop(rng.randrange(len(own)))
                    entry.update(op="delete", id=target)
                    tenants.delete(target)
                elif roll < 0.7:
                    entry.update(op="get")
                    tenants.get(rng.choice(own))
                elif roll < 0.8:
                    entry.update(op="list")
                    tenants.list(first_name__startswith=prefix, page_size=20)
                elif roll < 0.85:
                    entry.update(op="iterate")
                    rows = tenants.iterate(first_name__startswith=recent(prefix, n), page_size=50)
                    entry["pages"] = len(list(rows)) // 50 + 1
                elif roll < 0.95:
                    markers = [f"{prefix}{n}-a", f"{prefix}{n}-b"]
                    target = rng.choice(own)
                    entry.update(op="bulk", markers=markers, updates=[[target, f"v{n}"]])
                    written = tenants.bulk_write(
                        [
                            {"first_name": markers[0], "last_name": "v0"},
                            {"first_name": markers[1], "last_name": "v0"},
                            {"id": target, "last_name": f"v{n}"},
                        ]
                    )
                    own.extend(str(row.id) for row in written[:2])
                    entry["ids"] = [str(row.id) for row in written[:2]]
                else:
                    entry.update(op="invite")
                    tenants.invite(email=f"soak{n}@example.se")
                entry["status"] = "done"
            except pigello.PigelloError as e:
                entry.update(
                    status="unknown" if e.outcome_unknown else "failed",
                    error=type(e).__name__,
                    text=f"{e}\n{e!r}",
                )
            except Exception as e:  # noqa: BLE001 (counted as untyped)
                entry.update(status="unknown", error=type(e).__name__, untyped=True, text=repr(e))
            entry["s"] = time.monotonic() - started
            ledger.write(json.dumps(entry) + "\n")


# Running every worker ---------------------------------------------------


def run(ops: int, rate: float, seed: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ledgers = {lang: Path(tmp) / f"{lang}.jsonl" for lang in ("rust", "python", "node")}
        state, fired, failed = run_workers(ops, rate, seed, ledgers)
        if failed:
            print(f"soak: the {', '.join(failed)} worker failed", file=sys.stderr)
            return 1
        counts = check(state, {lang: read(path) for lang, path in ledgers.items()})
    summary = ", ".join(f"{k}={v}" for k, v in counts.items())
    print(f"soak: {3 * ops} ops, {fired} faults, {summary}")
    return 0 if not any(counts.values()) else 1


def run_workers(
    ops: int, rate: float, seed: int, ledgers: dict[str, Path]
) -> tuple[dict[str, Any], int, list[str]]:
    """Runs the three workers at once against one sandbox under faults; the
    state once faults are cleared, how many faults fired, the workers that
    failed to run."""
    with Sandbox(seed=seed, tenants=20, require_secret=SECRET) as sb:
        for rule in faults(rate, seed):
            kind = rule.pop("kind")
            sb.inject_fault(kind, **rule)
        common = [sb.url, str(ops), str(seed), SECRET]
        rust = os.environ.get("SOAK_RUST_WORKER", str(ROOT / "target/debug/soak-worker"))
        workers = {
            "rust": [rust, *common, str(ledgers["rust"])],
            "node": ["node", str(HERE / "worker.js"), *common, str(ledgers["node"])],
        }
        processes = {lang: subprocess.Popen(command, cwd=ROOT) for lang, command in workers.items()}
        python = threading.Thread(
            target=python_worker, args=(sb.url, ops, seed + 1, ledgers["python"])
        )
        python.start()
        python.join()
        failed = [lang for lang, p in processes.items() if p.wait() != 0]
        fired = sum(sb.fault_hits())
        sb.clear_faults()
        return sb.export_state(), fired, failed


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# Comparing the ledgers with the state -------------------------------------


def check(state: dict[str, Any], ledgers: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    rows = state["customers"][CUSTOMER]["tenants"]
    by_marker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        by_marker[row.get("first_name") or ""].append(row)
    counts = {"lost": 0, "duplicates": 0, "misreported": 0, "untyped": 0, "hangs": 0, "leaks": 0}

    def problem(kind: str, lang: str, entry: dict[str, Any], why: str) -> None:
        counts[kind] += 1
        print(f"{kind}: {lang} #{entry['n']} {entry['op']}: {why}", file=sys.stderr)

    for lang, ledger in ledgers.items():
        deleted_done: set[str] = set()
        deletes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        updates: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for entry in ledger:
            if entry.get("untyped"):
                problem("untyped", lang, entry, entry.get("text", ""))
            # An iterate is one call per page.
            if entry["s"] > BUDGET_S * entry.get("pages", 1) + HANG_MARGIN_S:
                problem("hangs", lang, entry, f"{entry['s']:.1f} s")
            text = entry.get("text", "")
            if SECRET in text or any(p in text for p in PERSONAL_NUMBERS):
                problem("leaks", lang, entry, "a secret or a personal number in an error")
            for target, value in entry.get("updates", []):
                updates[target].append((value, entry))
            if entry["op"] == "delete":
                deletes[entry["id"]].append(entry)
                if entry["status"] == "done":
                    deleted_done.add(entry["id"])
        for entry in ledger:
            for marker in entry.get("markers", []):
                stored = by_marker.get(marker, [])
                if len(stored) > 1:
                    problem("duplicates", lang, entry, f"{marker} stored {len(stored)} times")
                # A later delete of it (done, or of unknown outcome) explains
                # its absence; one reported as not applied is judged below.
                gone = any(row_id in deletes for row_id in entry.get("ids", []))
                if entry["status"] == "done" and not stored and not gone:
                    problem("lost", lang, entry, f"{marker} is not stored")
                if entry["status"] == "failed" and stored:
                    problem("misreported", lang, entry, f"{marker} is stored")
        for target, history in deletes.items():
            present = target in by_id
            for entry in history:
                if entry["status"] == "done" and present:
                    problem("lost", lang, entry, "deleted, but still stored")
                if entry["status"] == "failed" and not present and target not in deleted_done:
                    problem("misreported", lang, entry, "reported not deleted, but gone")
        for target, history in updates.items():
            row = by_id.get(target)
            if row is None:
                continue
            final = row.get("last_name")
            done = [i for i, (_, e) in enumerate(history) if e["status"] == "done"]
            start = done[-1] if done else -1
            allowed = {history[start][0]} if done else {"v0"}
            allowed |= {v for v, e in history[start + 1 :] if e["status"] == "unknown"}
            if final in allowed:
                continue
            refused = {v for v, e in history if e["status"] == "failed"}
            last = history[-1][1]
            if final in refused:
                problem("misreported", lang, last, f"{target} holds {final}, reported not written")
            else:
                problem("lost", lang, last, f"{target} holds {final}, expected one of {allowed}")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=10_000, help="operations per language")
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    return run(args.ops, args.fault_rate, args.seed)


if __name__ == "__main__":
    sys.exit(main())
