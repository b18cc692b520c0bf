"""The Pigello Core API (Accounts) SDK: native classes over a Rust core.

    import pigello
    client = pigello.Client.from_env()
    page = client.tenants.list(first_name__icontains="an", order_by="-birth_date")

Every documented rule is checked before anything is sent; see the README.
Each call logs to the standard logger ``pigello`` (``PIGELLO_LOG=info`` or
``debug`` adds a handler on stderr).
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

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
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
