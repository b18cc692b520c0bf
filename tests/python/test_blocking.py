"""How the blocking client runs its calls: on the thread that waits, over
connections of its own, which run only while some thread waits on them."""

import asyncio
import threading
import time

import pigello
import pyarrow
import pytest
from names import client_at
from pigello.testing import Sandbox

LIST = "/accounts/users/customer/tenant/list/"


def test_a_write_after_the_server_closed_the_idle_connection_is_sent_once():
    # The connection the first call left in the pool is closed by the server
    # while nobody waits on the client; the next call must see that before it
    # writes, not send the write into a closed connection. The client never
    # retries, so a read on a closed connection would fail too.
    first = Sandbox(seed=1, tenants=3)
    port = int(first.url.rsplit(":", 1)[1])
    client = client_at(first.url)
    assert len(client.tenants.list(page_size=2)) == 2
    first.stop()
    with Sandbox(seed=1, tenants=3, port=port) as second:
        made = client.tenants.create(first_name="Efter")
        assert client.tenants.get(made.id).first_name == "Efter"
        assert [r["method"] for r in second.requests()] == ["POST", "GET"]
    with Sandbox(seed=1, tenants=3, port=port):
        assert pyarrow.table(client.tenants.to_arrow()).num_rows == 3
    with Sandbox(seed=1, tenants=3, port=port):
        assert sum(batch.num_rows for batch in client.tenants.iter_batches()) == 3


def test_a_thread_waiting_long_does_not_hold_up_the_others(sandbox):
    client = sandbox.client()
    ids = [t.id for t in client.tenants.list(page_size=20)]
    sandbox.inject_fault("latency", method="GET", path=LIST, ms=1_500)
    ended: dict[str, float] = {}

    def slow() -> None:
        client.tenants.list(page_size=1)
        ended["slow"] = time.monotonic()

    waiting = threading.Thread(target=slow)
    waiting.start()
    time.sleep(0.2)  # the slow call is in flight, its thread waiting
    assert [client.tenants.get(id).id for id in ids] == ids
    ended["gets"] = time.monotonic()
    waiting.join()
    assert ended["gets"] < ended["slow"], ended


def test_to_async_and_to_sync_make_clients_with_connections_of_their_own(sandbox):
    blocking = sandbox.client(timeout=12.5)
    assert len(blocking.tenants.list(page_size=2)) == 2  # a connection is open

    async def main() -> int:
        awaitable = blocking.to_async()
        assert (awaitable.timeout, awaitable.is_async) == (12.5, True)
        blocking.close()
        assert not awaitable.is_closed
        page = await awaitable.tenants.list(page_size=3)
        again = awaitable.to_sync()
        assert (again.timeout, again.is_async) == (12.5, False)
        await awaitable.close()
        assert len(again.tenants.list(page_size=1)) == 1
        return len(page)

    assert asyncio.run(main()) == 3
    assert blocking.is_closed
    with pytest.raises(pigello.PigelloError, match="client is closed"):
        blocking.tenants.list(page_size=1)
