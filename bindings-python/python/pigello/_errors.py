"""The exceptions of the package. The native module raises them with the class,
code, issues and fields the core gives; nothing here decides anything."""

from __future__ import annotations

from typing import Any


def _rebuild(
    cls: type[PigelloError],
    message: str,
    state: dict[str, Any],
    cause: BaseException | None = None,
) -> PigelloError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    error.__cause__ = cause
    return error


class PigelloError(Exception):
    """Every error the package raises. ``code`` is a stable string naming what
    went wrong (``validation_error``, ``not_found``, ``timeout``, ...).
    ``outcome_unknown`` is true when a write may have been applied although the
    call failed: an attempt of it was sent and its answer lost, whatever a
    later attempt answered."""

    code: str
    outcome_unknown: bool

    def __init__(self, message: str, **attributes: Any) -> None:
        super().__init__(message)
        self.code = attributes.pop("code", "pigello_error")
        self.outcome_unknown = attributes.pop("outcome_unknown", False)
        for name, value in attributes.items():
            setattr(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Every attribute and the cause cross a pickle (multiprocessing, Dask),
        # whatever the constructor of the class takes.
        message = str(self.args[0]) if self.args else ""
        return (_rebuild, (type(self), message, dict(self.__dict__), self.__cause__))


class ValidationIssue:
    """One problem with one field or parameter: where (``path``), which rule
    (``rule``) and why (``message``). The same type for what the client refused
    and for the field errors of the server's answer."""

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

    def __hash__(self) -> int:
        return hash((self.path, self.rule, self.message))

    def __reduce__(self) -> tuple[Any, ...]:
        return (ValidationIssue, (self.path, self.rule, self.message))


class ValidationError(PigelloError, ValueError):
    """The input broke documented rules; nothing was sent. ``errors`` lists each one."""

    errors: list[ValidationIssue]

    def __init__(
        self, message: str, errors: list[ValidationIssue] | None = None, **attributes: Any
    ) -> None:
        attributes.setdefault("code", "validation_error")
        super().__init__(message, **attributes)
        self.errors = list(errors or [])


class APIError(PigelloError):
    """The API answered with an error status. ``retry_after`` is the wait in
    seconds the server asked for (``Retry-After``), or ``None``."""

    status: int
    body: str
    request_id: str | None
    errors: list[ValidationIssue]
    retry_after: float | None

    def __init__(self, message: str, **attributes: Any) -> None:
        attributes.setdefault("code", "api_error")
        self.status = 0
        self.body = ""
        self.request_id = None
        self.errors = []
        self.retry_after = None
        super().__init__(message, **attributes)


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
    been applied although no answer came; a create in that state is never
    retried."""

    def __init__(self, message: str, **attributes: Any) -> None:
        attributes.setdefault("code", "connection_error")
        super().__init__(message, **attributes)


class APITimeoutError(APIConnectionError):
    """No answer within the timeout."""


class APIUserAbortError(PigelloError):
    """The call was cancelled (Ctrl-C) before it ended; ``outcome_unknown`` is
    true when a write may already have been applied."""

    def __init__(self, message: str, **attributes: Any) -> None:
        attributes.setdefault("code", "aborted")
        super().__init__(message, **attributes)


class BulkWriteError(PigelloError):
    """A bulk write stopped at a chunk: ``written`` items are stored, ``failed``
    were refused (or have an unknown outcome), ``not_attempted`` were never sent.
    Each is a ``range`` of indexes into the list given; the cause is ``__cause__``."""

    written: range
    failed: range
    not_attempted: range
    rows: list[Any]

    def __init__(self, message: str, **attributes: Any) -> None:
        attributes.setdefault("code", "bulk_write_incomplete")
        self.written = self.failed = self.not_attempted = range(0)
        self.rows = []
        super().__init__(message, **attributes)


# Python 3.9 and 3.10 only (bindings-python/src/values/arg.rs): a conversion error of
# a keyword argument, rebuilt as an instance of a subclass of its own class,
# under the same name, whose `add_note` (which Python has from 3.11 on) puts
# the note into the message, so that the argument's name is shown.
_NOTED: dict[type[BaseException], type[BaseException]] = {}


def _add_note(self: BaseException, note: str) -> None:
    self.__notes__ = [*getattr(self, "__notes__", []), note]  # type: ignore[attr-defined]
    self.args = (f"{self.args[0]} ({note})" if self.args else note, *self.args[1:])


def _noted(error: BaseException) -> BaseException:
    base = type(error)
    cls = _NOTED.get(base)
    if cls is None:
        namespace = {
            "add_note": _add_note,
            "__module__": base.__module__,
            "__qualname__": base.__qualname__,
        }
        cls = _NOTED[base] = type(base.__name__, (base,), namespace)
    rebuilt = cls(*error.args)
    rebuilt.__cause__, rebuilt.__context__ = error.__cause__, error.__context__
    return rebuilt


class CassetteError(PigelloError):
    """A cassette cannot be used (``code`` ``cassette_invalid``: ``file``,
    ``line``), or holds no answer to a request it must replay
    (``cassette_unmatched``: ``file``, ``method``, ``path``, and the
    ``closest`` recorded request, its personal values redacted); nothing was
    sent."""

    file: str
    line: int | None
    method: str | None
    path: str | None
    closest: str | None

    def __init__(self, message: str, **attributes: Any) -> None:
        self.line = self.method = self.path = self.closest = None
        super().__init__(message, **attributes)
