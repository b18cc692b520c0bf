"""The native module: the clients, the sandbox and the classes they return."""

import os
import uuid
from collections.abc import Callable, Generator, Mapping
from types import ModuleType
from typing import Any, Literal

from typing_extensions import Self, TypeAlias

from . import types as _types
from .types import (
{RESOURCE_IMPORTS})

__version__: str

RecordMode: TypeAlias = Literal["once", "new_episodes", "none", "all"]

def _cassette_environment(path: str, record_mode: str, anonymize: bool) -> dict[str, str]:
    """The `PIGELLO_*` variables that make `Client.from_env()` use a cassette."""

def _use_resources(module: ModuleType) -> None:
    """Hands `pigello._resources` to the native classes (`pigello/__init__.py` calls it once)."""

class Client:
    """The Pigello API, blocking; resources are attributes."""

    def __init__(
        self,
{CLIENT_ARGUMENTS}    ) -> None: ...
    @staticmethod
    def from_env(
        *,
{CLIENT_SETTINGS}    ) -> Client: ...
    def with_options(
        self,
        *,
{CLIENT_SETTINGS}    ) -> Client:
        """The same connections with other settings; headers add to the client's."""
    @property
    def base_url(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def is_async(self) -> bool: ...
    @property
    def is_closed(self) -> bool: ...
    def to_async(self) -> AsyncClient:
        """The same settings and credentials, with coroutine methods and connections of its own."""
    def close(self) -> None:
        """Closes the connections of every client sharing them; later calls raise."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> bool: ...
{CLIENT_RESOURCES}
class AsyncClient:
    """The Pigello API with coroutine methods; a sibling of `Client`, not a kind of it."""

    def __init__(
        self,
{CLIENT_ARGUMENTS}    ) -> None: ...
    @staticmethod
    def from_env(
        *,
{CLIENT_SETTINGS}    ) -> AsyncClient: ...
    def with_options(
        self,
        *,
{CLIENT_SETTINGS}    ) -> AsyncClient:
        """The same connections with other settings; headers add to the client's."""
    @property
    def base_url(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def is_async(self) -> bool: ...
    @property
    def is_closed(self) -> bool: ...
    def to_sync(self) -> Client:
        """The same settings and credentials, with blocking methods and connections of its own."""
    async def close(self) -> None:
        """Closes the connections of every client sharing them; later calls raise."""
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> bool: ...
{ASYNC_CLIENT_RESOURCES}
class Model:
    """An object of a resource; see `pigello.types` for each resource's fields."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def resource(self) -> str: ...
    @property
    def _request_id(self) -> str | None:
        """The id of the request whose answer held this object."""
    @property
    def extra(self) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __getattr__(self, name: str) -> Any: ...
    def _repr_html_(self) -> str: ...
{MODEL_CLASSES}
class PendingCall:
    """One call of a resource, built but not sent."""

    def wait(self) -> Any: ...
    def __await__(self) -> Generator[Any, None, Any]: ...

class ResourceCalls:
    """The calls of one resource, each returned unsent; `pigello.Resource` and
    `pigello.AsyncResource` run them."""

    @property
    def name(self) -> str: ...
    def __getattr__(self, name: str) -> Callable[..., PendingCall]: ...
    def iterate(self, **options: Any) -> Any: ...
    def iter_batches(self, **options: Any) -> _types.Batches: ...
    def to_arrow(self, **options: Any) -> _types.ArrowStream: ...
    def to_arrow_fetched(self, **options: Any) -> PendingCall: ...
    def partitions(self, n: int, /, **options: Any) -> PendingCall: ...

class Sandbox:
    """A local Pigello Accounts API in this process, on a free loopback port."""

    def __init__(
        self,
        *,
{SANDBOX_OPTIONS}    ) -> None:
        """Starts a sandbox: seed {SANDBOX_SEED} and {SANDBOX_TENANTS} tenants unless given, on a free port."""
    @property
    def url(self) -> str: ...
    def client(
        self,
        *,
{CLIENT_SETTINGS}    ) -> Client: ...
    def async_client(
        self,
        *,
{CLIENT_SETTINGS}    ) -> AsyncClient: ...
    def env(self) -> dict[str, str]:
        """The `PIGELLO_*` variables that make `Client.from_env()` reach this sandbox."""
    def reset(self) -> None: ...
    def inject_fault(
        self,
        kind: str,
        *,
        method: str | None = None,
        path: str = ...,
        status: int = ...,
        retry_after: int = ...,
        ms: int = ...,
        name: str = ...,
        value: str = ...,
        probability: float = ...,
        count: int = ...,
        seed: int = ...,
    ) -> int: ...
    def fault_hits(self) -> list[int]: ...
    def clear_faults(self) -> None: ...
    def requests(self) -> list[dict[str, Any]]:
        """The last requests the API received, oldest first (credentials redacted)."""
    def clear_requests(self) -> None: ...
    def export_state(self) -> dict[str, Any]: ...
    def import_state(self, state: dict[str, Any]) -> None: ...
    def stop(self) -> None: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> bool: ...
