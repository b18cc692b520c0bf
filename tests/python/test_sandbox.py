"""The sandbox from Python: in-process, reset, state, faults, the fixture."""

import os
import subprocess
import sys

import pigello
import pytest
from pigello.testing import Sandbox


def test_in_process_with_reset_and_state():
    with Sandbox(seed=3, tenants=12) as sb:
        assert sb.url.startswith("http://127.0.0.1:")
        client = sb.client()
        before = sb.export_state()
        client.tenants.create(first_name="Ny")
        assert len(client.tenants.list()) == 13
        sb.reset()
        assert sb.export_state() == before
        sb.import_state(before)
        assert len(client.tenants.list()) == 12


def test_the_same_seed_gives_the_same_world():
    with Sandbox(seed=5, tenants=4) as a, Sandbox(seed=5, tenants=4) as b:
        assert a.export_state() == b.export_state()


def test_stopped_sandbox_refuses_connections():
    sb = Sandbox(tenants=1)
    client = sb.client(max_retries=0)
    sb.stop()
    try:
        client.tenants.list()
    except pigello.APIConnectionError:
        pass
    else:
        raise AssertionError("the stopped sandbox answered")


def test_the_pytest_fixture(pigello_sandbox):
    assert len(pigello_sandbox.client().tenants.list()) == 50


def test_the_installed_wheel_is_what_is_tested():
    assert "site-packages" in pigello.__file__
    assert pigello.__version__ == "0.1.0"


def test_fault_rules_are_read_by_the_sandbox_and_typos_are_refused(sandbox):
    with pytest.raises(ValueError, match="statsu"):
        sandbox.inject_fault("status", statsu=503)
    with pytest.raises(ValueError, match="flood"):
        sandbox.inject_fault("flood")
    with pytest.raises(ValueError, match="between 400 and 599"):
        sandbox.inject_fault("status", status=200)
    sandbox.inject_fault("status", status=503, retry_after=1, count=1, method="GET")
    assert sandbox.fault_hits() == [0]


def test_the_sandbox_defaults_come_from_the_sandbox():
    with Sandbox() as sb:
        assert len(sb.client().tenants.list()) == 50


CREDENTIALS = (
    "CUSTOMER_ID",
    "APPLICATION_ID",
    "SERVICE_ID",
    "SERVICE_VERSION_ID",
    "CLIENT_CT",
    "CLIENT_OBJECT_ID",
    "CLIENT_SECRET",
)


def test_env_makes_a_child_process_from_env_reach_the_sandbox():
    with Sandbox(tenants=4, require_secret="only-this-sandbox") as sb:
        env = sb.env()
        assert list(env) == ["PIGELLO_BASE_URL", *(f"PIGELLO_{n}" for n in CREDENTIALS)]
        assert env["PIGELLO_BASE_URL"] == sb.url
        assert env["PIGELLO_CLIENT_SECRET"] == "only-this-sandbox"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PIGELLO_")}
        code = "import pigello; print(len(pigello.Client.from_env().tenants.list()))"
        child = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert child.stdout.strip() == "4"
        assert len(sb.requests()) == 1
