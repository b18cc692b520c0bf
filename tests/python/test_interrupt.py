"""Ctrl-C: a real SIGINT during a blocking call or a long export raises
KeyboardInterrupt at once (the request in flight is cancelled), and the client
stays usable. Each case runs in a forked child, whose main thread takes the
signal as a user's script would."""

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import pigello
import pytest
from forked import forked
from names import client_at
from pigello.testing import Sandbox

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
forks_threads = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)

TENANT_LIST = "/accounts/users/customer/tenant/list/"
# Each list request waits this long in the sandbox: a call that was not
# interrupted would take at least this, so ending well before it is the proof.
LATENCY_S = 30
CHILD_DEADLINE_S = 120

CALLS: dict[str, Callable[[Any], Any]] = {
    "get": lambda c: c.tenants.get("497f6eca-6276-4993-bfeb-53cbbbba6f08"),
    "list": lambda c: c.tenants.list(),
    "iterate": lambda c: list(c.tenants.iterate(page_size=5)),
    "to_pandas": lambda c: c.tenants.to_pandas(page_size=5, progress=False),
}


@needs_fork
@forks_threads
@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_sigint_ends_a_blocking_call_at_once_and_the_client_stays_usable(
    sandbox: Sandbox, name: str
) -> None:
    sandbox.inject_fault("latency", path="/accounts/users/customer/tenant/*", ms=LATENCY_S * 1000)

    def child() -> tuple[str, float, int]:
        """What ended the call, after how long, and rows of a call made after it."""
        client = client_at(sandbox.url)
        sent = threading.Event()

        def interrupt() -> None:
            # Once the request is in flight (it waits LATENCY_S in the sandbox).
            time.sleep(0.5)
            sent.set()
            os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        started = time.monotonic()
        try:
            CALLS[name](client)
            outcome = "returned"
        except KeyboardInterrupt:
            outcome = "interrupted" if sent.is_set() else "interrupted early"
        elapsed = time.monotonic() - started
        # The fault delays only tenants: the same client answers the next call.
        return outcome, elapsed, len(client.work_engagements.list(page_size=2))

    outcome, elapsed, after = forked_ok(child)
    assert outcome == "interrupted"
    assert elapsed < LATENCY_S / 2, f"{name} ended after {elapsed:.1f} s: not interrupted"
    assert after == 2


@needs_fork
@forks_threads
def test_a_sigint_during_a_bulk_write_says_which_items_were_written(sandbox: Sandbox) -> None:
    # Ten chunks of 100, each 300 ms in the sandbox; the SIGINT comes during one.
    sandbox.inject_fault("latency", method="POST", path=TENANT_LIST, ms=300)
    items = [{"first_name": f"Bulk{i}"} for i in range(1000)]

    def child() -> tuple[Any, ...]:
        client = client_at(sandbox.url)

        def interrupt() -> None:
            time.sleep(1.0)
            os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        try:
            client.tenants.bulk_write(items)
        except KeyboardInterrupt as interrupted:
            report = interrupted.__context__
            assert isinstance(report, pigello.BulkWriteError), repr(report)
            cause = report.__cause__
            return (
                report.written,
                report.failed,
                report.not_attempted,
                len(report.rows),
                type(cause).__name__,
                report.outcome_unknown,
            )
        return ("returned",)

    written, failed, not_attempted, rows, cause, unknown = forked_ok(child)
    assert written.start == 0 and 100 <= written.stop < 1000 and rows == len(written)
    # The chunk in flight may or may not be stored: the report says so.
    assert (failed, not_attempted) == (
        range(written.stop, written.stop + 100),
        range(failed.stop, 1000),
    )
    assert (cause, unknown) == ("APIUserAbortError", True)
    sandbox.clear_faults()
    stored = sandbox.client().tenants.list(
        first_name__istartswith="Bulk", statistics=True, page_size=1
    )
    assert stored.total is not None and len(written) <= stored.total <= failed.stop


def forked_ok(work: Callable[[], Any]) -> Any:
    def as_a_script_runs() -> Any:
        # A script started from a terminal has Python's SIGINT handler. A test
        # run started in the background inherits SIGINT ignored, and Python
        # then installs none, so the child puts it back.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        return work()

    kind, value = forked(as_a_script_runs, CHILD_DEADLINE_S)
    if kind != "ok":
        pytest.fail(f"in the child: {kind}: {value}")
    return value
