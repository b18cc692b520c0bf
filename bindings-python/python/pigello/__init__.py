"""The Pigello Core API (Accounts) SDK: native classes over a Rust core.

    import pigello
    client = pigello.Client.from_env()
    page = client.tenants.list(first_name__icontains="an", order_by="-birth_date")

Every documented rule is checked before anything is sent; see the README.
"""

from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    APIUserAbortError,
    AuthenticationError,
    BadRequestError,
    BulkWriteError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PigelloError,
    RateLimitError,
    ValidationError,
    ValidationIssue,
)
from ._native import (
    AsyncClient,
    Client,
    Integrationuseragent,
    Model,
    Organizationuser,
    Organizationusersegment,
    Organizationuserworkengagement,
    Page,
    Protectedidentity,
    Rows,
    Subtenant,
    Subtenantcontractconnection,
    Subtenanttenantconnection,
    Tenant,
    Workengagement,
    __version__,
)
from ._resources import AsyncResource, Resource

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "APIUserAbortError",
    "AsyncClient",
    "AsyncResource",
    "AuthenticationError",
    "BadRequestError",
    "BulkWriteError",
    "Client",
    "ConflictError",
    "Integrationuseragent",
    "InternalServerError",
    "Model",
    "NotFoundError",
    "Organizationuser",
    "Organizationusersegment",
    "Organizationuserworkengagement",
    "Page",
    "PermissionDeniedError",
    "PigelloError",
    "Protectedidentity",
    "RateLimitError",
    "Resource",
    "Rows",
    "Subtenant",
    "Subtenantcontractconnection",
    "Subtenanttenantconnection",
    "Tenant",
    "ValidationError",
    "ValidationIssue",
    "Workengagement",
    "__version__",
]
