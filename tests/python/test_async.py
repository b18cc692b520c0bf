"""The asyncio client, and the blocking client inside a running event loop."""

import asyncio
import threading
import time

import pigello
import pytest
from names import RESOURCES


def test_every_method_is_awaitable(sandbox):
    async def main():
        async with sandbox.async_client() as client:
            assert isinstance(client, pigello.AsyncClient)
            page = await client.tenants.list(page_size=5)
            assert len(page) == 5
            tenant = await client.tenants.get(page[0].id)
            assert tenant == page[0]
            created = await client.tenants.create(first_name="Asynk")
            updated = await client.tenants.update(created.id, last_name="Berg")
            assert updated.last_name == "Berg"
            rows = await client.tenants.bulk_write([{"first_name": "A"}, {"first_name": "B"}])
            assert len(rows) == 2
            assert await client.tenants.delete(created.id) is None
            assert await client.tenants.invite(email="x@example.se") is None
            seen = [t async for t in client.tenants.iterate(page_size=4)]
            assert len(seen) == 32
            many = await asyncio.gather(*(client.tenants.get(t.id) for t in seen))
            assert many == seen
            with pytest.raises(pigello.NotFoundError):
                await client.tenants.get(created.id)
            with pytest.raises(pigello.ValidationError):
                await client.tenants.create(first_name=5)

    asyncio.run(main())


def test_the_blocking_client_works_inside_a_running_loop(client):
    async def cell():
        # As in a Jupyter cell: a loop is running, and a blocking call is made.
        return client.tenants.list(page_size=3)

    assert len(asyncio.run(cell())) == 3


def test_async_client_from_a_blocking_one(client):
    async def main():
        return await client.to_async().tenants.list(page_size=2)

    assert len(asyncio.run(main())) == 2


@pytest.mark.parametrize("name", RESOURCES)
def test_every_resource_async(sandbox, name):
    async def main():
        client = sandbox.async_client()
        resource = getattr(client, name)
        page = await resource.list(page_size=2)
        first = await resource.get(page[0].id)
        assert first == page[0]
        field = "anonymization_name" if name == "tenants" else "custom_id"
        updated = await resource.update(first, **{field: "Asynk"})
        assert getattr(updated, field) == "Asynk"
        written = await resource.bulk_write([{"id": str(first.id), field: "Bulk"}])
        assert getattr(written[0], field) == "Bulk"
        rows = [row async for row in resource.iterate(page_size=3)]
        assert len({r.id for r in rows}) == len(rows) == len(await resource.list())
        if name == "work_engagements":
            made = await resource.create(name="Tillfällig")
            assert await resource.delete(made) is None

    asyncio.run(main())


def test_the_clients_are_siblings(sandbox):
    blocking, awaitable = sandbox.client(), sandbox.async_client()
    assert not isinstance(awaitable, pigello.Client)
    assert not isinstance(blocking, pigello.AsyncClient)
    assert isinstance(blocking.tenants, pigello.Resource)
    assert isinstance(awaitable.tenants, pigello.AsyncResource)
    assert isinstance(awaitable.to_sync(), pigello.Client)
    assert (blocking.is_async, awaitable.is_async) == (False, True)


def test_async_methods_are_lazy_coroutines(sandbox):
    async def main():
        client = sandbox.async_client()
        before = len(await client.work_engagements.list())
        pending = client.work_engagements.create(name="Aldrig")
        assert asyncio.iscoroutine(pending)
        await asyncio.sleep(0.05)  # had it started, the create would be stored by now
        assert len(await client.work_engagements.list()) == before
        pending.close()
        first = (await client.tenants.list(page_size=3)).to_list()
        tasks = [asyncio.create_task(client.tenants.get(t.id)) for t in first]
        assert await asyncio.gather(*tasks) == first
        if hasattr(asyncio, "TaskGroup"):
            async with asyncio.TaskGroup() as group:
                grouped = [group.create_task(client.tenants.get(t.id)) for t in first]
            assert [task.result() for task in grouped] == first

    asyncio.run(main())


def test_a_forgotten_await_sends_nothing_and_python_warns(sandbox):
    client = sandbox.async_client()
    before = len(sandbox.client().work_engagements.list())
    with pytest.warns(RuntimeWarning, match="never awaited"):
        client.work_engagements.create(name="Glömd")  # dropped at once, never awaited
    assert len(sandbox.client().work_engagements.list()) == before


def test_a_cancelled_call_stops_waiting_and_the_client_goes_on(sandbox):
    async def main():
        client = sandbox.async_client()
        sandbox.inject_fault("latency", method="GET", ms=3_000, count=1)
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.tenants.list(page_size=2), 0.2)
        waited = time.monotonic() - started
        assert waited < 2.5, f"the cancelled call waited {waited:.1f} s, as long as the sandbox"
        assert len(await client.tenants.list(page_size=2)) == 2

    asyncio.run(main())


class _LoopWithoutReaders(asyncio.SelectorEventLoop):
    """A loop that cannot watch a socket, as Windows' proactor loop."""

    def add_reader(self, *args: object) -> None:
        raise NotImplementedError


def test_a_loop_that_cannot_watch_a_socket_gets_its_answers_too(sandbox):
    async def main():
        client = sandbox.async_client()
        page = await client.tenants.list(page_size=4)
        assert await asyncio.gather(*(client.tenants.get(t.id) for t in page)) == page.to_list()
        with pytest.raises(pigello.NotFoundError):
            await client.tenants.get("497f6eca-6276-4993-bfeb-53cbbbba6f08")

    event_loop = _LoopWithoutReaders()
    try:
        event_loop.run_until_complete(main())
    finally:
        event_loop.close()


def test_loops_in_two_threads_share_one_async_client(sandbox):
    client = sandbox.async_client()
    ids = [t.id for t in sandbox.client().tenants.list(page_size=30)]
    got: dict[int, list] = {}

    def run(n: int) -> None:
        async def main():
            return [t.id for t in await asyncio.gather(*(client.tenants.get(id) for id in ids))]

        got[n] = asyncio.run(main())

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == {0: ids, 1: ids}


def test_cancelling_a_write_aborts_it_before_the_sandbox_stores_it(sandbox):
    async def main():
        client = sandbox.async_client()
        sandbox.inject_fault("latency", method="POST", ms=1_000, count=1)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.work_engagements.create(name="Avbruten"), 0.2)
        await asyncio.sleep(1.5)  # past the latency: a write still in flight would be stored by now
        names = [w.name for w in await client.work_engagements.list(page_size=500)]
        assert "Avbruten" not in names

    asyncio.run(main())
