"""Cassettes from Python: recorded against the sandbox, replayed without it.

`tests/cassettes/tenants.jsonl` is what `record_tenants` records against a
seeded sandbox, anonymized with a fixed key; the Rust and Node suites replay
the same file with the same calls. Run this file as a script to record it
again.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pigello
import pytest
from pigello.testing import Sandbox

SHARED = Path(__file__).resolve().parents[1] / "cassettes" / "tenants.jsonl"
# The key the shared cassette's fakes are derived with: fixed, so that
# recording it again gives the same bytes.
SHARED_KEY = "the-shared-cassette"
NOWHERE = "http://127.0.0.1:9"  # nothing listens: only a cassette can answer
CREDENTIALS = {
    "customer_id": "c",
    "application_id": "a",
    "service_id": "s",
    "service_version_id": "v",
    "client_ct": "ct",
    "client_object_id": "o",
    "client_secret": "never-recorded",
}


def record_tenants(client: pigello.Client) -> list[Any]:
    """The calls the shared cassette holds: two pages (the first answered 503
    once, then retried) and one tenant."""
    first = client.tenants.list(page=1, page_size=5, order_by="last_name")
    second = client.tenants.list(page=2, page_size=5, order_by="last_name")
    one = client.tenants.get(first[0].id)
    return [[t.id for t in first], [t.id for t in second], one.id]


def recorded_in(path: Path, sandbox: Sandbox) -> list[Any]:
    sandbox.inject_fault("status", status=503, count=1, path="*/tenant/list/")
    with sandbox.client(cassette=path, record_mode="all", anonymize=True) as client:
        return record_tenants(client)


def personal_values(sandbox: Sandbox) -> list[str]:
    """Every personal value of the sandbox's seeded tenants."""
    state = sandbox.export_state()
    tenants = [row for customer in state["customers"].values() for row in customer["tenants"]]
    fields = ("ssn", "orgnr", "email", "invoice_email", "phone_number")
    return [row[f] for row in tenants for f in fields if isinstance(row.get(f), str) and row[f]]


def bodies(path: Path) -> list[Any]:
    lines = [json.loads(line) for line in path.read_text().splitlines()[1:]]
    return [line["response"].get("body") for line in lines if line["response"]["status"] == 200]


def test_the_shared_cassette_is_what_python_records_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIGELLO_ANONYMIZE_KEY", SHARED_KEY)
    with Sandbox(seed=1, tenants=12) as sandbox:
        recorded_in(tmp_path / "tenants.jsonl", sandbox)
        personal = personal_values(sandbox)
    assert (tmp_path / "tenants.jsonl").read_bytes() == SHARED.read_bytes(), (
        "the shared cassette is stale: record it again with `python tests/python/test_cassettes.py`"
    )
    text = SHARED.read_text()
    assert len(personal) > 12
    assert not [value for value in personal if value in text]
    assert text.startswith('{"pigello_cassette":1,"anonymized":true}\n')


def test_every_committed_cassette_holds_no_secret_nor_seeded_personal_value() -> None:
    with Sandbox(seed=1, tenants=50) as sandbox:
        secret = sandbox.env()["PIGELLO_CLIENT_SECRET"]
        personal = personal_values(sandbox)
    for cassette in SHARED.parent.rglob("*.jsonl"):
        text = cassette.read_text()
        assert secret not in text and "never-recorded" not in text, cassette
        assert not [value for value in personal if value in text], cassette


def test_anonymize_replaces_each_personal_value_with_a_consistent_fake(tmp_path: Path) -> None:
    path = tmp_path / "anonymized.jsonl"
    with Sandbox(seed=3, tenants=40) as sandbox:
        personal = personal_values(sandbox)
        with sandbox.client(cassette=path, anonymize=True) as client:
            real = {t.id: t for t in client.tenants.iterate(page_size=15)}
    text = path.read_text()
    assert not [value for value in personal if value in text]
    with pigello.Client(base_url=NOWHERE, cassette=path, **CREDENTIALS) as client:
        replayed = {t.id: t for t in client.tenants.iterate(page_size=15)}
    assert replayed.keys() == real.keys()
    people = [i for i, t in real.items() if t.ssn is not None]
    assert people
    for i in people:
        assert replayed[i].ssn != real[i].ssn and len(str(replayed[i].ssn)) == len(str(real[i].ssn))
        assert (
            replayed[i].first_name == real[i].first_name
        )  # names are not numbers, e-mails or phones


def test_the_shared_cassette_replays_without_a_network() -> None:
    with pigello.Client(
        base_url=NOWHERE, cassette=SHARED, record_mode="none", max_retries=2, **CREDENTIALS
    ) as client:
        first, second, one = record_tenants(client)
    first_page, second_page, tenant = bodies(SHARED)
    assert [str(i) for i in first] == [row["id"] for row in first_page]
    assert [str(i) for i in second] == [row["id"] for row in second_page]
    assert str(one) == tenant["id"] == first_page[0]["id"]


def test_the_async_client_replays_it_too() -> None:
    async def first_page() -> list[str]:
        client = pigello.AsyncClient(
            base_url=NOWHERE, cassette=SHARED, record_mode="none", max_retries=2, **CREDENTIALS
        )
        page = await client.tenants.list(page_size=5, order_by="last_name", page=1)
        return [str(t.id) for t in page]

    assert asyncio.run(first_page()) == [row["id"] for row in bodies(SHARED)[0]]


def test_an_unmatched_request_sends_nothing(tmp_path: Path) -> None:
    with Sandbox(seed=1, tenants=12) as sandbox:
        client = sandbox.client(cassette=SHARED, record_mode="none")
        with pytest.raises(pigello.CassetteError) as raised:
            client.tenants.list(page=3, page_size=5, order_by="last_name", ssn="19811218-9876")
        assert sandbox.requests() == []
    error = raised.value
    assert (error.code, error.method, error.path, error.file) == (
        "cassette_unmatched",
        "GET",
        "/accounts/users/customer/tenant/list/",
        str(SHARED),
    )
    assert error.closest.startswith("GET /accounts/users/customer/tenant/list/?")
    assert "19811218" not in str(error)


def test_from_env_records_where_the_environment_says(tmp_path: Path) -> None:
    """An application under test is recorded with no change to its code."""
    cassette = tmp_path / "app.jsonl"
    code = "import pigello; print(len(pigello.Client.from_env().tenants.list(page_size=3)))"
    with Sandbox(tenants=5) as sandbox:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PIGELLO_")}
        env = {**clean, **sandbox.env(), "PIGELLO_CASSETTE": str(cassette)}
        run = subprocess.run(
            [sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        assert len(sandbox.requests()) == 1
    # The sandbox is gone; the same program replays (`once`: the file exists).
    replayed = subprocess.run(
        [sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True
    )
    assert replayed.returncode == 0, replayed.stderr
    assert replayed.stdout == run.stdout == "3\n"


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("", 1, "the file is empty"),
        ('{"pigello_cassette":7}\n', 1, "format 7 is newer than this version of pigello reads"),
        ('{"pigello_cassette":1}\n{"request": [}\n', 2, "not a recorded request and answer"),
        ('{"pigello_cassette":1}\n{"request":{"meth', 2, "the file is truncated"),
    ],
)
def test_a_cassette_that_cannot_be_read_names_its_file_and_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    with pytest.raises(pigello.CassetteError) as raised:
        pigello.Client(base_url=NOWHERE, cassette=path, **CREDENTIALS)
    assert (raised.value.code, raised.value.file, raised.value.line) == (
        "cassette_invalid",
        str(path),
        line,
    )
    assert f"cassette {path}, line {line}: " in str(raised.value)
    assert says in str(raised.value)


def test_unknown_modes_and_options_name_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(pigello.PigelloError, match="must be one of once, new_episodes, none, all"):
        pigello.Client(
            base_url=NOWHERE, cassette=tmp_path / "c.jsonl", record_mode="new", **CREDENTIALS
        )
    with pytest.raises(TypeError, match="did you mean record_mode"):
        pigello.Client(
            base_url=NOWHERE, cassette=tmp_path / "c.jsonl", recordmode="none", **CREDENTIALS
        )
    with pytest.raises(TypeError, match="record_mode is given without cassette"):
        pigello.Client(base_url=NOWHERE, record_mode="none", **CREDENTIALS)
    with pytest.raises(pigello.CassetteError, match="the file does not exist"):
        pigello.Client(
            base_url=NOWHERE, cassette=tmp_path / "c.jsonl", record_mode="none", **CREDENTIALS
        )


if __name__ == "__main__":
    os.environ["PIGELLO_ANONYMIZE_KEY"] = SHARED_KEY
    with Sandbox(seed=1, tenants=12) as sandbox:
        recorded_in(SHARED, sandbox)
    print(f"recorded {SHARED}")


def test_a_process_killed_while_recording_leaves_a_whole_cassette(tmp_path: Path) -> None:
    """Each write replaces the file whole, so a crash at any moment leaves a
    cassette that reads: the calls recorded before it, and no half line."""
    path = tmp_path / "killed.jsonl"
    code = (
        "import sys, pigello\n"
        "client = pigello.Client.from_env()\n"
        "for n in range(1, 100000):\n"
        "    client.tenants.list(page=n % 5 + 1, page_size=10, search=str(n))\n"
        "    if n == 20: print('recording', flush=True)\n"
    )
    with Sandbox(tenants=50) as sandbox:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PIGELLO_")}
        env = {
            **clean,
            **sandbox.env(),
            "PIGELLO_CASSETTE": str(path),
            "PIGELLO_RECORD_MODE": "all",
        }
        child = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "recording\n"
        child.kill()
        child.wait()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) > 20
    assert lines[0] == {"pigello_cassette": 1}
    first = lines[1]
    assert first["request"]["query"] == "_page=2&_page_size=10&_search=1"
    with pigello.Client(
        base_url=NOWHERE, cassette=path, record_mode="none", **CREDENTIALS
    ) as client:
        page = client.tenants.list(page=2, page_size=10, search="1")
    assert [str(t.id) for t in page] == [row["id"] for row in first["response"]["body"]]
