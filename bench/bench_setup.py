#!/usr/bin/env python
"""The bench database and its personas, shared by the benchmarks in bench/.

    nice -n 10 .venv/bin/python bench/bench_setup.py --db sqlite --incidents 1000000

loads the fictional incidents only (the long part), so that the benchmark itself can run
later, at normal priority. `bench_core.py` calls `ensure_loaded` too, which does nothing
when the database already holds N incidents.

The incidents are the demo loader's (beyondreach.demo, bulk mode: the same rows, sealed
values, blind name index and first versions as the services write). Each load appends
one line to bench/out/loads.jsonl: database, incidents before and after, workers, seconds.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
CASE_WORKER, ANALYST = "demo_caseworker", "demo_analyst"


def ensure_loaded(n: int, seed: int, workers: int = 0) -> None:
    """Make the bench database hold at least `n` incidents, loading only the difference.

    A top-up is planned with the seed shifted by the incidents already there, so that the
    new incidents are not copies of the first ones (the planner is deterministic).
    """
    from django.db import connection

    from beyondreach.cases.models import Incident
    from beyondreach.demo.generate import demo_load, demo_orgs

    have = Incident.objects.count()
    if have >= n:
        demo_orgs()  # the personas, if an earlier run stopped before making them
        print(f"bench database: {have:,} incidents already loaded", file=sys.stderr)
        return
    started = time.monotonic()
    demo_load(
        incidents=n - have,
        if_empty=False,
        seed=seed + have,
        mode="bulk",
        workers=workers,
        progress=_Progress(have, n, started),
    )
    seconds = time.monotonic() - started
    settle()
    settled = time.monotonic() - started - seconds
    print(
        f"bench database: loaded {n - have:,} incidents in {seconds:,.0f} s "
        f"({(n - have) / seconds:,.0f}/s)",
        file=sys.stderr,
    )
    record = {
        "db": connection.vendor,
        "from": have,
        "to": n,
        "workers": workers or "auto",
        "seconds": round(seconds),
        "vacuum_seconds": round(settled),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "nproc": os.cpu_count(),
    }
    with (OUT / "loads.jsonl").open("a") as log:
        log.write(json.dumps(record) + "\n")


def settle() -> None:
    """VACUUM ANALYZE on PostgreSQL, as autovacuum would do some time after a large load.

    Until then the visibility map is empty, so every index-only scan still reads the table
    ("Heap Fetches" in EXPLAIN ANALYZE) and the first reads also set hint bits: a benchmark
    would time the aftermath of the load rather than the steady state.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


class _Progress:
    """Prints the load's progress about every 30 seconds."""

    def __init__(self, have: int, n: int, started: float) -> None:
        self.have, self.n, self.started, self.last = have, n, started, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 30 and done < total:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        print(
            f"  {self.have + done:,}/{self.n:,} incidents ({rate:,.0f}/s)",
            file=sys.stderr,
            flush=True,
        )


def personas_for_bench() -> tuple[Any, dict[str, str], int]:
    """A logged-in, two-factor-verified case worker's test client, an analyst's API token
    header and the demo organisation's id."""
    from django.test import Client

    from beyondreach.core.models import User
    from beyondreach.core.services import api_token_create

    case_worker = User.objects.select_related("organisation").get(username=CASE_WORKER)
    analyst = User.objects.get(username=ANALYST)
    assert case_worker.organisation_id == analyst.organisation_id
    token = api_token_create(user=analyst, label="bench")
    return (
        _verified_client(case_worker, Client),
        {"Authorization": f"Bearer {token}"},
        int(case_worker.organisation_id or 0),
    )


def _verified_client(user: Any, client_class: Any) -> Any:
    """As tests/conftest.py's verified_client: logged in, past two-factor authentication."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from beyondreach.core.middleware import SESSION_STARTED

    client = client_class()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED] = time.time()
    if user.needs_2fa:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    import argparse

    from bench_core import configure

    parser = argparse.ArgumentParser(description="Load the bench database only.")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=0, help="0: the demo loader's default")
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="as bench_core's")
    parser.add_argument(
        "--name",
        default="bench",
        help="the database: bench/out/NAME.sqlite3 or tnr_NAME (one per scale, e.g. bench_10k)",
    )
    args = parser.parse_args()
    configure(args.db, args.src, args.name)
    ensure_loaded(args.incidents, args.seed, args.workers)
    settle()  # also after a load that was interrupted


if __name__ == "__main__":
    main()
