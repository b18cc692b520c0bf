"""The conformance table (tests/conformance/cases.json) through the Python
package: the same inputs and outcomes the Rust and Node suites check."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pigello
import pytest
from names import RESOURCES

if TYPE_CHECKING:
    from recorded import Recorded

TABLE = json.loads(
    (Path(__file__).parent.parent / "conformance" / "cases.json").read_text(encoding="utf-8")
)
CASES = [c for c in TABLE["cases"] if "python" in c.get("languages", ["python"])]
CREDENTIALS = {
    "customer_id": "00000000-0000-4000-8000-000000000001",
    "application_id": "a",
    "service_id": "s",
    "service_version_id": "v",
    "client_ct": "c",
    "client_object_id": "o",
    "client_secret": "x",
}
RECIPES = {"Tenant": {"first_name": "Konformans"}, "Workengagement": {"name": "Konformans"}}


def test_the_table_is_large_enough():
    assert len(CASES) >= 60


def resource_of(client: pigello.Client, name: str) -> Any:
    by_api_name = {getattr(client, attr).name: getattr(client, attr) for attr in RESOURCES}
    return by_api_name[name]


def resolve(client: pigello.Client, value: Any) -> Any:
    """Each `$new:Resource` string becomes the id of an object made for it, and
    each `{"$repeat": [text, n]}` the text repeated, each `{"$nest": [n, value]}`
    the value inside n lists, and each `{"$date": day}` that day."""
    if isinstance(value, dict) and "$nest" in value:
        depth, nested = value["$nest"]
        for _ in range(depth):
            nested = [nested]
        return nested
    if isinstance(value, dict) and "$date" in value:
        return datetime.date.fromisoformat(value["$date"])
    if isinstance(value, dict) and "$repeat" in value:
        text, n = value["$repeat"]
        return text * n
    if isinstance(value, str) and value.startswith("$new:"):
        kind = value[len("$new:") :]
        return str(resource_of(client, kind).create(**RECIPES[kind]).id)
    if isinstance(value, list):
        return [resolve(client, v) for v in value]
    if isinstance(value, dict):
        return {k: resolve(client, v) for k, v in value.items()}
    return value


REQUEST_OPTIONS = ("timeout", "max_retries", "extra_headers", "extra_query", "extra_body")


class Outcome(NamedTuple):
    """What a call gave: its rows, for a list whether a next page follows, and
    for a get its answer's headers (read through with_raw_response)."""

    rows: list[Any]
    has_next: bool | None = None
    headers: Mapping[str, str] = {}


def run(sandbox: Any, call: dict[str, Any], recorded: Recorded | None = None) -> Outcome:
    if call["op"] == "client":
        given = {**CREDENTIALS, **call["credentials"]}
        pigello.Client(**given, base_url=call.get("base_url", sandbox.url))
        return Outcome([])
    client = sandbox.client()
    call = resolve(client, call)
    sandbox.clear_requests()
    if recorded is not None:
        recorded.spans.clear()
    for rule in call.get("faults", []):
        sandbox.inject_fault(**rule)
    resource = resource_of(client, call["resource"])
    op = call["op"]
    options = {name: call[name] for name in REQUEST_OPTIONS if name in call}
    if op == "get":
        answer = resource.with_raw_response.get(call["id"], **options)
        return Outcome([answer.parse()], headers=answer.headers)
    if op == "delete":
        resource.delete(call["id"], **options)
        return Outcome([])
    if op == "create":
        return Outcome([resource.create(**call["body"], **options)])
    if op == "update":
        return Outcome([resource.update(call["id"], **call["body"], **options)])
    if op == "bulk_write":
        return Outcome(list(resource.bulk_write(call["items"], **options)))
    if op == "invite":
        return Outcome([resource.invite(call["body"], **options)])
    if op == "list":
        page = resource.list(
            page=call.get("page"),
            page_size=call.get("page_size"),
            order_by=call.get("order_by"),
            search=call.get("search"),
            statistics=call.get("statistics"),
            **options,
            **call.get("filters", {}),
        )
        return Outcome(list(page), page.has_next_page())
    raise AssertionError(f"no op {op}")


def check_sent(expect: dict[str, Any], received: list[dict[str, Any]]) -> None:
    """What the sandbox received for the call, against the case's `sent`."""
    sent = expect.get("sent")
    if sent is None:
        return
    if sent is False:
        assert received == [], received
        return
    assert received, "nothing was sent"
    last = received[-1]
    pairs = last["query"].split("&")
    for pair in sent.get("query_has", []):
        assert pair in pairs, last["query"]
    for name in sent.get("query_lacks", []):
        assert not any(p.startswith(f"{name}=") for p in pairs), last["query"]
    for key in sent.get("body_keys_have", []):
        assert key in last["body_keys"], last["body_keys"]
    for key in sent.get("body_keys_lack", []):
        assert key not in last["body_keys"], last["body_keys"]
    for header, value in sent.get("headers", {}).items():
        assert last["headers"].get(header) == value, last["headers"]


def message_expected(expect: dict[str, Any]) -> str | None:
    text = expect.get("message_contains")
    return text.get("python") if isinstance(text, dict) else text


def check_rows(expect: dict[str, Any], outcome: Outcome) -> None:
    rows, has_next, headers = outcome
    assert expect.get("ok"), f"expected {expect}, got {len(rows)} rows"
    if "count" in expect:
        assert len(rows) == expect["count"]
    if "min_count" in expect:
        assert len(rows) >= expect["min_count"]
    for key, value in expect.get("row", {}).items():
        assert rows[0].to_dict()[key] == value
    for key in expect.get("rows_have", []):
        assert all(getattr(row, key) is not None for row in rows)
    if "has_next" in expect:
        assert has_next is expect["has_next"]
    for name, value in expect.get("response_headers", {}).items():
        assert headers.get(name) == value, dict(headers)
    if "ascending" in expect:
        values = [getattr(row, expect["ascending"]) for row in rows]
        assert values == sorted(values)


def check_error(expect: dict[str, Any], error: Exception) -> None:
    wanted = expect.get("error")
    wanted = wanted.get("python") if isinstance(wanted, dict) else wanted
    assert type(error).__name__ == wanted, f"{expect}: {error!r}"
    if "code" in expect:
        assert isinstance(error, pigello.PigelloError) and error.code == expect["code"], str(error)
    # What a traceback shows: the message and its notes (where Python names
    # the argument whose value had the wrong type).
    shown = "\n".join([str(error), *getattr(error, "__notes__", [])])
    text = message_expected(expect)
    if text is not None:
        assert text in shown
    if "message_not_contains" in expect:
        assert expect["message_not_contains"] not in shown
    issues = list(getattr(error, "errors", []))
    if "issues" in expect:
        assert [(i.path, i.rule) for i in issues] == [
            (i["path"], i["rule"]) for i in expect["issues"]
        ], str(error)
    for want in expect.get("issues", []) + expect.get("issues_include", []):
        hit = next(i for i in issues if (i.path, i.rule) == (want["path"], want["rule"]))
        assert isinstance(hit, pigello.ValidationIssue)
        if "message_contains" in want:
            assert want["message_contains"] in hit.message
        if "message_not_contains" in want:
            assert want["message_not_contains"] not in hit.message


def check_spans(expect: dict[str, Any], recorded: Recorded, url: str) -> None:
    """The CLIENT spans of the call's attempts against the case's `spans`: in
    order, each with its name, its status and exactly the attributes listed
    (`$any`: any value; `$port`: the sandbox's port)."""
    from opentelemetry.trace import StatusCode

    port = int(url.rstrip("/").rsplit(":", 1)[1])
    spans = sorted(recorded.finished(), key=lambda span: span.start_time or 0)
    assert [span.name for span in spans] == [want["name"] for want in expect["spans"]]
    for span, want in zip(spans, expect["spans"]):
        error = span.status.status_code is StatusCode.ERROR
        assert ("error" if error else "unset") == want["status"], span.name
        got = dict(span.attributes or {})
        assert sorted(got) == sorted(want["attributes"]), span.name
        for key, value in want["attributes"].items():
            if value == "$port":
                assert got[key] == port
            elif value != "$any":
                assert got[key] == value, key


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(sandbox, case):
    expect = case["expect"]
    if "spans" in expect:
        # The packages' subset run where only pigello is installed
        # (tests/dist) has no OpenTelemetry SDK to record with.
        pytest.importorskip("opentelemetry.sdk")
        from recorded import recording

        with recording() as recorded:
            check_outcome(sandbox, case, recorded)
            check_spans(expect, recorded, sandbox.url)
    else:
        check_outcome(sandbox, case)


def check_outcome(sandbox: Any, case: dict[str, Any], recorded: Recorded | None = None) -> None:
    expect = case["expect"]
    try:
        outcome = run(sandbox, case["call"], recorded)
    except (pigello.PigelloError, TypeError, ValueError) as error:
        sandbox.clear_faults()
        check_sent(expect, sandbox.requests())
        check_error(expect, error)
    else:
        sandbox.clear_faults()
        check_sent(expect, sandbox.requests())
        check_rows(expect, outcome)
