"""Each exception, its attributes, and what never appears in a message or repr."""

import asyncio
import pickle

import pigello
import pytest
from names import client_at
from pigello.testing import Sandbox

SECRET = "S3CRET-py-never-printed"


def test_validation_error_before_sending(sandbox, client):
    tenant = client.tenants.list(page_size=1)[0]
    sandbox.inject_fault("latency", ms=0)
    with pytest.raises(pigello.ValidationError) as info:
        client.protected_identities.create(tenant=tenant, sub_tenant=tenant.id, ssn="19811218-9875")
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, pigello.PigelloError)
    rules = {(e.path, e.rule) for e in error.errors}
    assert {("ssn", "luhn"), ("tenant", "cannot_be_set_with")} <= rules
    item = next(e for e in error.errors if e.path == "ssn")
    assert str(item) == f"ssn: {item.message}"
    with pytest.raises(pigello.ValidationError) as info:
        client.tenants.bulk_write([{"first_name": "ok"}, {"ssn": "123"}])
    assert ("[1].ssn", "min_length") in {(e.path, e.rule) for e in info.value.errors}
    assert sandbox.fault_hits() == [0]


@pytest.mark.parametrize(
    "status,cls",
    [
        (403, pigello.PermissionDeniedError),
        (409, pigello.ConflictError),
        (429, pigello.RateLimitError),
        (500, pigello.InternalServerError),
        (503, pigello.InternalServerError),
    ],
)
def test_api_errors_by_status(sandbox, status, cls):
    client = sandbox.client(max_retries=0)
    sandbox.inject_fault("status", status=status, retry_after=7, count=1)
    with pytest.raises(cls) as info:
        client.tenants.list()
    error = info.value
    assert isinstance(error, pigello.APIError)
    assert error.status == status
    assert error.request_id.startswith("req_")
    assert error.retry_after == 7.0
    assert '"status"' in error.body


def test_bad_request_not_found_and_conflict_from_the_server(client):
    tenant = client.tenants.create(first_name="Unik")
    client.protected_identities.create(tenant=tenant)
    with pytest.raises(pigello.BadRequestError) as info:
        client.protected_identities.create(tenant=tenant)
    assert info.value.errors == [
        pigello.ValidationIssue(
            "tenant", "unique", "another Protectedidentity already has this tenant"
        )
    ]
    assert info.value.code == "invalid"  # the server's own code
    with pytest.raises(pigello.NotFoundError):
        client.tenants.get("00000000-0000-4000-8000-0000000000ff")
    with pytest.raises(pigello.ConflictError):
        client.tenants.delete(tenant)


def test_authentication_error_and_no_secret_anywhere():
    with Sandbox(tenants=2, require_secret=SECRET) as sb:
        good = sb.client()
        bad = client_at(sb.url, client_secret="wrong-" + SECRET)
        with pytest.raises(pigello.AuthenticationError) as info:
            bad.tenants.list()
        texts = [
            repr(good),
            repr(bad),
            str(info.value),
            repr(info.value),
            info.value.body,
            repr(sb),
        ]
        with pytest.raises(pigello.ValidationError) as invalid:
            good.tenants.create(invoice_email="nope")
        texts += [str(invalid.value), repr(invalid.value.errors)]
        for text in texts:
            assert SECRET not in text, text


def test_a_lost_create_is_not_retried_and_says_so(sandbox, client):
    sandbox.inject_fault("drop_after_write", method="POST", path="*/tenant/", count=1)
    with pytest.raises(pigello.APIConnectionError) as info:
        client.tenants.create(first_name="Dubbel")
    assert info.value.outcome_unknown
    assert "outcome unknown" in str(info.value)
    assert len(client.tenants.list(first_name="Dubbel")) == 1


def test_a_patch_applied_then_refused_on_retry_says_its_outcome_is_unknown(sandbox, client):
    tenant = client.tenants.create(first_name="Ett")
    path = f"*/tenant/{tenant.id}/"
    lost = sandbox.inject_fault("drop_after_write", method="PATCH", path=path, count=1)
    busy = sandbox.inject_fault("status", status=503, method="PATCH", path=path)
    with pytest.raises(pigello.InternalServerError) as info:
        client.tenants.update(tenant, last_name="Berg")
    hits = sandbox.fault_hits()
    assert (hits[lost], hits[busy]) == (1, 2)
    assert info.value.outcome_unknown
    assert "outcome unknown" in str(info.value)
    sandbox.clear_faults()
    assert client.tenants.get(tenant).last_name == "Berg"
    sandbox.inject_fault("status", status=503, method="PATCH", path=path)
    with pytest.raises(pigello.InternalServerError) as plain:
        client.tenants.update(tenant, last_name="Ek")
    assert not plain.value.outcome_unknown


def test_timeouts_and_refused_connections(sandbox):
    slow = sandbox.client(timeout=0.2, max_retries=0)
    sandbox.inject_fault("latency", ms=1000, count=1)
    with pytest.raises(pigello.APITimeoutError) as info:
        slow.tenants.list()
    assert isinstance(info.value, pigello.APIConnectionError)
    closed = client_at("http://127.0.0.1:9")
    with pytest.raises(pigello.APIConnectionError) as info:
        closed.tenants.list()
    assert not info.value.outcome_unknown


def test_a_bulk_write_that_stops_part_way(sandbox):
    client = sandbox.client()
    owners = [client.tenants.create(first_name=f"T{i}") for i in range(3)]
    client.protected_identities.create(tenant=owners[1])
    items = [{"tenant": owner} for owner in owners]
    with pytest.raises(pigello.BulkWriteError) as info:
        client.protected_identities.bulk_write(items)
    error = info.value
    assert (error.written, error.failed, error.not_attempted) == (range(0), range(3), range(3, 3))
    assert isinstance(error.__cause__, pigello.BadRequestError)
    assert error.__cause__.errors[0].path == "[1].tenant"
    assert "items 0..3 were refused" in str(error)
    assert "0..0" not in str(error) and "3..3" not in str(error)
    assert len(client.protected_identities.list(tenant=owners[0])) == 0


def test_a_rust_panic_reaches_python_as_a_pigello_error():
    from pigello import _native

    with pytest.raises(pigello.PigelloError, match="this is a bug, please report it"):
        _native._panic_for_tests()

    async def main():
        await _native._panic_for_tests(asynchronous=True)

    with pytest.raises(pigello.PigelloError, match="deliberate panic"):
        asyncio.run(main())


def test_a_read_out_of_attempts_says_how_many_and_a_long_url_is_refused(sandbox):
    slow = sandbox.client(timeout=0.1, max_retries=2)
    sandbox.inject_fault("latency", ms=600, count=3)
    with pytest.raises(pigello.APITimeoutError) as info:
        slow.tenants.list()
    assert "(after 3 attempts)" in str(info.value)
    assert "outcome unknown" not in str(info.value) and not info.value.outcome_unknown
    assert info.value.code == "timeout"
    with pytest.raises(pigello.PigelloError) as refused:
        slow.tenants.list(first_name="x" * 70_000)
    assert not isinstance(refused.value, pigello.APIConnectionError)
    assert refused.value.code == "invalid_request" and "nothing was sent" in str(refused.value)


def test_every_error_survives_pickle(sandbox, client):
    caught = []
    for call in [
        lambda: client.tenants.create(first_name=5),
        lambda: client.tenants.get("00000000-0000-4000-8000-000000000999"),
        lambda: client_at("http://127.0.0.1:9").tenants.list(),
    ]:
        with pytest.raises(pigello.PigelloError) as info:
            call()
        caught.append(info.value)
    owners = [client.tenants.create(first_name="P") for _ in range(2)]
    client.protected_identities.create(tenant=owners[1])
    with pytest.raises(pigello.BulkWriteError) as info:
        client.protected_identities.bulk_write([{"tenant": o} for o in owners])
    caught.append(info.value)
    for error in caught:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert str(back) == str(error) and back.code == error.code
        assert back.__dict__.keys() == error.__dict__.keys()
    validation, not_found, connection, bulk = (pickle.loads(pickle.dumps(e)) for e in caught)
    assert validation.errors == caught[0].errors
    assert (not_found.status, not_found.request_id) == (404, caught[1].request_id)
    assert connection.outcome_unknown is False
    assert (bulk.written, bulk.failed) == (range(0), range(2))
    assert isinstance(bulk.__cause__, pigello.BadRequestError)
    assert bulk.__cause__.errors == caught[3].__cause__.errors
