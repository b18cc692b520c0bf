"""The Pigello Core API (Accounts) SDK: native classes over a Rust core.

    import pigello
    client = pigello.Client.from_env()
    page = client.tenants.list(first_name__icontains="an", order_by="-birth_date")

Start with `Client` (blocking) or `AsyncClient` (asyncio): each resource is an
attribute of a client (`client.tenants`), a `Resource` whose methods list, get,
create, update, delete and export. Every documented rule is checked before
anything is sent; a refusal is a `ValidationError`, and every error is a
`PigelloError`. Each call logs to the standard logger ``pigello``
(``PIGELLO_LOG=info`` or ``debug`` adds a handler on stderr).

The other modules:

- `pigello.testing`: the in-process sandbox (`pigello.testing.Sandbox`), for
  trying the SDK without credentials, and the pytest fixtures;
- `pigello.types`: the typing of every resource, model, filter and option;
- `pigello.dask`: an export spread over processes with Dask.
"""

import logging as _logging
import os as _os

from . import _native, _resources
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    APIUserAbortError,
    AuthenticationError,
    BadRequestError,
    BulkWriteError,
    CassetteError,
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
from ._resources import APIResponse, AsyncResource, Resource

# The native classes hand out objects of `_resources`, which imports
# `_native`: it is passed in here rather than imported back.
_native._use_resources(_resources)


def _log_from_environment() -> None:
    """``PIGELLO_LOG=info|debug``: the ``pigello`` logger at that level, with a
    handler on stderr (as ``OPENAI_LOG`` does for openai)."""
    level = {"debug": _logging.DEBUG, "info": _logging.INFO}.get(
        _os.environ.get("PIGELLO_LOG", "").lower()
    )
    if level is None:
        return
    logger = _logging.getLogger("pigello")
    handler = _logging.StreamHandler()
    handler.setFormatter(_logging.Formatter("[%(asctime)s - %(name)s - %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


_log_from_environment()

# In reading order, not sorted: the reference lists them so, clients first.
__all__ = [  # noqa: RUF022
    "Client",
    "AsyncClient",
    "Resource",
    "AsyncResource",
    "Page",
    "Rows",
    "APIResponse",
    "Model",
    "Integrationuseragent",
    "Organizationuser",
    "Organizationusersegment",
    "Organizationuserworkengagement",
    "Protectedidentity",
    "Subtenant",
    "Subtenantcontractconnection",
    "Subtenanttenantconnection",
    "Tenant",
    "Workengagement",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "APIUserAbortError",
    "AuthenticationError",
    "BadRequestError",
    "BulkWriteError",
    "CassetteError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "PigelloError",
    "RateLimitError",
    "ValidationError",
    "ValidationIssue",
    "__version__",
]
