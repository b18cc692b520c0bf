"""A typed use of the package: `mypy --strict` must accept it (see test_typing.py)."""

from __future__ import annotations

import asyncio
import datetime
import os
import sys
import uuid

import pigello
from pigello.testing import Sandbox
from pigello.types import ArrowStream, Page, Tenant


def youngest(client: pigello.Client) -> list[str]:
    page: Page[Tenant] = client.tenants.list(
        birth_date__gte=datetime.date(1990, 1, 1),
        last_name__istartswith__not="a",
        order_by="-birth_date",
        page_size=5,
    )
    names: list[str] = []
    for tenant in page:
        born: datetime.date | None = tenant.birth_date
        ident: uuid.UUID = tenant.id
        names.append(f"{tenant.first_name} {born} {ident}")
    return names


def protect(client: pigello.Client, tenant: Tenant) -> uuid.UUID:
    identity = client.protected_identities.create(tenant=tenant, first_name="Dold")
    client.protected_identities.update(identity.id, ssn=None)
    return identity.id


def with_every_option(client: pigello.Client, tenant: Tenant) -> int:
    patient = client.with_options(timeout=120.0, max_retries=5, default_headers={"X-App": "a"})
    options = {"X-Trace": "t-1"}
    got = patient.tenants.get(tenant.id, timeout=5, max_retries=0, extra_headers=options)
    page = client.tenants.list(page_size=2, timeout=2.5, extra_headers=options, first_name="A")
    client.tenants.update(got.id, last_name="B", extra_body={"x": 1}, max_retries=1)
    client.tenants.delete(tenant.id, timeout=1.0)
    written = client.tenants.bulk_write([{"first_name": "C"}], extra_headers=options)
    raw: pigello.APIResponse[Tenant] = client.tenants.with_raw_response.get(tenant.id)
    listed: Page[Tenant] = client.tenants.with_raw_response.list(first_name="A").parse()
    created: Tenant = client.tenants.with_raw_response.create(first_name="D").parse()
    request_id: str | None = got._request_id
    client.close()
    return (
        len(page)
        + len(written)
        + int(client.is_closed)
        + raw.status_code
        + len(request_id or "")
        + len(listed)
        + len(created.to_dict())
    )


def export(client: pigello.Client) -> int:
    stream: ArrowStream = client.tenants.to_arrow(page_size=50, created_at__gte="2022-01-01")
    rows = 0
    for batch in client.tenants.iter_batches(batch_size=50, first_name__icontains="a"):
        rows += batch.num_rows + len(batch.column_names)
    page_stream: ArrowStream = client.tenants.list(page_size=5).to_arrow()
    return rows + len([stream, page_stream])


async def export_async(client: pigello.AsyncClient) -> int:
    stream: ArrowStream = await client.tenants.to_arrow(order_by="-created_at")
    rows = 0
    async for batch in client.tenants.iter_batches(batch_size=50):
        rows += len(batch)
    return rows + len([stream])


async def count(client: pigello.AsyncClient) -> int:
    n = 0
    async for _ in client.tenants.iterate(page_size=50):
        n += 1
    first = await client.tenants.get((await client.tenants.list(page_size=1))[0].id)
    return n + len(first.to_dict())


async def fetch_together(client: pigello.AsyncClient, ids: list[uuid.UUID]) -> list[Tenant]:
    if sys.version_info >= (3, 11):
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(client.tenants.get(i)) for i in ids]
        return [task.result() for task in tasks]
    return list(await asyncio.gather(*(client.tenants.get(i) for i in ids)))


def main() -> None:
    with Sandbox(tenants=10) as sb:
        client = sb.client()
        child_env: dict[str, str] = {**os.environ, **sb.env()}
        print(child_env["PIGELLO_BASE_URL"] == sb.url)
        print(youngest(client))
        print(protect(client, client.tenants.list(page_size=1)[0]))
        try:
            client.tenants.create(first_name="x", invoice_email="nope")
        except pigello.ValidationError as error:
            print([issue.path for issue in error.errors])
