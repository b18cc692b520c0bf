"""Quickstart, asyncio: concurrent gets, `async for` over every page, and a
DataFrame of every tenant, on `pigello.AsyncClient`. Against the API when the
PIGELLO_* credentials are set (it only reads there); else against the sandbox.

    python examples/python/async_quickstart.py
"""

from __future__ import annotations

import asyncio
import os

import pigello
from pigello.testing import Sandbox


async def run(client: pigello.AsyncClient) -> None:
    page = await client.tenants.list(page_size=10, order_by="last_name")
    again = await asyncio.gather(*(client.tenants.get(t.id) for t in page))
    assert again == list(page)
    print(f"fetched {len(again)} tenants concurrently")

    people = 0
    async for tenant in client.tenants.iterate(page_size=50, ssn__isnull=False):
        people += tenant.birth_date is not None
    print(f"{people} tenants with a personal number and a birth date")

    frame = await client.tenants.to_pandas(progress=False)
    print(f"a DataFrame of {len(frame)} tenants; born per decade:")
    decades = (frame["birth_date"].dt.year // 10 * 10).value_counts().sort_index()
    for decade, count in decades.items():
        print(f"  {int(decade)}s  {count}")


def main() -> None:
    if os.environ.get("PIGELLO_CUSTOMER_ID"):
        asyncio.run(run(pigello.AsyncClient.from_env()))
    else:
        with Sandbox(seed=1, tenants=60) as sb:
            asyncio.run(run(sb.async_client()))


if __name__ == "__main__":
    main()
