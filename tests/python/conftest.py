"""Every test talks to the core's sandbox, in this process, over HTTP."""

from collections.abc import Iterator

import pytest
from pigello.testing import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seed=1, tenants=30) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox):
    return sandbox.client()
