"""The pytest plugin, as a user's suite meets it: each case writes a small test
project and runs pytest on it in a child process, with the installed wheel."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# What the users' tests below see of a sandbox's tenants, by default and marked.
USES_EVERY_FIXTURE = """
import os, subprocess, sys
import pytest

def test_client(pigello_client, pigello_sandbox):
    assert len(pigello_client.tenants.list()) == 50
    assert pigello_sandbox.requests()[-1]["path"].endswith("/tenant/list/")

@pytest.mark.pigello(seed=3, tenants=7)
def test_marked(pigello_client):
    assert len(pigello_client.tenants.list()) == 7

@pytest.mark.pigello(tenants=4)
class TestMarkedClass:
    @pytest.mark.pigello(tenants=2)
    def test_the_closest_marker_wins(self, pigello_client):
        assert len(pigello_client.tenants.list()) == 2

def test_a_fault_through_the_fixture(pigello_sandbox, pigello_client):
    import pigello
    pigello_sandbox.inject_fault("status", status=500)
    with pytest.raises(pigello.InternalServerError):
        pigello_client.with_options(max_retries=0).tenants.list()
    assert pigello_sandbox.fault_hits() == [1]

def test_the_env_reaches_the_sandbox_in_a_child_process(pigello_env):
    code = "import pigello; print(len(pigello.Client.from_env().tenants.list()))"
    child = subprocess.run([sys.executable, "-c", code], env={**os.environ, **pigello_env},
                           capture_output=True, text=True)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "50"

def test_the_env_reaches_the_sandbox_in_this_process(pigello_env, pigello_sandbox):
    import pigello
    assert os.environ["PIGELLO_BASE_URL"] == pigello_sandbox.url
    assert len(pigello.Client.from_env().tenants.list()) == 50

@pytest.mark.asyncio
async def test_async_with_pytest_asyncio(pigello_async_client):
    assert len(await pigello_async_client.tenants.list()) == 50

@pytest.mark.anyio
async def test_async_with_anyio(pigello_async_client):
    assert len(await pigello_async_client.tenants.list()) == 50

def test_nothing_heavy_was_loaded():
    heavy = {"pandas", "pyarrow", "polars", "numpy", "opentelemetry"}
    assert heavy.isdisjoint(name.split(".")[0] for name in sys.modules)
"""
EVERY_FIXTURE_PASSES = 9

# Each test records the sandbox it saw, then changes its state.
SHARES = """
import os, pytest

def record(sandbox, client):
    seen = (os.environ.get("PYTEST_XDIST_WORKER", "main"), sandbox.url, len(client.tenants.list()))
    with open(os.environ["SEEN_FILE"], "a") as out:
        out.write(" ".join(map(str, seen)) + "\\n")
    client.tenants.create(first_name="Ny")
    sandbox.inject_fault("status", status=503)

@pytest.mark.parametrize("n", range(4))
def test_one(pigello_sandbox, pigello_client, n):
    record(pigello_sandbox, pigello_client)

@pytest.mark.pigello(tenants=5)
def test_marked(pigello_sandbox, pigello_client):
    record(pigello_sandbox, pigello_client)
"""


def pytest_run(
    project: Path, *args: str, files: dict[str, str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """pytest, in a child process, on a project of `files` with no conftest of ours."""
    project.mkdir(exist_ok=True)
    for name, text in {"pytest.ini": "[pytest]\n", **files}.items():
        (project / name).write_text(text)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PIGELLO_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        check=False,
        cwd=project,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def passed(run: subprocess.CompletedProcess[str]) -> int:
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    found = re.search(r"(\d+) passed", run.stdout)
    assert found, run.stdout
    return int(found.group(1))


ASYNC_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


# The async fixture is tried with both async plugins, the session scope with xdist.
needs_async_plugins = pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("pytest_asyncio", "anyio")),
    reason="pytest-asyncio and anyio are not installed",
)
needs_xdist = pytest.mark.skipif(
    importlib.util.find_spec("xdist") is None, reason="pytest-xdist is not installed"
)


@needs_async_plugins
def test_every_fixture_is_there_without_a_plugins_line(tmp_path: Path) -> None:
    run = pytest_run(tmp_path, files={"test_app.py": USES_EVERY_FIXTURE, "pytest.ini": ASYNC_INI})
    assert passed(run) == EVERY_FIXTURE_PASSES


@needs_async_plugins
@pytest.mark.parametrize(
    "how",
    ["command line", "conftest", "addopts and conftest"],
)
def test_naming_the_plugin_again_loads_it_once(tmp_path: Path, how: str) -> None:
    files = {"test_app.py": USES_EVERY_FIXTURE, "pytest.ini": ASYNC_INI}
    args: list[str] = []
    if how == "command line":
        args = ["-p", "pigello.testing"]
    else:
        files["conftest.py"] = 'pytest_plugins = ["pigello.testing"]\n'
    if how == "addopts and conftest":
        files["pytest.ini"] = ASYNC_INI + "addopts = -p pigello.testing\n"
    files["test_once.py"] = (
        "import pigello.testing\n"
        "def test_registered_once(request):\n"
        "    plugins = request.config.pluginmanager.get_plugins()\n"
        "    assert sum(p is pigello.testing for p in plugins) == 1\n"
    )
    assert passed(pytest_run(tmp_path, *args, files=files)) == EVERY_FIXTURE_PASSES + 1


def test_it_can_be_turned_off(tmp_path: Path) -> None:
    run = pytest_run(
        tmp_path, "-p", "no:pigello.testing", files={"test_app.py": USES_EVERY_FIXTURE}
    )
    assert run.returncode != 0
    assert "fixture 'pigello_client' not found" in run.stdout


def seen(path: Path) -> list[tuple[str, str, int]]:
    rows = [line.split() for line in path.read_text().splitlines()]
    return [(worker, url, int(count)) for worker, url, count in rows]


@pytest.mark.parametrize("where", ["option", "ini"])
def test_a_session_sandbox_is_shared_and_reset_before_each_test(tmp_path: Path, where: str) -> None:
    seen_file = tmp_path / "seen.txt"
    files = {"test_shares.py": SHARES}
    args: list[str] = []
    if where == "option":
        args = ["--pigello-sandbox-scope=session"]
    else:
        files["pytest.ini"] = "[pytest]\npigello_sandbox_scope = session\n"
    run = pytest_run(tmp_path / "project", *args, files=files, env={"SEEN_FILE": str(seen_file)})
    assert passed(run) == 5
    rows = seen(seen_file)
    unmarked = [row for row in rows if row[2] != 5]
    # One sandbox for the unmarked tests, each seeing the seeded 50 tenants
    # and no fault (the one before created a tenant and added a fault).
    assert {url for _, url, _ in unmarked} == {unmarked[0][1]}
    assert [count for _, _, count in unmarked] == [50] * 4
    marked = [row for row in rows if row[2] == 5]
    assert len(marked) == 1 and marked[0][1] != unmarked[0][1]


def test_by_default_each_test_has_its_own_sandbox(tmp_path: Path) -> None:
    seen_file = tmp_path / "seen.txt"
    run = pytest_run(
        tmp_path / "project", files={"test_shares.py": SHARES}, env={"SEEN_FILE": str(seen_file)}
    )
    assert passed(run) == 5
    urls = [url for _, url, _ in seen(seen_file)]
    assert len(set(urls)) == 5


@needs_xdist
def test_each_xdist_worker_has_its_own_session_sandbox(tmp_path: Path) -> None:
    seen_file = tmp_path / "seen.txt"
    run = pytest_run(
        tmp_path / "project",
        "-n",
        "2",
        "--pigello-sandbox-scope=session",
        files={"test_shares.py": SHARES},
        env={"SEEN_FILE": str(seen_file)},
    )
    assert passed(run) == 5
    by_worker: dict[str, set[str]] = {}
    for worker, url, count in seen(seen_file):
        if count == 50:
            by_worker.setdefault(worker, set()).add(url)
    assert len(by_worker) == 2, by_worker
    assert all(len(urls) == 1 for urls in by_worker.values())
    first, second = by_worker.values()
    assert first != second


def test_a_wrong_scope_or_marker_says_what_to_write(tmp_path: Path) -> None:
    run = pytest_run(
        tmp_path / "scope",
        files={
            "test_app.py": USES_EVERY_FIXTURE,
            "pytest.ini": "[pytest]\npigello_sandbox_scope = module\n",
        },
    )
    assert run.returncode != 0
    assert "pigello_sandbox_scope = 'module': use one of function, session" in run.stderr
    run = pytest_run(
        tmp_path / "marker",
        files={
            "test_app.py": "import pytest\n@pytest.mark.pigello(7)\n"
            "def test_it(pigello_sandbox):\n    pass\n"
        },
    )
    assert "@pytest.mark.pigello(seed=7, tenants=20)" in run.stdout
    run = pytest_run(
        tmp_path / "option",
        files={
            "test_app.py": "import pytest\n@pytest.mark.pigello(tenant=7)\n"
            "def test_it(pigello_sandbox):\n    pass\n"
        },
    )
    assert 'unexpected keyword argument "tenant"; did you mean tenants?' in run.stdout
    run = pytest_run(
        tmp_path / "cassette",
        files={
            "test_app.py": "import pytest\n@pytest.mark.pigello_cassette(recordmode='all')\n"
            "def test_it(pigello_client):\n    pass\n"
        },
    )
    assert "takes path=, record_mode=, anonymize=, not recordmode" in run.stdout, run.stdout


RECORDED = """
import pytest
import pigello

@pytest.mark.pigello_cassette
def test_the_client(pigello_client):
    assert len(pigello_client.tenants.list(page_size=3)) == 3

@pytest.mark.pigello_cassette
class TestApp:
    def test_the_app_from_env(self, pigello_env):
        assert len(pigello.Client.from_env().tenants.list(page_size=2)) == 2
"""
# The async client on a cassette, where pytest-asyncio is installed.
RECORDED_ASYNC = """
@pytest.mark.pigello_cassette
@pytest.mark.asyncio
async def test_async(pigello_async_client):
    assert len(await pigello_async_client.tenants.list(page_size=4)) == 4
"""


def test_a_marked_test_records_once_and_replays_without_the_api(tmp_path: Path) -> None:
    from pigello.testing import Sandbox

    with_async = importlib.util.find_spec("pytest_asyncio") is not None
    tests = RECORDED + (RECORDED_ASYNC if with_async else "")
    count = 3 if with_async else 2
    project = tmp_path / "project"
    files = {"test_app.py": tests, "pytest.ini": ASYNC_INI if with_async else "[pytest]\n"}
    with Sandbox(tenants=10) as api:  # the API the cassettes are recorded against
        recording = pytest_run(project, "--pigello-record-mode=once", files=files, env=api.env())
        assert passed(recording) == count
        assert len(api.requests()) == count
        secret = api.env()["PIGELLO_CLIENT_SECRET"]
    cassettes = sorted(str(p.relative_to(project)) for p in project.rglob("*.jsonl"))
    expected = [
        "cassettes/test_app/TestApp.test_the_app_from_env.jsonl",
        "cassettes/test_app/test_async.jsonl",
        "cassettes/test_app/test_the_client.jsonl",
    ]
    assert cassettes == [name for name in expected if with_async or "async" not in name]
    for cassette in cassettes:
        assert secret not in (project / cassette).read_text()
    # The API is gone and no credential is set: the default mode replays.
    assert passed(pytest_run(project, files=files)) == count
    # A call the cassette does not hold fails the test, naming the request.
    changed = {**files, "test_app.py": tests.replace("page_size=3", "page_size=5")}
    failing = pytest_run(project, files=changed)
    assert failing.returncode == 1
    assert "CassetteError: GET /accounts/users/customer/tenant/list/: cassette " in failing.stdout
    assert f"1 failed, {count - 1} passed" in failing.stdout
