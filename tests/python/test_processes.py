"""Clients and sandboxes across processes: made in a child after fork(), in a
pool of workers (fork and spawn), and the parent's, refused in a child."""

import asyncio
import gc
import multiprocessing
import os
from collections.abc import Callable
from typing import Any

import pigello
import pytest
from forked import forked
from names import client_at
from pigello.testing import Sandbox

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
# Python 3.12+ warns that forking a process with threads is risky; making that
# safe is what these tests check.
forks_threads = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)

# A hang in a child shows as a failure, not a stuck suite.
CHILD_DEADLINE_S = 60


def in_child(work: Callable[[], Any]) -> Any:
    """Runs `work` in a forked child and returns what it returned; what it
    raised, a crash or a hang fails the test."""
    kind, value = forked(work, CHILD_DEADLINE_S)
    if kind != "ok":
        pytest.fail(f"in the child: {kind}: {value}")
    return value


@needs_fork
@forks_threads
def test_a_client_made_in_a_child_works_after_the_parent_used_one(sandbox, client):
    assert len(client.tenants.list(page_size=5)) == 5

    def child() -> tuple[int, int]:
        fresh = client_at(sandbox.url)

        async def listed() -> int:
            return len(await fresh.to_async().tenants.list(page_size=3))

        return len(fresh.tenants.list(page_size=4)), asyncio.run(listed())

    assert in_child(child) == (4, 3)
    # The parent's connections and runtime are untouched by the child.
    assert len(client.tenants.list(page_size=6)) == 6


@needs_fork
@forks_threads
def test_a_child_that_drops_the_parents_client_leaves_the_parent_working(sandbox, client):
    assert len(client.tenants.list(page_size=2)) == 2

    def child() -> str:
        global dropped
        dropped = client
        del dropped
        gc.collect()
        return "dropped"

    assert in_child(child) == "dropped"
    for _ in range(3):
        assert len(client.tenants.list(page_size=2)) == 2


@needs_fork
@forks_threads
def test_a_sandbox_made_in_a_child_works_and_the_parents_keeps_serving(sandbox, client):
    client.tenants.list(page_size=1)

    def child() -> int:
        with Sandbox(seed=2, tenants=5) as own:
            return len(own.client().tenants.list())

    assert in_child(child) == 5
    assert len(client.tenants.list(page_size=3)) == 3


@needs_fork
@forks_threads
def test_the_parents_client_in_a_child_is_a_clear_error_not_a_hang(client):
    client.tenants.list(page_size=1)

    def child() -> str:
        with pytest.raises(pigello.PigelloError) as info:
            client.tenants.list(page_size=1)
        return str(info.value)

    message = in_child(child)
    assert "another process" in message and "fork" in message


def export_page_count(base_url: str) -> int:
    """A pool worker: its own client, a whole export."""
    return len(client_at(base_url).tenants.to_pandas(page_size=7, progress=False))


@pytest.mark.parametrize("method", ["fork", "spawn"])
@forks_threads
def test_a_pool_of_workers_each_with_its_own_client_exports(sandbox, client, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    # The parent has used a client before the workers start.
    assert len(client.tenants.list(page_size=1)) == 1
    context = multiprocessing.get_context(method)
    with context.Pool(2) as pool:
        counts = pool.map_async(export_page_count, [sandbox.url] * 4).get(CHILD_DEADLINE_S)
    assert counts == [30] * 4
