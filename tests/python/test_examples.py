"""The examples, run as a user runs them, so none rots (the notebook is
test_notebook.py's)."""

import pathlib
import subprocess
import sys

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def run(script: str) -> str:
    env_free = {"PATH": "/usr/bin:/bin", "HOME": str(pathlib.Path.home())}
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "python" / script)],
        check=False,
        capture_output=True,
        text=True,
        env=env_free,  # no PIGELLO_* credentials: the examples use the sandbox
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_demo():
    out = run("demo.py")
    for heading in [
        "1. A page of tenants",
        "2. Filters",
        "3. Create a protected identity",
        "4. A client-side validation error",
        "5. Update, then delete",
        "6. Every tenant",
    ]:
        assert heading in out
    assert "cannot_be_set_with" in out and "luhn" in out
    assert "deleted: a get now answers 404" in out
    assert "121 tenants, 28 columns" in out
    # It ends with what happened and what to try next.
    assert "nothing was\nsent to Pigello" in out and "make sandbox" in out


def test_the_quickstarts():
    assert "refused before sending:" in run("quickstart.py")
    out = run("async_quickstart.py")
    assert "fetched 10 tenants concurrently" in out
    assert "a DataFrame of 60 tenants" in out


def test_the_telemetry_example_shows_each_attempt_under_the_callers_span():
    out = run("telemetry.py")
    lines = out.splitlines()
    names = [line.split("  (")[0] for line in lines if "  (span " in line]
    assert names == [
        "GET /accounts/users/customer/tenant/list/",
        "GET /accounts/users/customer/tenant/list/",
        "GET /accounts/users/customer/tenant/{pk}/",
        "nightly export",
    ]
    job = next(line for line in lines if line.startswith("nightly export"))
    job_id = job.split("(span ")[1].split(",")[0]
    assert out.count(f"parent {job_id})") == 3
    assert "http.request.resend_count=1" in out and "error.type=503" in out
    assert "traceparent 00-" in lines[-1] and lines[-1].split("-")[2] in out


def test_the_trace_picture_in_the_guide_is_what_the_example_draws():
    """The guide's picture of an export's trace: the same rows, nested the same
    way, as the example draws them now (only the times differ run to run)."""
    guide = (EXAMPLES.parent / "docs" / "guides" / "telemetry.md").read_text(encoding="utf-8")
    picture = guide.split("### An export, drawn", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]

    def rows(drawn: str) -> list[str]:
        return [line.split("|")[0].rstrip() for line in drawn.splitlines() if "|" in line]

    drawn = rows(run("trace_picture.py"))
    assert drawn == rows(picture)
    assert drawn[1].startswith("  pigello tenants.to_pandas  rows=40")
