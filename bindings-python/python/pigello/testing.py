"""Testing against a local Pigello: the core's sandbox, in this process.

    from pigello.testing import Sandbox

    with Sandbox(seed=1, tenants=120) as sb:
        client = sb.client()
        sb.inject_fault("status", status=503, count=1)

It is also a pytest plugin, registered when pigello is installed (the
``pytest11`` entry point ``pigello.testing``; ``-p no:pigello.testing`` turns
it off). Its fixtures:

- ``pigello_sandbox``: a sandbox for the test (faults through
  ``pigello_sandbox.inject_fault``, what it received through ``requests()``);
- ``pigello_client`` / ``pigello_async_client``: a client of that sandbox;
- ``pigello_env``: the sandbox's ``PIGELLO_*`` variables set in this process
  (``monkeypatch``), so that the code under test's ``Client.from_env()``
  reaches it.

``@pytest.mark.pigello(seed=..., tenants=...)`` chooses the sandbox of a test
(any ``Sandbox`` option). A sandbox is started for each test unless
``--pigello-sandbox-scope=session`` (or the ini setting
``pigello_sandbox_scope = session``) shares one per process (per pytest-xdist
worker), reset to its seeded world before each test; a test whose marker asks
for another seed or size still gets its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._native import AsyncClient, Client, Sandbox

__all__ = ["Sandbox"]

SCOPES = ("function", "session")
_SCOPE_HELP = (
    "how long a pigello_sandbox lives: 'function' (a new one for each test, the "
    "default) or 'session' (one per process, reset to its seeded world before each test)"
)

try:
    import pytest
except ImportError:  # pytest is optional: Sandbox works without it
    pytest = None  # type: ignore[assignment]


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("pigello", "pigello: the sandbox fixtures")
    group.addoption("--pigello-sandbox-scope", choices=SCOPES, default=None, help=_SCOPE_HELP)
    parser.addini("pigello_sandbox_scope", help=_SCOPE_HELP, default="function")


def pytest_configure(config: Any) -> None:
    if _scope(config) not in SCOPES:
        raise pytest.UsageError(
            f"pigello_sandbox_scope = {_scope(config)!r}: use one of {', '.join(SCOPES)}"
        )
    config.addinivalue_line(
        "markers",
        "pigello(**options): the sandbox this test's pigello_sandbox is "
        "(Sandbox options: seed=, tenants=, require_secret=)",
    )


def _scope(config: Any) -> str:
    return str(
        config.getoption("--pigello-sandbox-scope", None) or config.getini("pigello_sandbox_scope")
    )


def _marked_options(node: Any) -> dict[str, Any]:
    """The Sandbox options of the test's `pigello` markers; the closest wins."""
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers("pigello"))):
        if marker.args:
            raise TypeError(
                "@pytest.mark.pigello takes Sandbox options by name, such as "
                "@pytest.mark.pigello(seed=7, tenants=20)"
            )
        options.update(marker.kwargs)
    return options


class _SharedSandboxes:
    """The session's sandboxes, one for each set of options, started when a
    test first needs it and stopped at the end of the session."""

    def __init__(self) -> None:
        self._started: dict[tuple[tuple[str, Any], ...], Sandbox] = {}

    def get(self, options: dict[str, Any]) -> Sandbox:
        key = tuple(sorted(options.items()))
        sandbox = self._started.get(key)
        if sandbox is None:
            sandbox = self._started[key] = Sandbox(**options)
        return sandbox

    def stop(self) -> None:
        for sandbox in self._started.values():
            sandbox.stop()
        self._started.clear()


if pytest is not None:

    @pytest.fixture(scope="session")
    def _pigello_shared_sandboxes() -> Iterator[_SharedSandboxes]:
        shared = _SharedSandboxes()
        try:
            yield shared
        finally:
            shared.stop()

    @pytest.fixture
    def pigello_sandbox(request: Any) -> Iterator[Sandbox]:
        """The test's sandbox: its own, or the session's reset to its seeded
        world (``--pigello-sandbox-scope=session``)."""
        options = _marked_options(request.node)
        if _scope(request.config) == "session":
            sandbox = request.getfixturevalue("_pigello_shared_sandboxes").get(options)
            sandbox.reset()
            sandbox.clear_requests()
            yield sandbox
            return
        with Sandbox(**options) as sandbox:
            yield sandbox

    @pytest.fixture
    def pigello_client(pigello_sandbox: Sandbox) -> Iterator[Client]:
        """A client of the test's sandbox, as its first seeded customer."""
        with pigello_sandbox.client() as client:
            yield client

    @pytest.fixture
    def pigello_async_client(pigello_sandbox: Sandbox) -> AsyncClient:
        """An asyncio client of the test's sandbox (for pytest-asyncio or anyio
        tests); its connections go with the sandbox."""
        return pigello_sandbox.async_client()

    @pytest.fixture
    def pigello_env(pigello_sandbox: Sandbox, monkeypatch: Any) -> dict[str, str]:
        """The sandbox's ``PIGELLO_*`` variables, set in this process for the
        test, so that the code under test's ``Client.from_env()`` reaches the
        sandbox; pass them to a child process with ``env={**os.environ, **pigello_env}``."""
        variables = pigello_sandbox.env()
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return variables
