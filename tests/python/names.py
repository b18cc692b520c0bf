"""What the tests share: the resources, as the clients name them, and a client
with made-up credentials for any base URL."""

import pigello

RESOURCES = [
    "tenants",
    "subtenants",
    "organization_users",
    "organization_user_work_engagements",
    "organization_user_segments",
    "integration_user_agents",
    "protected_identities",
    "work_engagements",
    "subtenant_contract_connections",
    "subtenant_tenant_connections",
]


def client_at(base_url: str, client_secret: str = "x") -> pigello.Client:
    """A client of the first seeded customer at `base_url`, never retrying."""
    return pigello.Client(
        customer_id="00000000-0000-4000-8000-000000000001",
        application_id="a",
        service_id="s",
        service_version_id="v",
        client_ct="c",
        client_object_id="o",
        client_secret=client_secret,
        base_url=base_url,
        max_retries=0,
    )
