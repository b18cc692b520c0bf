"""Type errors mypy must find (see test_typing.py); never run."""

import pigello


def wrong(client: pigello.Client) -> None:
    client.tenants.list(shoe_size=42)
    client.tenants.create(first_name=5)
    client.protected_identities.create(tenantt="x")
    client.work_engagements.create()
    _: int = client.tenants.get("x").first_name
    client.tenants.get("x", timout=5)
    client.tenants.delete("x", extra_headers={"X-A": 5})
    client.with_options(max_retry=1)
    client.tenants.with_raw_response.get("x", timout=5)
    _: int = client.tenants.with_raw_response.get("x").parse().first_name


def counts(client: pigello.Client) -> int:
    return len(client.tenants.list())


def siblings(client: pigello.AsyncClient) -> None:
    counts(client)
