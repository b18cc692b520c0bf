"""Testing against a local Pigello: the core's sandbox, in this process.

    from pigello.testing import Sandbox

    with Sandbox(seed=1, tenants=120) as sb:
        client = sb.client()
        sb.inject_fault("status", status=503, count=1)

In a pytest suite, ``pytest_plugins = ["pigello.testing"]`` provides the
``pigello_sandbox`` fixture (one sandbox per test, stopped afterwards).
"""

from collections.abc import Iterator

from ._native import Sandbox

__all__ = ["Sandbox", "pigello_sandbox"]

try:
    import pytest
except ImportError:  # pytest is optional
    pytest = None

if pytest is not None:

    @pytest.fixture
    def pigello_sandbox() -> Iterator[Sandbox]:
        """A fresh sandbox, with the sandbox's default seed and tenants, for one test."""
        with Sandbox() as sandbox:
            yield sandbox
