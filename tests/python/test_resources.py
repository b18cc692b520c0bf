"""Every resource and operation through the blocking client."""

import datetime
import uuid

import pigello
import pytest
from names import RESOURCES

TEXT_FIELD = {"tenants": "anonymization_name"}


def writable_copy(model: pigello.Model, resource: pigello.Resource) -> dict:
    """The writable fields of a stored object, as keyword arguments."""
    read_only = {"id", "created_at", "status", "username", "mfa_has_totp", "mfa_has_hotp"}
    data = model.to_dict()
    probe = set(data) - read_only
    return {k: v for k, v in data.items() if k in probe}


@pytest.mark.parametrize("name", RESOURCES)
def test_every_operation(sandbox, client, name):
    resource = getattr(client, name)
    assert isinstance(resource, pigello.Resource)
    page = resource.list(page_size=2)
    assert len(page) == 2
    first = page[0]
    assert resource.get(first.id) == first
    assert resource.get(str(first.id)) == first

    field = TEXT_FIELD.get(name, "custom_id")
    created_from = first
    if name == "protected_identities":
        fresh = client.tenants.create(first_name="Fri")
        created = resource.create(tenant=fresh, first_name="Ny")
    else:
        fields = {k: v for k, v in first.to_dict().items() if k in writable_names(first)}
        created = resource.create(**fields)
    assert created.id != created_from.id
    updated = resource.update(created, **{field: "Ändrad"})
    assert getattr(updated, field) == "Ändrad"
    resource.delete(created.id)
    with pytest.raises(pigello.NotFoundError):
        resource.get(created.id)

    rows = resource.bulk_write([{"id": str(first.id), field: "Bulk"}])
    assert [r.id for r in rows] == [first.id]
    assert getattr(rows[0], field) == "Bulk"
    everyone = list(resource.iterate(page_size=3))
    assert len({r.id for r in everyone}) == len(everyone) == len(resource.list(page_size=1000))


def writable_names(model: pigello.Model) -> set:
    read_only = {
        "id",
        "created_at",
        "status",
        "username",
        "mfa_has_totp",
        "mfa_has_hotp",
        "is_company",
        "hotp_invite_sendout_time",
        "last_login",
        "customer_columns",
        "pending_monitor_approval_amount",
        "full_name",
        "tags",
        "email_verified",
        "latest_active_date",
        "earliest_active_date",
        "communication_name",
        "custom_application_domain",
        "phone_number_verified",
        "subscribes_to_events",
        "requires_sole_category_ownership",
        "allowed_access",
        "allow_token_generation_for_tenants",
        "allow_token_generation_for_sub_tenants",
        "require_personal_information_access",
        "has_sub_tenant_http_invokable_method",
        "has_tenant_http_invokable_method",
        "registered_ip_addresses",
    }
    return set(model.to_dict()) - read_only


def test_invites(client):
    assert client.tenants.invite({"email": "ny@example.se"}) is None
    assert client.subtenants.invite(email="ny@example.se") is None
    assert client.organization_users.invite() is None


def test_model_fields_are_typed_when_read(client):
    tenant = client.tenants.list(ssn__isnull=False, page_size=1)[0]
    assert isinstance(tenant.id, uuid.UUID)
    assert isinstance(tenant.birth_date, datetime.date)
    assert isinstance(tenant.first_name, str)
    assert isinstance(tenant.realestates[0]["id"], uuid.UUID)
    identity = client.protected_identities.list(page_size=1)[0]
    assert isinstance(identity.created_at, datetime.datetime)
    assert identity.created_at.tzinfo is not None
    assert tenant.extra == {}
    with pytest.raises(AttributeError):
        _ = tenant.shoe_size
    data = tenant.to_dict()
    assert data["id"] == str(tenant.id) and isinstance(data["birth_date"], str)
    assert repr(tenant).startswith(f"Tenant(id='{tenant.id}'")
    assert "<table>" in tenant._repr_html_()
    assert "first_name" in dir(tenant)


def test_relations_accept_a_dict_a_string_a_uuid_or_a_model(client):
    for given in ("model", "uuid", "str", "dict"):
        tenant = client.tenants.create(first_name=f"T-{given}")
        value = {
            "model": tenant,
            "uuid": tenant.id,
            "str": str(tenant.id),
            "dict": {"id": str(tenant.id)},
        }[given]
        identity = client.protected_identities.create(tenant=value)
        assert identity.tenant["id"] == tenant.id


def test_update_none_clears_and_leaves_the_rest(client):
    tenant = client.tenants.create(first_name="Anna", last_name="Berg", popular_name="Annie")
    updated = client.tenants.update(tenant.id, popular_name=None)
    assert updated.popular_name is None
    assert (updated.first_name, updated.last_name) == ("Anna", "Berg")


def test_dates_are_sent_in_iso_form(client):
    tenant = client.tenants.create(
        first_name="D",
        birth_date=datetime.date(1990, 2, 3),
        active_to=datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.timezone.utc),
    )
    assert tenant.birth_date == datetime.date(1990, 2, 3)
    assert tenant.active_to == datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.timezone.utc)


def test_client_is_a_context_manager_and_reads_the_environment(sandbox, monkeypatch):
    creds = {
        "PIGELLO_BASE_URL": sandbox.url,
        "PIGELLO_CUSTOMER_ID": "00000000-0000-4000-8000-000000000001",
        "PIGELLO_APPLICATION_ID": "a",
        "PIGELLO_SERVICE_ID": "s",
        "PIGELLO_SERVICE_VERSION_ID": "v",
        "PIGELLO_CLIENT_CT": "ct",
        "PIGELLO_CLIENT_OBJECT_ID": "o",
        "PIGELLO_CLIENT_SECRET": "secret-x",
    }
    for k, v in creds.items():
        monkeypatch.setenv(k, v)
    with pigello.Client.from_env(timeout=5, max_retries=1) as client:
        assert client.base_url == sandbox.url
        assert len(client.tenants.list(page_size=5)) == 5
    monkeypatch.delenv("PIGELLO_CLIENT_SECRET")
    with pytest.raises(pigello.PigelloError, match="PIGELLO_CLIENT_SECRET"):
        pigello.Client.from_env()


def test_the_gil_is_released_while_waiting(sandbox, client):
    import threading

    sandbox.inject_fault("latency", ms=300, count=1)
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.005)

    ticker = threading.Thread(target=count)
    ticker.start()
    before = len(ticks)
    client.tenants.list(page_size=1)  # waits about 300 ms on the sandbox
    during = len(ticks) - before
    stop.set()
    ticker.join()
    assert during > 5, "another Python thread ran while the call waited"


@pytest.mark.parametrize("name", RESOURCES)
def test_each_resource_has_its_own_model_class(client, name):
    row = getattr(client, name).list(page_size=1)[0]
    cls = type(row)
    assert cls is getattr(pigello, cls.__name__)
    assert cls.__name__ == row.resource and cls.__name__ in pigello.__all__
    assert isinstance(row, pigello.Model) and cls is not pigello.Model
    assert repr(row).startswith(f"{cls.__name__}(id='{row.id}'")


def test_dir_of_a_client_lists_its_resources_and_public_attributes(sandbox):
    for client, other in ((sandbox.client(), "to_async"), (sandbox.async_client(), "to_sync")):
        names = dir(client)
        assert {"tenants", "work_engagements", "with_options", "close", other} <= set(names)
        assert all(hasattr(client, name) for name in names)
        assert not any(name.startswith("_") for name in names)
