#!/usr/bin/env python
"""Benchmark of the core's read paths at scale, each beside the same query as raw SQL.

    .venv/bin/python bench/bench_core.py --db sqlite --incidents 1000000
    .venv/bin/python bench/bench_core.py --db postgres --incidents 1000000

It loads N fictional incidents once (the database is kept in bench/out/ or the PostgreSQL
database `tnr_bench`, and topped up when N grows), then times, in one run and one process:

- the filtered incident list page (HTML, case worker, with the audit write it makes),
- the API incident list (JSON, analyst token),
- an incident detail page (HTML, case worker, audited view),

through Django's full request stack (middleware, sessions, ORM, decryption, templates) with
the test client, and beside each the raw SQL that fetches the same rows. It prints p50 and
p95 in milliseconds and the ratio to raw SQL. Figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def configure(db: str) -> None:
    OUT.mkdir(exist_ok=True)
    sys.path.insert(0, str(HERE.parent / "src"))
    key_file = OUT / "master.key"
    if not key_file.exists():
        import base64
        import secrets

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    os.environ["TNRWATCH_MASTER_KEY_FILE"] = str(key_file)
    os.environ["TNRWATCH_DATABASE_URL"] = (
        f"sqlite:///{OUT / 'bench.sqlite3'}"
        if db == "sqlite"
        else "postgres://postgres@127.0.0.1:5432/tnr_bench"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "tnrwatch.settings"
    if db == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname='tnr_bench'").fetchone():
                conn.execute("CREATE DATABASE tnr_bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    fn()  # warm caches the way a running server has them
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    configure(args.db)
    from bench_setup import ensure_loaded, personas_for_bench

    ensure_loaded(args.incidents, args.seed)
    run(args, *personas_for_bench())


def run(
    args: argparse.Namespace, case_worker_client: object, api_headers: dict[str, str], org_id: int
) -> None:
    from django.db import connection

    from tnrwatch.cases.models import Incident

    rng = random.Random(args.seed)
    filters = [
        ("CN", "interpol_abuse"),
        ("TR", "host_detention"),
        ("RU", "assassination"),
        ("TJ", "family_coercion"),
        ("EG", "unlawful_deportation"),
        ("IR", "spyware"),
    ]
    uuids = (
        [
            str(u)
            for u in Incident.objects.filter(organisation_id=org_id)
            .order_by("?")
            .values_list("uuid", flat=True)[:500]
        ]
        if args.db == "postgres"
        else [
            str(u)
            for u in Incident.objects.filter(
                organisation_id=org_id, id__in=[rng.randint(1, args.incidents) for _ in range(600)]
            ).values_list("uuid", flat=True)[:500]
        ]
    )
    client = case_worker_client

    def pick_filter() -> tuple[str, str]:
        return filters[rng.randrange(len(filters))]

    def list_page() -> None:
        origin, tactic = pick_filter()
        r = client.get(f"/incidents/?origin={origin}&tactic={tactic}")  # type: ignore[attr-defined]
        assert r.status_code == 200, r.status_code

    def api_list() -> None:
        origin, tactic = pick_filter()
        r = client.get(
            f"/api/v1/incidents?origin={origin}&tactic={tactic}",  # type: ignore[attr-defined]
            headers=api_headers,
        )
        assert r.status_code == 200, r.status_code

    def detail_page() -> None:
        r = client.get(f"/incidents/{rng.choice(uuids)}/")  # type: ignore[attr-defined]
        assert r.status_code == 200, r.status_code

    def raw_list() -> None:
        origin, tactic = pick_filter()
        with connection.cursor() as cur:
            cur.execute(RAW_LIST, [org_id, org_id, origin, org_id, tactic])
            rows = cur.fetchall()
            ids = [r[0] for r in rows]
            if ids:
                marks = ",".join(["%s"] * len(ids))
                cur.execute(
                    "SELECT incident_id, country FROM cases_incidentorigin"
                    f" WHERE incident_id IN ({marks})",
                    ids,
                )
                cur.fetchall()
                cur.execute(
                    "SELECT incident_id, tactic FROM cases_incidenttactic"
                    f" WHERE incident_id IN ({marks})",
                    ids,
                )
                cur.fetchall()

    def raw_detail() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT * FROM cases_incident WHERE organisation_id = %s AND uuid = %s",
                [
                    org_id,
                    rng.choice(uuids).replace("-", "")
                    if connection.vendor == "sqlite"
                    else rng.choice(uuids),
                ],
            )
            row = cur.fetchone()
            assert row is not None
            for table in RAW_DETAIL_CHILDREN:
                cur.execute(f"SELECT * FROM {table} WHERE incident_id = %s", [row[0]])
                cur.fetchall()

    n = args.requests
    results = {
        "list page (HTML)": (timed(list_page, n), timed(raw_list, n)),
        "API list (JSON)": (timed(api_list, n), timed(raw_list, n)),
        "incident detail (HTML)": (timed(detail_page, n), timed(raw_detail, n)),
    }
    count = Incident.objects.filter(organisation_id=org_id).count()
    print(f"\n{args.db}: {count:,} incidents in the benchmarked organisation, {n} requests each")
    print(f"{'path':26} {'p50 ms':>8} {'p95 ms':>8} {'raw p50':>8} {'raw p95':>8} {'p95 ratio':>9}")
    for name, (app, raw) in results.items():
        p50, p95 = percentile(app, 0.5), percentile(app, 0.95)
        r50, r95 = percentile(raw, 0.5), percentile(raw, 0.95)
        print(f"{name:26} {p50:8.2f} {p95:8.2f} {r50:8.2f} {r95:8.2f} {p95 / r95:9.1f}x")
    print(
        "(mean of all app samples: "
        f"{statistics.mean([x for a, _ in results.values() for x in a]):.2f} ms)"
    )


RAW_LIST = """
SELECT i.id, i.uuid, i.title_sealed, i.start_date, i.host_country, i.status, i.verification, i.tlp
FROM cases_incident i
WHERE i.organisation_id = %s
  AND EXISTS (SELECT 1 FROM cases_incidentorigin o
              WHERE o.organisation_id = %s AND o.incident_id = i.id AND o.country = %s)
  AND EXISTS (SELECT 1 FROM cases_incidenttactic t
              WHERE t.organisation_id = %s AND t.incident_id = i.id AND t.tactic = %s)
ORDER BY i.start_date DESC, i.id DESC
LIMIT 51
"""
RAW_DETAIL_CHILDREN = [
    "cases_incidentorigin",
    "cases_incidenttactic",
    "cases_incidenttarget",
    "cases_incidentactor",
    "cases_legalmechanism",
    "cases_source",
    "cases_response",
]

if __name__ == "__main__":
    main()
