"""A walk through the Python package against the embedded sandbox: the job
`make demo` runs. Everything talks HTTP to a local Pigello Accounts API started
in this process; nothing leaves the machine.

    make demo        # or, with the package installed: python examples/python/demo.py
"""

from __future__ import annotations

import sys

import pigello
from pigello.testing import Sandbox


def heading(number: int, text: str) -> None:
    print(f"\n{number}. {text}")


def name_of(tenant: pigello.Model) -> str:
    if tenant.corporate_name:
        return tenant.corporate_name
    return f"{tenant.last_name or ''}, {tenant.first_name or ''}".strip(", ")


def table(tenants: list, columns: list[tuple[str, int]]) -> None:
    """Prints rows as an aligned table; a column is (title, width)."""
    print(("   " + "  ".join(f"{title:<{width}}" for title, width in columns)).rstrip())
    print("   " + "  ".join("-" * width for _, width in columns))
    for t in tenants:
        cells = [
            name_of(t),
            t.ssn or "",
            str(t.birth_date or ""),
            t.invoice_email or "",
        ]
        row = "  ".join(f"{cell[:width]:<{width}}" for cell, (_, width) in zip(cells, columns))
        print(("   " + row).rstrip())


COLUMNS = [("name", 26), ("personal/org number", 19), ("born", 10), ("invoice e-mail", 30)]


def main() -> int:
    with Sandbox(seed=1, tenants=120) as sb:
        client = sb.client()
        print(f"A sandbox at {sb.url} with 120 seeded tenants (pigello {pigello.__version__})")

        heading(1, "A page of tenants, ordered by last name")
        page = client.tenants.list(page_size=6, order_by="last_name", statistics=True)
        table(list(page), COLUMNS)
        print(f"   page {page.page} of {page.total} tenants, {page.page_size} a page")

        heading(2, "Filters: people whose last name does not start with A, youngest first")
        people = client.tenants.list(
            page_size=4,
            order_by="-birth_date",
            ssn__isnull=False,
            last_name__istartswith__not="a",  # `__not` is the API's `!`
            statistics=True,
        )
        table(list(people), COLUMNS)
        print(f"   {people.total} match")

        heading(3, "Create a protected identity for a tenant")
        tenant = client.tenants.create(first_name="Maja", last_name="Ek", ssn="19811218-9876")
        identity = client.protected_identities.create(
            tenant=tenant, first_name="Maja", last_name="Ek", ssn="19811218-9876"
        )
        print(f"   tenant   {tenant.id}  {name_of(tenant)}")
        print(f"   identity {identity.id}  for tenant {identity.tenant['id']}")

        heading(4, "A client-side validation error (nothing is sent)")
        try:
            client.protected_identities.create(
                tenant=tenant, sub_tenant=page[0].id, ssn="19811218-9875"
            )
        except pigello.ValidationError as error:
            for issue in error.errors:
                print(f"   {issue.path:<11} {issue.rule:<18} {issue.message}")

        heading(5, "Update, then delete")
        updated = client.protected_identities.update(identity, first_name="Majken")
        print(f"   first_name is now {updated.first_name!r}")
        client.protected_identities.delete(identity)
        try:
            client.protected_identities.get(identity.id)
        except pigello.NotFoundError as error:
            print(f"   deleted: a get now answers {error.status} (request {error.request_id})")

        heading(6, "Every tenant, page by page, into pandas")
        sys.stdout.flush()  # the progress bar goes to stderr
        frame = client.tenants.to_pandas(page_size=25, progress=True)
        kind = frame["ssn"].isna().map({True: "company", False: "person"})
        summary = (
            frame.assign(kind=kind)
            .groupby("kind")
            .agg(
                tenants=("id", "count"),
                with_email=("invoice_email", "count"),
                oldest=("birth_date", "min"),
            )
        )
        summary["oldest"] = summary["oldest"].dt.date.astype("string").fillna("-")
        print("   " + summary.to_string().replace("\n", "\n   "))
        print(f"   {len(frame)} tenants, {frame.shape[1]} columns")
    print(NEXT)
    return 0


NEXT = """
That sandbox ran inside this Python process, and stopped with it: nothing was
sent to Pigello, and nothing of it is left. To go on:
   python examples/python/quickstart.py   the same calls; with the PIGELLO_*
                                          credentials set, against your account
   make sandbox                           a sandbox on a port, until Ctrl-C
   make docs                              the references and the guides,
                                          in target/site/index.html"""


if __name__ == "__main__":
    raise SystemExit(main())
