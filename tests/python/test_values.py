"""Models, pages and rows behave like ordinary Python values: a repr that
names the object and nothing personal, pickle and copy, read-only fields that
say how to change them, an order, slices, and pages that walk themselves."""

import asyncio
import copy
import pickle

import pigello
import pytest
from pigello.testing import Sandbox

SSN = "19811218-9876"


def test_a_repr_names_the_object_and_never_personal_data(client: pigello.Client) -> None:
    tenant = client.tenants.create(
        first_name="Anna", last_name="x" * 50, ssn=SSN, invoice_email="anna@example.se"
    )
    shown = repr(tenant)
    assert shown.startswith(f"Tenant(id='{tenant.id}', first_name='Anna', last_name='{'x' * 32}…'")
    for secret in [SSN, "anna@example.se"]:
        assert secret not in shown
    # A naming field holding personal data shows it redacted.
    odd = client.tenants.create(first_name="anna@example.se")
    assert "first_name='<redacted>'" in repr(odd)


def test_models_pages_and_errors_survive_pickle_and_copy(client: pigello.Client) -> None:
    page = client.tenants.list(page_size=3, statistics=True)
    tenant = page[0]
    for copied in [pickle.loads(pickle.dumps(tenant)), copy.copy(tenant), copy.deepcopy(tenant)]:
        assert copied == tenant and type(copied) is pigello.Tenant
        assert copied.to_dict() == tenant.to_dict()
    again = pickle.loads(pickle.dumps(page))
    assert list(again) == list(page)
    assert (again.total, again.page, again.page_size, again.has_next_page()) == (
        page.total,
        1,
        3,
        True,
    )
    with pytest.raises(pigello.PigelloError, match="rebuilt by pickle and has no client"):
        again.next_page()
    with pytest.raises(pigello.NotFoundError) as caught:
        client.tenants.get("497f6eca-6276-4993-bfeb-53cbbbba6f08")
    error = pickle.loads(pickle.dumps(caught.value))
    assert (type(error), error.status, error.code) == (pigello.NotFoundError, 404, "not_found")


def test_a_model_is_read_only_and_says_how_to_change_it(client: pigello.Client) -> None:
    tenant = client.tenants.list(page_size=1)[0]
    with pytest.raises(AttributeError, match=r"read-only; change one with client.tenants.update"):
        tenant.first_name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="read-only"):
        del tenant.first_name  # type: ignore[misc]


def test_models_order_by_id_so_sorting_is_stable(client: pigello.Client) -> None:
    rows = list(client.tenants.list(page_size=10))
    by_id = sorted(rows, key=lambda t: str(t.id))
    assert sorted(rows) == by_id
    assert by_id[0] < by_id[1] and by_id[1] > by_id[0] and by_id[0] <= by_id[0]
    with pytest.raises(TypeError):
        _ = rows[0] < 5  # type: ignore[operator]


def test_a_page_slices_and_walks_its_pages(sandbox: Sandbox, client: pigello.Client) -> None:
    page = client.tenants.list(page_size=8)
    assert page[1:3] == page.to_list()[1:3] and isinstance(page[1:3], list)
    assert page[-1] == page.to_list()[-1]
    pages = list(page.iter_pages())
    assert [p.page for p in pages] == [1, 2, 3, 4]
    assert sum(len(p) for p in pages) == 30
    assert (
        "8 of 30 tenants, page 1" in client.tenants.list(page_size=8, statistics=True)._repr_html_()
    )


def test_rows_have_a_length_the_server_counts_and_a_repr(client: pigello.Client) -> None:
    rows = client.tenants.iterate(page_size=7, first_name__isnull=False)
    expected = client.tenants.list(first_name__isnull=False, statistics=True, page_size=1).total
    assert len(rows) == expected
    next(rows)
    assert repr(rows) == f"Rows(Tenant, fetched=1, total={expected})"
    assert len(list(client.tenants.iterate(page_size=7))) == 30


def test_an_async_page_walks_its_pages(sandbox: Sandbox) -> None:
    async def walk() -> list[int]:
        client = sandbox.async_client()
        first = await client.tenants.list(page_size=10)
        return [p.page async for p in first.iter_pages()]

    # Page 3 is full, so a fourth (empty) page is asked for: the core's rule
    # without statistics.
    assert asyncio.run(walk()) == [1, 2, 3, 4]
