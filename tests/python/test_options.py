"""Options per call and per client (timeout, max_retries, headers), the same
connections under other settings (with_options), closing, and the raw
response: each checked against what the sandbox received."""

import asyncio
import inspect
import typing

import pigello
import pigello.types
import pyarrow
import pytest
from pigello import _options
from pigello.testing import Sandbox

TENANT_LIST = "/accounts/users/customer/tenant/list/"
PER_CALL = {"timeout", "max_retries", "extra_headers", "extra_body", "extra_query"}


def headers_seen(sandbox: Sandbox) -> list[dict[str, str]]:
    return [r["headers"] for r in sandbox.requests()]


def test_a_call_sends_its_own_headers_after_the_clients_defaults(sandbox: Sandbox) -> None:
    client = sandbox.client(default_headers={"X-App": "report-job", "X-Trace": "client"})
    tenant = client.tenants.list(page_size=1)[0]
    client.tenants.get(tenant.id, extra_headers={"x-trace": "get"})
    client.tenants.update(tenant.id, first_name="Anna", extra_headers={"X-Trace": "update"})
    client.tenants.list(page_size=1)
    seen = [(h["x-app"], h["x-trace"]) for h in headers_seen(sandbox)]
    assert seen == [
        ("report-job", "client"),
        ("report-job", "get"),
        ("report-job", "update"),
        ("report-job", "client"),
    ]
    assert all(h["x-pigello-client-secret"] == "<redacted>" for h in headers_seen(sandbox))


def test_every_method_takes_the_per_call_keywords(sandbox: Sandbox) -> None:
    client = sandbox.client()
    marked = {"timeout": 30.0, "max_retries": 0, "extra_headers": {"X-Call": "yes"}}
    tenant = client.tenants.create(first_name="Ny", **marked)
    client.tenants.get(tenant.id, **marked)
    client.tenants.update(tenant.id, last_name="Berg", **marked)
    client.tenants.list(page_size=1, **marked)
    list(client.tenants.iterate(page_size=50, first_name="Ny", **marked))
    client.tenants.bulk_write([{"id": str(tenant.id), "last_name": "Ek"}], **marked)
    client.tenants.invite({"tenants": [str(tenant.id)]}, **marked)
    client.tenants.to_pandas(first_name="Ny", progress=False, **marked)
    client.tenants.delete(tenant.id, **marked)
    methods = [(r["method"], r["headers"].get("x-call")) for r in sandbox.requests()]
    # Ten: iterate's list() asks for len() first (a count request).
    assert len(methods) == 10
    assert all(mark == "yes" for _, mark in methods), methods


# Each method and constructor that takes options in Python, called with its
# keywords; `sandbox` and `calls` are a sandbox and a resource's native calls.
Call = typing.Callable[[Sandbox, typing.Any, dict[str, typing.Any]], typing.Any]
TAKERS: dict[str, list[Call]] = {
    "get": [lambda s, c, o: c.get(ID, **o)],
    "list": [lambda s, c, o: c.list(**o)],
    "iterate": [lambda s, c, o: c.iterate(**o)],
    "to_pandas": [lambda s, c, o: c.to_pandas(**o)],
    "to_arrow": [lambda s, c, o: c.to_arrow(**o), lambda s, c, o: c.to_arrow_fetched(**o)],
    "iter_batches": [lambda s, c, o: c.iter_batches(**o)],
    "partitions": [lambda s, c, o: c.partitions(2, **o)],
    "create": [lambda s, c, o: c.create(**o)],
    "update": [lambda s, c, o: c.update(ID, **o)],
    "delete": [lambda s, c, o: c.delete(ID, **o)],
    "bulk_write": [lambda s, c, o: c.bulk_write([], **o)],
    "invite": [lambda s, c, o: c.invite(**o)],
    "with_options": [
        lambda s, c, o: s.client().with_options(**o),
        lambda s, c, o: s.async_client().with_options(**o),
        lambda s, c, o: pigello.Client.from_env(**o),
        lambda s, c, o: pigello.AsyncClient.from_env(**o),
        lambda s, c, o: s.client(**o),
        lambda s, c, o: s.async_client(**o),
    ],
    "Client": [lambda s, c, o: pigello.Client(**o), lambda s, c, o: pigello.AsyncClient(**o)],
    "Sandbox": [lambda s, c, o: Sandbox(**o)],
}
ID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"


class Unconvertible:
    """A value no option takes."""


def test_every_method_that_takes_options_is_listed() -> None:
    assert set(TAKERS) == set(_options.TAKES)


@pytest.mark.parametrize("taker", list(_options.TAKES), ids=list(_options.TAKES))
def test_every_method_takes_the_options_the_table_lists_and_no_other(
    sandbox: Sandbox, taker: str
) -> None:
    # The table (in the core) is the one list of options: each method reads
    # every option it lists as that option (a value of the wrong type is a
    # TypeError naming it, not a filter or a field), and nothing is sent.
    calls = sandbox.client().tenants._calls
    sandbox.clear_requests()
    for call in TAKERS[taker]:
        for option in _options.TAKES[taker]:
            with pytest.raises(TypeError, match=f"^{option} must be"):
                call(sandbox, calls, {option: Unconvertible()})
    assert sandbox.requests() == []


# What a user reads each method's options from (`help()`, Jupyter's
# Shift-Tab, the reference), by the table's name of the options it takes.
SHOWN: dict[str, list[typing.Any]] = {
    "get": [pigello.Resource.get, pigello.AsyncResource.get],
    "list": [pigello.Resource.list, pigello.AsyncResource.list],
    "iterate": [pigello.Resource.iterate],
    "to_pandas": [pigello.Resource.to_pandas, pigello.AsyncResource.to_pandas],
    "to_arrow": [pigello.Resource.to_arrow, pigello.AsyncResource.to_polars],
    "iter_batches": [pigello.Resource.iter_batches],
    "partitions": [pigello.Resource.partitions, pigello.AsyncResource.partitions],
    "create": [pigello.Resource.create, pigello.AsyncResource.create],
    "update": [pigello.Resource.update, pigello.AsyncResource.update],
    "delete": [pigello.Resource.delete, pigello.AsyncResource.delete],
    "bulk_write": [pigello.Resource.bulk_write, pigello.AsyncResource.bulk_write],
    "invite": [pigello.Resource.invite, pigello.AsyncResource.invite],
    "with_options": [
        pigello.Client.with_options,
        pigello.Client.from_env,
        pigello.AsyncClient.from_env,
        Sandbox.client,
        Sandbox.async_client,
    ],
    "Client": [pigello.Client, pigello.AsyncClient],
    "Sandbox": [Sandbox],
}


@pytest.mark.parametrize("taker", list(_options.TAKES), ids=list(_options.TAKES))
def test_help_shows_every_option_a_method_takes_by_name(taker: str) -> None:
    assert set(SHOWN) == set(_options.TAKES)
    for method in SHOWN[taker]:
        parameters = inspect.signature(method).parameters
        keywords = [p.name for p in parameters.values() if p.kind is p.KEYWORD_ONLY]
        expected = list(_options.TAKES[taker])
        if taker == "Client":
            expected = [*_options.CREDENTIALS, *expected]
        assert keywords == expected, method
        assert all(parameters[name].default is None for name in keywords)
    assert "**filters" in str(inspect.signature(pigello.Resource.list))
    assert "**fields" in str(inspect.signature(pigello.AsyncResource.create))
    assert "**" not in str(inspect.signature(pigello.Resource.get))


@pytest.mark.parametrize("method", ["to_pandas", "to_arrow", "iter_batches"])
def test_help_shows_a_partitions_options_as_its_stub_types_them(method: str) -> None:
    def keywords(function: typing.Any) -> list[str]:
        parameters = inspect.signature(function).parameters.values()
        return [p.name for p in parameters if p.kind is p.KEYWORD_ONLY]

    native = getattr(pigello._native.Partition, method)
    assert keywords(native) == keywords(getattr(pigello.types.Partition, method))
    assert keywords(native) != []
    assert "client=None" in str(inspect.signature(native))


@pytest.mark.parametrize("taker", ["get", "delete", "bulk_write", "with_options", "Sandbox"])
def test_a_misspelt_option_is_a_type_error_naming_the_one_meant(
    sandbox: Sandbox, taker: str
) -> None:
    calls = sandbox.client().tenants._calls
    option = _options.TAKES[taker][-1]
    misspelt = option[:-2] + option[-1] + option[-2]
    for call in TAKERS[taker]:
        with pytest.raises(TypeError, match=f"unexpected keyword argument.*did you mean {option}"):
            call(sandbox, calls, {misspelt: 1})


def test_a_missing_credential_is_named() -> None:
    with pytest.raises(pigello.PigelloError, match="client_secret"):
        pigello.Client(
            customer_id="c",
            application_id="a",
            service_id="s",
            service_version_id="v",
            client_ct="ct",
            client_object_id="o",
        )


# Every method that walks the pages of a list, called so that it sends.
WALKS = {
    "iterate": lambda r, **o: list(r.iterate(page_size=50, **o)),
    "to_pandas": lambda r, **o: r.to_pandas(progress=False, **o),
    "to_arrow": lambda r, **o: pyarrow.table(r.to_arrow(**o)),
    "to_polars": lambda r, **o: r.to_polars(**o),
    "iter_batches": lambda r, **o: list(r.iter_batches(**o)),
    "partitions": lambda r, **o: r.partitions(2, **o),
}


@pytest.mark.parametrize("walk", WALKS, ids=list(WALKS))
def test_every_walk_sends_extra_query_and_refuses_extra_body_fields(
    sandbox: Sandbox, walk: str
) -> None:
    client = sandbox.client()
    client.tenants.create(first_name="Extraordinär")
    sandbox.clear_requests()
    # A documented filter given as an extra parameter: the sandbox filters by
    # it, so it reached the wire as a query parameter, never as a filter keyword.
    options = {"first_name": "Extraordinär"}
    WALKS[walk](client.tenants, extra_query=options, extra_body={}, extra_headers={"X-W": walk})
    sent = sandbox.requests()
    assert sent and all("first_name=Extraordin%C3%A4r" in r["query"].split("&") for r in sent)
    assert all(r["headers"]["x-w"] == walk for r in sent)
    sandbox.clear_requests()
    with pytest.raises(pigello.PigelloError) as refused:
        WALKS[walk](client.tenants, extra_body={"beta_flag": True})
    assert refused.value.code == "invalid_request"
    assert "extra_body adds fields to a request body" in str(refused.value)
    assert sandbox.requests() == []


def test_reserved_keywords_are_never_read_as_fields_or_filters(sandbox: Sandbox) -> None:
    client = sandbox.client()
    # Each was once taken as a filter or a field (or refused as an unknown keyword).
    page = client.tenants.list(page_size=1, extra_body={})
    created = client.tenants.create(first_name="A", last_name="B", extra_query={"x": "1"})
    client.tenants.get(created.id, extra_query={"x": "1"}, extra_body={})
    client.tenants.delete(created.id, extra_query={"x": "1"})
    assert len(page) == 1
    queries = [r["query"] for r in sandbox.requests()]
    assert queries[1:] == ["x=1", "x=1", "x=1"]
    assert (
        "extra_body" not in queries[0] and "extra_query" not in sandbox.requests()[1]["body_keys"]
    )


def test_the_async_client_takes_the_same_request_options(sandbox: Sandbox) -> None:
    async def main() -> pigello.PigelloError:
        async with sandbox.async_client() as client:
            created = await client.tenants.create(
                first_name="A", extra_query={"x": "1"}, extra_body={"beta": 1}
            )
            await client.tenants.get(created.id, extra_query={"y": "2"})
            with pytest.raises(pigello.PigelloError) as refused:
                await client.tenants.delete(created.id, extra_body={"beta": 1})
            return refused.value

    assert asyncio.run(main()).code == "invalid_request"
    sent = sandbox.requests()
    assert [r["query"] for r in sent] == ["x=1", "y=2"]
    assert "beta" in sent[0]["body_keys"]


def test_a_calls_timeout_and_retries_are_its_own(sandbox: Sandbox) -> None:
    client = sandbox.client(timeout=10)
    sandbox.inject_fault("latency", method="GET", path=TENANT_LIST, ms=400)
    with pytest.raises(pigello.APITimeoutError) as caught:
        client.tenants.list(timeout=0.1, max_retries=1)
    assert "after 2 attempts" in str(caught.value)
    assert client.timeout == 10.0
    assert len(client.tenants.list(page_size=2)) == 2
    assert sandbox.fault_hits() == [3]


def test_the_next_page_is_sent_with_the_same_options(sandbox: Sandbox) -> None:
    client = sandbox.client()
    first = client.tenants.list(page_size=5, extra_headers={"X-Export": "nightly"})
    second = first.next_page()
    assert second is not None and second.page == 2
    assert [h.get("x-export") for h in headers_seen(sandbox)] == ["nightly", "nightly"]


def test_with_options_shares_the_connections_and_keeps_the_rest(sandbox: Sandbox) -> None:
    client = sandbox.client(default_headers={"X-App": "a"}, max_retries=4)
    patient = client.with_options(timeout=120, default_headers={"X-Team": "b"})
    assert (patient.timeout, patient.max_retries) == (120.0, 4)
    assert (client.timeout, client.max_retries) == (60.0, 4)
    patient.tenants.list(page_size=1)
    assert headers_seen(sandbox)[-1]["x-app"] == "a"
    assert headers_seen(sandbox)[-1]["x-team"] == "b"
    assert isinstance(client.to_async().with_options(max_retries=0), pigello.AsyncClient)
    # One pool: closing the derived client closes the one it came from.
    patient.close()
    assert client.is_closed


@pytest.mark.parametrize("name", ["X-Pigello-Client-Secret", "x-pigello-customer-id"])
def test_no_header_can_replace_a_credential(sandbox: Sandbox, name: str) -> None:
    client = sandbox.client()
    with pytest.raises(pigello.PigelloError, match=f"extra_headers cannot set {name.upper()}"):
        client.tenants.list(extra_headers={name: "someone-else"})
    with pytest.raises(pigello.PigelloError, match="default_headers cannot set"):
        sandbox.client(default_headers={name: "hunter2"})
    with pytest.raises(pigello.PigelloError, match="default_headers cannot set"):
        client.with_options(default_headers={name: "hunter2"})
    assert sandbox.requests() == []


def test_bad_options_are_refused_before_sending(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(pigello.PigelloError, match="timeout must be a positive"):
        client.tenants.list(timeout=-1)
    with pytest.raises(TypeError, match="extra_headers must be a mapping"):
        client.tenants.list(extra_headers=[("X-A", "b")])
    with pytest.raises(TypeError, match=r'extra_headers\["X-A"\] must be a str'):
        client.tenants.list(extra_headers={"X-A": 5})
    with pytest.raises(
        pigello.PigelloError, match="holds a character that cannot be sent"
    ) as caught:
        client.tenants.list(extra_headers={"X-A": "line\nbreak"})
    assert "line" not in str(caught.value)
    assert sandbox.requests() == []


def test_a_closed_client_sends_nothing_and_says_so(sandbox: Sandbox) -> None:
    with sandbox.client() as client:
        client.tenants.list(page_size=1)
    assert client.is_closed
    sandbox.clear_requests()
    with pytest.raises(pigello.PigelloError, match="client is closed") as caught:
        client.tenants.list(page_size=1)
    assert caught.value.code == "client_closed"
    with pytest.raises(pigello.PigelloError, match="client is closed"):
        list(client.tenants.iterate())
    assert sandbox.requests() == []
    # A new client works as before.
    assert len(sandbox.client().tenants.list(page_size=1)) == 1


def test_an_async_client_closes_when_awaited_and_on_leaving_async_with(sandbox: Sandbox) -> None:
    async def run() -> None:
        client = sandbox.async_client()
        await client.tenants.list(page_size=1)
        await client.close()
        assert client.is_closed
        async with sandbox.async_client() as other:
            await other.tenants.list(page_size=1)
        assert other.is_closed
        with pytest.raises(pigello.PigelloError, match="client is closed"):
            await other.tenants.get("497f6eca-6276-4993-bfeb-53cbbbba6f08", timeout=5)

    asyncio.run(run())


def test_the_per_call_keywords_name_no_field_and_no_filter() -> None:
    for name in dir(pigello.types):
        value = getattr(pigello.types, name)
        if name.endswith("Filters"):
            assert not PER_CALL & set(typing.get_type_hints(value)), name
        elif hasattr(pigello.types, f"{name}Filters"):
            fields = {n for n in vars(value) if not n.startswith("_")}
            assert fields and not PER_CALL & fields, name


def test_the_raw_response_shows_the_answer_beside_the_value(sandbox: Sandbox) -> None:
    client = sandbox.client(max_retries=2)
    sandbox.inject_fault("status", method="GET", status=503, count=1)
    raw = client.tenants.with_raw_response.list(page_size=2)
    page = raw.parse()
    assert (raw.status_code, raw.retries_taken, len(page)) == (200, 1, 2)
    assert raw.request_id == page.request_id and raw.request_id.startswith("req_")
    assert raw.headers["X-Request-Id"] == raw.request_id
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.elapsed.total_seconds() > 0
    got = client.tenants.with_raw_response.get(page[0].id)
    assert got.parse() == page[0] and got.status_code == 200
    assert got.parse()._request_id == got.request_id
    # Every model a call returns carries the request id of its answer.
    assert page[0]._request_id == page.request_id
    assert client.tenants.create(first_name="Ny")._request_id.startswith("req_")

    async def run() -> int:
        raw = await sandbox.async_client().tenants.with_raw_response.get(page[0].id)
        return raw.status_code

    assert asyncio.run(run()) == 200


def test_a_misspelt_resource_names_the_one_meant(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(AttributeError, match="did you mean tenants"):
        _ = client.tenant
    with pytest.raises(AttributeError, match="did you mean organization_users"):
        _ = client.organizationUsers
    assert not hasattr(client, "shoe_sizes")


def test_an_option_in_nodes_spelling_names_pythons(sandbox: Sandbox) -> None:
    calls = sandbox.client().tenants._calls
    with pytest.raises(TypeError, match="did you mean max_retries"):
        calls.get(ID, maxRetries=1)


def test_missing_credentials_are_named_at_once_with_the_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("PIGELLO_CUSTOMER_ID", "PIGELLO_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name in ("PIGELLO_APPLICATION_ID", "PIGELLO_SERVICE_ID", "PIGELLO_SERVICE_VERSION_ID"):
        monkeypatch.setenv(name, "x")
    for name in ("PIGELLO_CLIENT_CT", "PIGELLO_CLIENT_OBJECT_ID"):
        monkeypatch.setenv(name, "x")
    with pytest.raises(pigello.PigelloError) as raised:
        pigello.Client.from_env()
    message = str(raised.value)
    assert "PIGELLO_CUSTOMER_ID, PIGELLO_CLIENT_SECRET are not set" in message
    assert "sandbox" in message
