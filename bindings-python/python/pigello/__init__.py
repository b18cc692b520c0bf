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
from ._native import AsyncClient, Client, Model, Page, Resource, Rows, __version__

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "BulkWriteError",
    "Client",
    "ConflictError",
    "InternalServerError",
    "Model",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "PigelloError",
    "RateLimitError",
    "Resource",
    "Rows",
    "ValidationError",
    "ValidationIssue",
    "__version__",
]
