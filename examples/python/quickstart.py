"""Quickstart, blocking: a get, a filtered list, and a create refused before it
is sent. Against the API when the PIGELLO_* credentials are set (it only reads
there: the create is refused client-side); else against the in-process sandbox.

    python examples/python/quickstart.py
"""

from __future__ import annotations

import contextlib
import os

import pigello
from pigello.testing import Sandbox


def run(client: pigello.Client) -> None:
    page = client.tenants.list(page_size=5, order_by="-birth_date", ssn__isnull=False)
    for tenant in page:
        print(f"{tenant.id}  {tenant.first_name} {tenant.last_name}  born {tenant.birth_date}")

    first = client.tenants.get(page[0].id)
    print(f"got {first!r}: {first.first_name}, invoices to {first.invoice_email}")

    try:
        client.protected_identities.create(tenant=first, ssn="19811218-9875")
    except pigello.ValidationError as error:
        print("refused before sending:")
        for issue in error.errors:
            print(f"  {issue}")


def main() -> None:
    with contextlib.ExitStack() as stack:
        if os.environ.get("PIGELLO_CUSTOMER_ID"):
            client = stack.enter_context(pigello.Client.from_env())
        else:
            client = stack.enter_context(Sandbox(seed=1, tenants=20)).client()
        run(client)


if __name__ == "__main__":
    main()
