"""Writes the fuzz targets' seed corpora (fuzz/seeds/<target>/), checked in:
bodies, items, filters and pages from the conformance cases
(tests/conformance/cases.json), JSON examples from the saved reference pages
(spec/docs-pages), and rows of the sandbox's seeded world (built by the
documented rules). The sandbox_request seeds are a corpus the fuzzer grew and
`make fuzz-merge` minimized, since its input is structured.

    .venv/bin/python fuzz/make_seeds.py
"""

import hashlib
import json
import urllib.parse
from pathlib import Path
from typing import Any

from pigello.testing import Sandbox

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fuzz" / "seeds"
RESOURCES = [
    # In the core's order (pigello::resources::ALL), as the targets index it.
    "Subtenantcontractconnection",
    "Subtenanttenantconnection",
    "Tenant",
    "Organizationuser",
    "Subtenant",
    "Organizationuserworkengagement",
    "Organizationusersegment",
    "Integrationuseragent",
    "Protectedidentity",
    "Workengagement",
]
DECODE_ORDER = [
    # The order of the decode target's match.
    "Tenant",
    "Subtenant",
    "Organizationuser",
    "Organizationusersegment",
    "Organizationuserworkengagement",
    "Workengagement",
    "Integrationuseragent",
    "Protectedidentity",
    "Subtenantcontractconnection",
    "Subtenanttenantconnection",
]
PLURALS = {
    "tenants": "Tenant",
    "subtenants": "Subtenant",
    "organization_users": "Organizationuser",
    "organization_user_segments": "Organizationusersegment",
    "organization_user_work_engagements": "Organizationuserworkengagement",
    "work_engagements": "Workengagement",
    "integration_user_agents": "Integrationuseragent",
    "protected_identities": "Protectedidentity",
    "subtenant_contract_connections": "Subtenantcontractconnection",
    "subtenant_tenant_connections": "Subtenanttenantconnection",
}


def write(target: str, data: bytes) -> None:
    folder = SEEDS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def docs_examples() -> list[Any]:
    """Every JSON object or array the saved reference pages hold."""
    found = []
    decoder = json.JSONDecoder()
    for page in sorted((ROOT / "spec" / "docs-pages").glob("*.txt")):
        text = page.read_text()
        for i, char in enumerate(text):
            if char in "{[":
                try:
                    value, _ = decoder.raw_decode(text[i:])
                except ValueError:
                    continue
                if isinstance(value, (dict, list)) and value:
                    found.append(value)
    return found


def main() -> None:
    cases = json.loads((ROOT / "tests" / "conformance" / "cases.json").read_text())["cases"]
    examples = docs_examples()
    for case in cases:
        call = case["call"]
        resource = call.get("resource")
        if resource not in RESOURCES:
            continue
        index = bytes([RESOURCES.index(resource)])
        if "body" in call:
            mode = b"\x00" if call["op"] == "create" else b"\x01"
            write("validate", index + mode + json.dumps(call["body"]).encode())
        for item in call.get("items") or []:
            write("validate", index + b"\x00" + json.dumps(item).encode())
        if call["op"] == "list":
            pairs = [
                (k, json.dumps(v) if isinstance(v, bool) else v)
                for k, v in (call.get("filters") or {}).items()
            ]
            pairs = [
                (k, ",".join(map(str, v)) if isinstance(v, list) else str(v)) for k, v in pairs
            ]
            write("query", index + urllib.parse.urlencode(pairs).encode())
    for example in examples:
        for i in range(len(RESOURCES)):
            write("validate", bytes([i, 0]) + json.dumps(example).encode())
        write("decode", b"\x00" + json.dumps(example).encode())
    with Sandbox(seed=1, tenants=6) as sb:
        state = sb.export_state()
    for customer in state["customers"].values():
        for plural, rows in customer.items():
            resource = PLURALS.get(plural)
            if resource is None or not rows:
                continue
            page = json.dumps(rows[:3]).encode()
            write("decode", bytes([DECODE_ORDER.index(resource)]) + page)
            write("decode", bytes([DECODE_ORDER.index(resource)]) + json.dumps(rows[0]).encode())
            write("validate", bytes([RESOURCES.index(resource), 0]) + json.dumps(rows[0]).encode())
            if resource == "Tenant":
                write("row_scanner", page)
                write("row_scanner", json.dumps(rows[0]).encode())
    for query in [
        "_page=1&_page_size=5",
        "_order_by=-birth_date,first_name",
        "_search=anna&_slim=true",
        "first_name__icontains=an&ssn__isnull!=true",
        # Found by fuzzing: a date chrono reads but the encoder writes as -0009-12-03.
        "created_at__lt=-009-12-3",
        "birth_date=-009-12-03",
    ]:
        write("query", bytes([RESOURCES.index("Tenant")]) + query.encode())


if __name__ == "__main__":
    main()
