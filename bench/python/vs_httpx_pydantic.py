"""The Python package beside what a Python user would otherwise write: httpx for
HTTP, pydantic for typed rows, pandas for frames. Both sides talk to the same
in-process sandbox over loopback HTTP, in the same run; each figure is the best
of several rounds, and the ratio is baseline time / package time (above 1: the
package is faster).

    make bench-python            # or: python bench/python/vs_httpx_pydantic.py [tenants] [rounds]
"""

from __future__ import annotations

import datetime
import sys
import time
import uuid
from typing import Callable

import httpx
import pandas as pd
import pydantic
from pigello.testing import Sandbox

LIST = "/accounts/users/customer/tenant/list/"
HEADERS = {
    "X-PIGELLO-CUSTOMER-ID": "00000000-0000-4000-8000-000000000001",
    "X-PIGELLO-APPLICATION-ID": "bench",
    "X-PIGELLO-SERVICE-ID": "bench",
    "X-PIGELLO-SERVICE-VERSION-ID": "bench",
    "X-PIGELLO-CLIENT-CT": "bench",
    "X-PIGELLO-CLIENT-ENTITY": "bench",
    "X-PIGELLO-CLIENT-SECRET": "bench",
}


class Relation(pydantic.BaseModel):
    id: uuid.UUID


class Tenant(pydantic.BaseModel):
    """The model a user would write for the fields they read; the rest kept."""

    model_config = pydantic.ConfigDict(extra="allow")
    id: uuid.UUID
    created_at: datetime.datetime | None = None
    first_name: str | None = None
    last_name: str | None = None
    corporate_name: str | None = None
    ssn: str | None = None
    birth_date: datetime.date | None = None
    active_to: datetime.datetime | None = None
    anonymized: bool | None = None
    current_registered_address: Relation | None = None


TENANTS = pydantic.TypeAdapter(list[Tenant])


def best(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    tenants = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with Sandbox(seed=1, tenants=tenants) as sb:
        client = sb.client()
        http = httpx.Client(base_url=sb.url, headers=HEADERS)

        def page_sdk() -> list:
            return [(t.id, t.first_name, t.birth_date) for t in client.tenants.list(page_size=1000)]

        def page_baseline() -> list:
            answer = http.get(LIST, params={"_page": 1, "_page_size": 1000})
            answer.raise_for_status()
            return [
                (t.id, t.first_name, t.birth_date) for t in TENANTS.validate_json(answer.content)
            ]

        def frame_sdk() -> pd.DataFrame:
            return client.tenants.to_pandas(page_size=1000, progress=False)

        def frame_baseline() -> pd.DataFrame:
            rows: list = []
            page = 1
            while True:
                params = {"_page": page, "_page_size": 1000, "_order_by": "id"}
                answer = http.get(LIST, params=params)
                answer.raise_for_status()
                batch = TENANTS.validate_json(answer.content)
                rows.extend(t.model_dump() for t in batch)
                if len(batch) < 1000:
                    break
                page += 1
            return pd.DataFrame(rows)

        assert len(page_sdk()) == len(page_baseline()) == min(1000, tenants + 2)
        assert len(frame_sdk()) == len(frame_baseline())
        cases = [
            ("one page of 1000 tenants, 3 fields read", page_sdk, page_baseline),
            (f"every tenant ({len(frame_sdk())}) as a DataFrame", frame_sdk, frame_baseline),
        ]
        print(
            f"pigello {__import__('pigello').__version__}, httpx {httpx.__version__}, "
            f"pydantic {pydantic.VERSION}, pandas {pd.__version__}; best of {rounds}"
        )
        print(f"{'case':<44} {'pigello':>10} {'httpx+pydantic':>15} {'ratio':>7}")
        for name, sdk, baseline in cases:
            a, b = best(rounds, sdk), best(rounds, baseline)
            print(f"{name:<44} {a * 1000:>8.1f}ms {b * 1000:>13.1f}ms {b / a:>6.2f}x")


if __name__ == "__main__":
    main()
