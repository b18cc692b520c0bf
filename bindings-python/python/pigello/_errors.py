"""The exceptions of the package. The native module raises them; nothing here
decides anything."""

from __future__ import annotations

from typing import Any


class PigelloError(Exception):
    """Every error the package raises."""


class ValidationIssue:
    """One broken rule: where (``path``), which rule (``rule``) and why (``message``)."""

    __slots__ = ("message", "path", "rule")

    def __init__(self, path: str, rule: str, message: str) -> None:
        self.path = path
        self.rule = rule
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def __repr__(self) -> str:
        return f"ValidationIssue(path={self.path!r}, rule={self.rule!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValidationIssue) and (self.path, self.rule, self.message) == (
            other.path,
            other.rule,
            other.message,
        )


class ValidationError(PigelloError, ValueError):
    """The input broke documented rules; nothing was sent. ``errors`` lists each one."""

    errors: list[ValidationIssue]

    def __init__(self, message: str, errors: list[ValidationIssue] | None = None) -> None:
        super().__init__(message)
        self.errors = list(errors or [])


class APIError(PigelloError):
    """The API answered with an error status."""

    status: int
    body: str
    request_id: str | None
    code: str | None
    errors: list[dict]
    retry_after: float | None

    def __init__(self, message: str, **attributes: Any) -> None:
        super().__init__(message)
        self.status = attributes.get("status", 0)
        self.body = attributes.get("body", "")
        self.request_id = attributes.get("request_id")
        self.code = attributes.get("code")
        self.errors = attributes.get("errors", [])
        self.retry_after = attributes.get("retry_after")


class BadRequestError(APIError):
    """400: the body or the query broke a rule only the server can check."""


class AuthenticationError(APIError):
    """401: the credentials were missing or refused."""


class PermissionDeniedError(APIError):
    """403: the credentials do not allow this."""


class NotFoundError(APIError):
    """404: no such object (or another customer's)."""


class ConflictError(APIError):
    """409: the call conflicts with what is stored."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` says how long to wait, in seconds."""


class InternalServerError(APIError):
    """5xx: the server failed."""


class APIConnectionError(PigelloError):
    """The connection failed. ``outcome_unknown`` is true when a write may have
    been applied although no answer came; such a write is never retried."""

    outcome_unknown: bool

    def __init__(self, message: str, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.outcome_unknown = outcome_unknown


class APITimeoutError(APIConnectionError):
    """No answer within the timeout."""


class BulkWriteError(PigelloError):
    """A bulk write stopped at a chunk: ``written`` items are stored, ``failed``
    were refused (or have an unknown outcome), ``not_attempted`` were never sent.
    Each is a ``range`` of item indexes; the cause is ``__cause__``."""

    def __init__(
        self, message: str, written: range, failed: range, not_attempted: range, rows: list
    ) -> None:
        super().__init__(message)
        self.written = written
        self.failed = failed
        self.not_attempted = not_attempted
        self.rows = rows
