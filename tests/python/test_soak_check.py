"""The soak's judge (soak/soak.py `check`) on made-up ledgers: each kind of
flaw it exists to find is found, and a clean ledger passes."""

import importlib.util
from pathlib import Path
from typing import Any

SOAK = Path(__file__).resolve().parents[2] / "soak" / "soak.py"
spec = importlib.util.spec_from_file_location("soak", SOAK)
assert spec and spec.loader
soak = importlib.util.module_from_spec(spec)
spec.loader.exec_module(soak)

A, B = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"


def state(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"customers": {soak.CUSTOMER: {"tenants": list(rows)}}}


def entry(n: int, op: str, status: str, **more: Any) -> dict[str, Any]:
    return {"n": n, "op": op, "status": status, "s": 0.01, **more}


def test_a_clean_ledger_passes():
    ledger = [
        entry(0, "create", "done", markers=["m0"], ids=[A]),
        entry(1, "update", "done", updates=[[A, "v1"]]),
        entry(2, "update", "unknown", updates=[[A, "v2"]]),
        entry(3, "create", "failed", markers=["m3"]),
        # Created, then deleted with an unknown outcome (it was applied).
        entry(4, "create", "done", markers=["m4"], ids=[B]),
        entry(5, "delete", "unknown", id=B),
        # An iterate of several pages has a budget per page.
        entry(6, "iterate", "done", pages=3, s=soak.BUDGET_S * 2),
    ]
    counts = soak.check(state({"id": A, "first_name": "m0", "last_name": "v2"}), {"py": ledger})
    assert not any(counts.values()), counts


def test_each_flaw_is_counted():
    ledger = [
        entry(0, "create", "done", markers=["lost"], ids=[B]),
        entry(1, "create", "unknown", markers=["twice"]),
        entry(2, "create", "failed", markers=["applied"]),
        entry(3, "create", "done", markers=["m3"], ids=[A]),
        entry(4, "update", "done", updates=[[A, "v4"]]),
        entry(5, "get", "unknown", error="KeyError", untyped=True, s=60.0),
        entry(6, "get", "failed", text=f"oops {soak.SECRET}"),
    ]
    rows = [
        {"id": "x1", "first_name": "twice"},
        {"id": "x2", "first_name": "twice"},
        {"id": "x3", "first_name": "applied"},
        {"id": A, "first_name": "m3", "last_name": "v0"},
    ]
    counts = soak.check(state(*rows), {"py": ledger})
    assert counts == {
        "lost": 2,  # the create, and the update that left v0
        "duplicates": 1,
        "misreported": 1,
        "untyped": 1,
        "hangs": 1,
        "leaks": 1,
    }
