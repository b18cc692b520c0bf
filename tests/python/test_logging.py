"""Each call logs to the standard logger `pigello` (method, path, the query
with personal values redacted, status, attempt, elapsed time, request id,
retry waits), and no line ever holds a credential or personal data."""

import logging
import os
import subprocess
import sys

import pigello
import pytest
from pigello.testing import Sandbox

SSN = "19811218-9876"
EMAIL = "anna.marker@example.se"
PHONE = "+46701234567"
SECRET = "sandbox-secret"  # the sandbox's client secret


def calls(sandbox: Sandbox, client: pigello.Client) -> None:
    """Calls that carry personal data every way a call can: filters, search,
    a body, an error the server answers, retries."""
    client.tenants.list(ssn=SSN, search=EMAIL, order_by="-birth_date")
    created = client.tenants.create(first_name="Anna", ssn=SSN, invoice_email=EMAIL)
    client.tenants.update(created.id, extra_body={"phone_number": PHONE})
    with pytest.raises(pigello.NotFoundError):
        client.tenants.get("497f6eca-6276-4993-bfeb-53cbbbba6f08")
    sandbox.inject_fault("status", method="GET", status=503, count=1)
    client.tenants.list(invoice_email=EMAIL)


def test_every_call_is_logged_with_what_it_did_and_nothing_personal(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    client = sandbox.client(max_retries=1)
    with caplog.at_level(logging.DEBUG, logger="pigello"):
        calls(sandbox, client)
    lines = [r.getMessage() for r in caplog.records if r.name == "pigello"]
    answered = [line for line in lines if line.startswith("answered")]
    assert any(
        "method=GET" in line
        and "path=/accounts/users/customer/tenant/list/" in line
        and "status=200" in line
        and "request_id=req_" in line
        and "elapsed_ms=" in line
        and "attempt=1" in line
        for line in answered
    ), lines
    assert any("query=ssn=<redacted>&" in line and "_search=<redacted>" in line for line in lines)
    assert any("status=404" in line for line in answered), lines
    assert any(line.startswith("retrying") and "wait_ms=" in line for line in lines), lines
    for line in lines:
        for secret in [SSN, EMAIL, PHONE, SECRET, "19811218"]:
            assert secret not in line, line


def test_nothing_is_logged_at_the_default_level(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pigello"):
        calls(sandbox, sandbox.client(max_retries=1))
    assert [r for r in caplog.records if r.name == "pigello"] == []


@pytest.mark.parametrize("level", ["info", "debug"])
def test_pigello_log_shows_each_call_on_stderr(level: str) -> None:
    script = (
        "import pigello\n"
        "from pigello.testing import Sandbox\n"
        "with Sandbox(tenants=3) as sb:\n"
        f"    sb.client().tenants.list(ssn={SSN!r}, search={EMAIL!r})\n"
    )
    env = {**os.environ, "PIGELLO_LOG": level}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert "pigello - INFO] answered method=GET path=" in done.stderr, done.stderr
    assert SSN not in done.stderr and EMAIL not in done.stderr


def test_the_level_is_read_again_for_each_call(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    client = sandbox.client()
    with caplog.at_level(logging.WARNING, logger="pigello"):
        client.tenants.list(page_size=1)
    with caplog.at_level(logging.INFO, logger="pigello"):
        client.tenants.list(page_size=2)
    with caplog.at_level(logging.WARNING, logger="pigello"):
        client.tenants.list(page_size=3)
    lines = [r.getMessage() for r in caplog.records if r.name == "pigello"]
    assert len(lines) == 1 and "_page_size=2" in lines[0], lines
