"""Pages, filters and negation, ordering, iteration."""

import asyncio
import datetime

import pigello
import pytest


def test_a_page_is_iterable_sized_and_indexable(client):
    page = client.tenants.list(page=2, page_size=7, statistics=True)
    assert (page.page, page.page_size, len(page), page.total) == (2, 7, 7, 30)
    assert list(page) == page.to_list() == [page[i] for i in range(7)]
    assert page[-1] == page[6]
    assert page.has_next_page()
    assert "<table>" in page._repr_html_() and "7 of 30 tenants, page 2" in page._repr_html_()
    assert repr(page) == "Page(Tenant, page=2, page_size=7, rows=7, total=30)"


def test_a_notebook_table_shows_ids_and_names_but_no_personal_data(client):
    page = client.tenants.list(
        ssn__isnull=False,
        invoice_email__isnull=False,
        current_registered_address__isnull=False,
        page_size=5,
    )
    assert len(page) == 5
    html = page._repr_html_() + "".join(t._repr_html_() for t in page)
    for tenant in page:
        assert tenant.ssn and tenant.ssn not in html
        assert tenant.invoice_email and tenant.invoice_email not in html
        assert str(tenant.id) in html and tenant.first_name in html
        # A uuid's runs of digits are not taken for a phone number.
        assert str(tenant.current_registered_address["id"]) in html
    assert "&lt;redacted&gt;" in html


def test_the_default_page(client):
    page = client.tenants.list()
    assert (page.page, page.page_size, len(page)) == (1, 100, 30)


def test_filters_with_every_kind_of_value_and_negation(client):
    everyone = client.tenants.list()
    named = [t for t in everyone if t.first_name and "an" in t.first_name.lower()]
    got = client.tenants.list(first_name__icontains="an")
    assert {t.id for t in got} == {t.id for t in named}
    negated = client.tenants.list(first_name__icontains__not="an")
    assert {t.id for t in negated} == {t.id for t in everyone} - {t.id for t in named}
    assert {t.id for t in client.tenants.list(**{"first_name__icontains!": "an"})} == {
        t.id for t in negated
    }
    born = client.tenants.list(birth_date__gte=datetime.date(1980, 1, 1))
    assert all(t.birth_date >= datetime.date(1980, 1, 1) for t in born)
    some = [everyone[0], everyone[1]]
    assert {t.id for t in client.tenants.list(id__in=some)} == {t.id for t in some}
    assert {t.id for t in client.tenants.list(id__in=[str(t.id) for t in some])} == {
        t.id for t in some
    }
    assert all(t.anonymized is False for t in client.tenants.list(anonymized=False))
    assert all(t.ssn is None for t in client.tenants.list(ssn__isnull=True))


def test_ordering_and_search(client):
    rows = client.tenants.list(order_by=["last_name", "-birth_date"], last_name__isnull=False)
    names = [t.last_name for t in rows]
    assert names == sorted(names)
    assert client.tenants.list(order_by="-last_name,first_name")[0].last_name is None or True
    found = client.tenants.list(search="example.se")
    assert len(found) > 0


def test_a_bad_filter_is_refused_before_sending(sandbox, client):
    sandbox.inject_fault("latency", ms=0)
    with pytest.raises(pigello.ValidationError) as info:
        client.tenants.list(shoe_size=42, birth_date__icontains="19", order_by="nope")
    codes = [(e.path, e.rule) for e in info.value.errors]
    assert codes == [
        ("shoe_size", "unknown_filter"),
        ("birth_date__icontains", "unsupported_operator"),
        ("_order_by", "unknown_order_field"),
    ]
    assert sandbox.fault_hits() == [0]


def test_iterate_walks_every_page_once(sandbox, client):
    sandbox.inject_fault("latency", ms=0, method="GET", path="*/tenant/list/")
    rows = [row for row in client.tenants.iterate(page_size=7, order_by="last_name")]
    assert len(rows) == 30 and len({r.id for r in rows}) == 30
    assert sandbox.fault_hits() == [5]
    # list() asks for len() first, which the server counts: one more request.
    assert len(list(client.tenants.iterate(page_size=7))) == 30
    assert sandbox.fault_hits() == [5 + 1 + 5]


def test_next_page_follows_the_cores_rule(client):
    page = client.tenants.list(page_size=12, order_by="last_name", statistics=True)
    seen = [t.id for t in page]
    while page.has_next_page():
        page = page.next_page()
        seen += [t.id for t in page]
    assert page.next_page() is None
    assert len(seen) == len(set(seen)) == 30
    # Without statistics a full last page cannot know it is the last: one empty page follows.
    full = client.tenants.list(page=3, page_size=10)
    assert full.has_next_page() and len(full.next_page()) == 0


def test_next_page_on_an_async_client(sandbox):
    async def main():
        client = sandbox.async_client()
        page = await client.tenants.list(page_size=20, statistics=True)
        last = await page.next_page()
        assert len(last) == 10 and not last.has_next_page()
        assert await last.next_page() is None

    asyncio.run(main())
