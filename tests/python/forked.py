"""Running a piece of a test in a forked child, so that a crash or a hang in it
shows as a failure of the test rather than the end of the suite."""

import os
import pickle
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest


def forked(work: Callable[[], Any], deadline_s: float) -> tuple[str, Any]:
    """Runs `work` in a forked child: ("ok", what it returned), or the class
    name of what it raised (a Rust panic included) and its str, repr and args.
    A child that dies, exits without a result or outlives `deadline_s` fails
    the test."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            result: tuple[str, Any] = ("ok", work())
        except BaseException as e:  # noqa: BLE001 (everything must reach the parent)
            result = (type(e).__name__, f"{e}|{e!r}|{e.args!r}")
        os.write(write, pickle.dumps(result))
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + deadline_s
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child hung for {deadline_s} s")
        time.sleep(0.01)
    if os.WIFSIGNALED(status):
        pytest.fail(f"the child died by signal {os.WTERMSIG(status)}")
    assert os.WEXITSTATUS(status) == 0, f"the child died: {status}"
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    assert data, f"the child exited ({status}) without a result"
    outcome: tuple[str, Any] = pickle.loads(data)
    return outcome
