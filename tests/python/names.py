"""The resources, as the clients name them."""

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
