"""Hostile input through the package, each case in its own (forked) process so
that a crash or a hang shows: nothing crashes, no Rust panic reaches Python,
every bad input is refused with a typed error that says where, and nothing is
sent for it.

The error classes, as SECURITY.md states them: a value of a type no JSON can
carry is a ``TypeError``; a value of the right type that cannot be sent (NaN,
an integer past 64 bits, a lone surrogate, nesting past 64 levels) is a
``ValueError``; an integer argument out of its C range is an ``OverflowError``;
anything the API's documented rules refuse is a ``pigello.PigelloError``
(``ValidationError`` for a body, a query or an id)."""

import os
import threading
from collections.abc import Callable
from typing import Any

import pigello
import pytest
from forked import forked
from names import client_at
from pigello.testing import Sandbox

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()"),
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

# Past this, a refusal counts as a hang (it is meant to take well under a
# second; the margin is for a loaded machine and the tests' debug build). A
# million items take longer to check, and get longer.
HANG_S = 20
MILLION_ITEMS_S = 180
SECRET = "S3CRET-hostile"
PERSONAL_NUMBER = "19811218-9875"


def nested(depth: int, leaf: Any = "x", mapping: bool = False) -> Any:
    """A value `depth` lists (or dicts) deep, built without recursion."""
    value = leaf
    for _ in range(depth):
        value = {"k": value} if mapping else [value]
    return value


DEEP = {depth: nested(depth) for depth in (10_000, 100_000)}
DEEP_MAPPING = nested(10_000, mapping=True)


def run_alone(work: Callable[[], Any], hang_s: float = HANG_S) -> tuple[str, str]:
    """Runs `work` in a forked child: ("ok", "") or the error's class name and
    text. A child that dies or hangs fails the test."""

    def without_result() -> str:
        work()  # what it returns (a client, ...) need not cross the pipe
        return ""

    kind, text = forked(without_result, hang_s)
    return kind, text


@pytest.fixture(scope="module")
def sandbox() -> Any:
    with Sandbox(seed=1, tenants=5) as sb:
        yield sb


def refused(sandbox: Sandbox, work: Callable[[pigello.Client], Any]) -> tuple[str, str]:
    """Runs `work` with a fresh client in a child; returns the error's class
    name and text, and checks that no request reached the sandbox."""
    sandbox.clear_faults()
    watch = sandbox.inject_fault("latency", ms=0)
    kind, text = run_alone(lambda: work(client_at(sandbox.url)))
    assert sandbox.fault_hits()[watch] == 0, f"{kind}: a request was sent"
    sandbox.clear_faults()
    return kind, text


CASES: dict[str, tuple[Callable[[pigello.Client], Any], set[str], str]] = {
    # name: (call, the error classes allowed, a word the message has)
    "a field nested 10 000 deep": (
        lambda c: c.tenants.create(first_name=DEEP[10_000]),
        {"ValueError"},
        "first_name[0]",
    ),
    "a field nested 100 000 deep": (
        lambda c: c.tenants.create(first_name=DEEP[100_000]),
        {"ValueError"},
        "64 levels",
    ),
    "a mapping nested 10 000 deep in extra_body": (
        lambda c: c.tenants.create(extra_body={"x": DEEP_MAPPING}),
        {"ValueError"},
        "x.k.k",
    ),
    "a filter nested 10 000 deep": (
        lambda c: c.tenants.list(first_name=DEEP[10_000]),
        {"ValueError"},
        "first_name",
    ),
    "an extra_query value nested 100 000 deep": (
        lambda c: c.tenants.list(extra_query={"x": DEEP[100_000]}),
        {"ValueError"},
        "x[0]",
    ),
    "an id nested 10 000 deep": (lambda c: c.tenants.get(DEEP[10_000]), {"TypeError"}, "id"),
    "a bulk item nested 10 000 deep": (
        lambda c: c.tenants.bulk_write([{"first_name": "a"}, DEEP_MAPPING]),
        {"ValueError"},
        "[1].k",
    ),
    "an invite body nested 10 000 deep": (
        lambda c: c.tenants.invite({"x": DEEP[10_000]}),
        {"ValueError"},
        "x[0]",
    ),
    "bytes as a filter": (lambda c: c.tenants.list(first_name=b"abc"), {"TypeError"}, "bytes"),
    "bytes as a field": (lambda c: c.tenants.create(first_name=b"abc"), {"TypeError"}, "bytes"),
    "bytes as the bulk list": (
        lambda c: c.tenants.bulk_write(b"a" * 10_000_000),
        {"TypeError"},
        "not one item",
    ),
    "a string as the bulk list": (
        lambda c: c.tenants.bulk_write("a" * 10_000_000),
        {"TypeError"},
        "not one item",
    ),
    "NaN as a field": (lambda c: c.tenants.create(first_name=float("nan")), {"ValueError"}, "NaN"),
    "infinity as a filter": (
        lambda c: c.tenants.list(first_name=float("inf")),
        {"ValueError"},
        "infinity",
    ),
    "an integer past 2**63": (
        lambda c: c.tenants.create(first_name=2**64),
        {"ValueError"},
        "64 bits",
    ),
    "a lone surrogate in a field": (
        lambda c: c.tenants.create(first_name="a\ud800b"),
        {"ValueError"},
        "lone surrogate",
    ),
    "a lone surrogate in a key": (
        lambda c: c.tenants.create(extra_body={"\udfff": 1}),
        {"ValueError"},
        "lone surrogate",
    ),
    "a lone surrogate in a filter": (
        lambda c: c.tenants.list(first_name__in=["ok", "\ud800"]),
        {"ValueError"},
        "first_name__in[1]",
    ),
    "a lone surrogate in a search": (
        lambda c: c.tenants.list(search="\ud800"),
        {"ValueError"},
        "search",
    ),
    "a lone surrogate in a sort key": (
        lambda c: c.tenants.list(order_by=["first_name", "\ud800"]),
        {"ValueError"},
        "order_by",
    ),
    "a lone surrogate in an id": (
        lambda c: c.tenants.get("\ud800"),
        {"ValueError"},
        "lone surrogate",
    ),
    "a non-string key": (
        lambda c: c.tenants.create(extra_body={1: "x"}),
        {"TypeError"},
        "keys",
    ),
    "a string of 10 MB": (
        lambda c: c.tenants.create(first_name="a" * 10_000_000),
        {"ValidationError"},
        "at most 255",
    ),
    "a list of a million filter values": (
        lambda c: c.tenants.list(first_name__in=["a"] * 1_000_000),
        {"PigelloError"},
        "nothing was sent",
    ),
    "a bulk item whose id is a number": (
        lambda c: c.tenants.bulk_write([{"id": 5, "first_name": "x"}]),
        {"ValidationError"},
        "[0].id",
    ),
    "a bulk item whose id is not a uuid": (
        lambda c: c.tenants.bulk_write([{"id": "not-a-uuid", "first_name": "x"}]),
        {"ValidationError"},
        "[0].id",
    ),
    "a timeout of 1e300": (
        lambda c: client_with(timeout=1e300),
        {"PigelloError"},
        "timeout",
    ),
    "a timeout of NaN": (lambda c: client_with(timeout=float("nan")), {"PigelloError"}, "timeout"),
    "a negative timeout": (lambda c: client_with(timeout=-1.0), {"PigelloError"}, "timeout"),
    "max_retries past 32 bits": (
        lambda c: client_with(max_retries=2**40),
        {"OverflowError"},
        "max_retries",
    ),
    "a negative max_retries": (
        lambda c: client_with(max_retries=-1),
        {"OverflowError"},
        "max_retries",
    ),
    "a page of 0": (lambda c: c.tenants.list(page=0), {"ValidationError"}, "page"),
    "a negative page size": (
        lambda c: c.tenants.list(page_size=-1),
        {"OverflowError"},
        "page_size",
    ),
    "a base URL with a NUL": (
        lambda c: client_with(base_url="http://127.0.0.1\x00:9"),
        {"PigelloError"},
        "base URL",
    ),
    "a base URL with an unclosed bracket": (
        lambda c: client_with(base_url="http://[::1"),
        {"PigelloError"},
        "base URL",
    ),
    "a credential with a NUL": (
        lambda c: client_with(client_secret=SECRET + "\x00"),
        {"PigelloError"},
        "client_secret",
    ),
    "a credential with a lone surrogate": (
        lambda c: client_with(client_secret=SECRET + "\ud800"),
        {"ValueError"},
        "client_secret",
    ),
    "a credential of the wrong type": (
        lambda c: client_with(client_secret=123),
        {"TypeError"},
        "client_secret",
    ),
    "a sandbox of 10**12 tenants": (
        lambda c: Sandbox(tenants=10**12),
        {"OverflowError"},
        "tenants",
    ),
    "an invalid personal number": (
        lambda c: c.tenants.create(first_name="x", ssn=PERSONAL_NUMBER),
        {"ValidationError"},
        "ssn",
    ),
}


def client_with(**settings: Any) -> pigello.Client:
    given: dict[str, Any] = {
        "customer_id": "00000000-0000-4000-8000-000000000001",
        "application_id": "a",
        "service_id": "s",
        "service_version_id": "v",
        "client_ct": "c",
        "client_object_id": "o",
        "client_secret": SECRET,
        **settings,
    }
    return pigello.Client(**given)


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_input_is_refused_before_sending(sandbox, name):
    work, classes, word = CASES[name]
    kind, text = refused(sandbox, work)
    assert kind in classes, f"{kind}: {text}"
    assert word in text, text
    # Neither a secret nor a personal number is ever shown back.
    assert SECRET not in text and PERSONAL_NUMBER not in text, text


def test_a_million_invalid_bulk_items_give_a_short_message_and_every_issue(sandbox):
    def work() -> None:
        client = client_at(sandbox.url)
        with pytest.raises(pigello.ValidationError) as info:
            client.tenants.bulk_write([{"first_name": 1}] * 1_000_000)
        error = info.value
        assert len(error.errors) == 1_000_000
        assert len(str(error)) < 2_000, len(str(error))
        assert str(error).endswith("; and 999990 more")

    kind, text = run_alone(work, MILLION_ITEMS_S)
    assert kind == "ok", text


def test_32_threads_on_one_client(sandbox):
    def work() -> None:
        client = client_at(sandbox.url)
        failures: list[BaseException] = []

        def calls(i: int) -> None:
            try:
                made = client.tenants.create(first_name=f"Tråd {i}")
                assert client.tenants.get(made).first_name == f"Tråd {i}"
                assert len(client.tenants.list(page_size=2)) == 2
                client.tenants.delete(made)
            except BaseException as e:  # noqa: BLE001 (reported below)
                failures.append(e)

        threads = [threading.Thread(target=calls, args=(i,)) for i in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures

    kind, text = run_alone(work)
    assert kind == "ok", text
