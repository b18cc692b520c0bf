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
(any ``Sandbox`` option). ``@pytest.mark.pigello_cassette`` gives the test a
cassette instead, ``cassettes/<test module>/<test name>.jsonl`` beside the
test file: ``pigello_client``, ``pigello_async_client`` and ``pigello_env``
then record into it or replay from it, in record mode ``none`` (replay only,
so a CI run never reaches a real API) unless ``--pigello-record-mode`` says
otherwise; recording uses the ``PIGELLO_*`` credentials of the environment,
replaying needs none. The ``pigello_cassette`` fixture gives the test's
cassette as the keywords ``cassette`` and ``record_mode``. A sandbox is started for each test unless
``--pigello-sandbox-scope=session`` (or the ini setting
``pigello_sandbox_scope = session``) shares one per process (per pytest-xdist
worker), reset to its seeded world before each test; a test whose marker asks
for another seed or size still gets its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._native import AsyncClient, Client, Sandbox, _cassette_environment

__all__ = ["Sandbox"]

SCOPES = ("function", "session")
RECORD_MODES = ("once", "new_episodes", "none", "all")
CASSETTE_OPTIONS = ("path", "record_mode", "anonymize")
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
    group.addoption(
        "--pigello-record-mode",
        choices=RECORD_MODES,
        default=None,
        help="the record mode of the cassettes of tests marked pigello_cassette "
        "(default 'none': replay only)",
    )


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
    config.addinivalue_line(
        "markers",
        "pigello_cassette(path=None, record_mode=None, anonymize=False): the test's clients "
        "record into and replay from a cassette, cassettes/<test module>/<test name>.jsonl "
        "by default",
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


def _cassette_of(request: Any) -> dict[str, Any]:
    """The test's cassette, as the keywords `cassette`, `record_mode` and (if
    the marker asks) `anonymize`: the marker's path or the default one, and
    the command line's mode, else the marker's, else ``none``."""
    marker = request.node.get_closest_marker("pigello_cassette")
    options = dict(marker.kwargs) if marker is not None else {}
    unknown = sorted(set(options) - set(CASSETTE_OPTIONS))
    if unknown or (marker is not None and marker.args):
        given = ", ".join(unknown) if unknown else "a positional argument"
        raise TypeError(
            f"@pytest.mark.pigello_cassette takes {', '.join(f'{o}=' for o in CASSETTE_OPTIONS)}"
            f", not {given}"
        )
    path = options.get("path")
    if path is None:
        test_file = Path(str(request.node.fspath))
        name = request.node.name
        if request.cls is not None:
            name = f"{request.cls.__name__}.{name}"
        name = re.sub(r"[^\w.\[\]=,-]", "-", name)
        path = test_file.parent / "cassettes" / test_file.stem / f"{name}.jsonl"
    mode = request.config.getoption("--pigello-record-mode") or options.get("record_mode") or "none"
    keywords: dict[str, Any] = {"cassette": str(path), "record_mode": str(mode)}
    if options.get("anonymize"):
        keywords["anonymize"] = True
    return keywords


def _marked_cassette(request: Any, monkeypatch: Any) -> dict[str, str] | None:
    """For a test marked `pigello_cassette`, sets the variables that make
    `from_env()` use its cassette (and, with no credentials in the
    environment, replay without them); returns them. `None` for another test."""
    if request.node.get_closest_marker("pigello_cassette") is None:
        return None
    cassette = _cassette_of(request)
    variables = _cassette_environment(
        cassette["cassette"], cassette["record_mode"], bool(cassette.get("anonymize"))
    )
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return variables


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
    def pigello_cassette(request: Any) -> dict[str, Any]:
        """The test's cassette as ``Client`` keywords: ``cassette`` (its path),
        ``record_mode`` and, if the marker asks, ``anonymize``."""
        return _cassette_of(request)

    @pytest.fixture
    def pigello_client(request: Any, monkeypatch: Any) -> Iterator[Client]:
        """A client of the test's sandbox, as its first seeded customer; for a
        test marked ``pigello_cassette``, ``Client.from_env()`` on its cassette."""
        if _marked_cassette(request, monkeypatch) is not None:
            client = Client.from_env()
        else:
            client = request.getfixturevalue("pigello_sandbox").client()
        with client:
            yield client

    @pytest.fixture
    def pigello_async_client(request: Any, monkeypatch: Any) -> AsyncClient:
        """An asyncio client (for pytest-asyncio or anyio tests) of the test's
        sandbox, or on its cassette, as ``pigello_client``."""
        if _marked_cassette(request, monkeypatch) is not None:
            return AsyncClient.from_env()
        sandbox: Sandbox = request.getfixturevalue("pigello_sandbox")
        return sandbox.async_client()

    @pytest.fixture
    def pigello_env(request: Any, monkeypatch: Any) -> dict[str, str]:
        """The ``PIGELLO_*`` variables of the test's sandbox (or, for a test
        marked ``pigello_cassette``, of its cassette), set in this process for
        the test, so that the code under test's ``Client.from_env()`` reaches
        it; pass them to a child process with ``env={**os.environ, **pigello_env}``."""
        marked = _marked_cassette(request, monkeypatch)
        if marked is not None:
            return marked
        variables: dict[str, str] = request.getfixturevalue("pigello_sandbox").env()
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return variables
