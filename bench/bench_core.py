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
the test client, each request followed by the raw SQL that fetches the same rows. It prints
p50 and p95 in milliseconds, the ratios to raw SQL and the process's CPU time; then the same
reads through the selectors alone, and the list page per filter. Figures and how to read
them: bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def pg_database(name: str) -> str:
    """tnr_bench for the default name, tnr_bench_10k for "bench_10k" (never a test database)."""
    return f"tnr_{name}"


def configure(db: str, src: Path = HERE.parent / "src", name: str = "bench") -> None:
    """Point Django at the bench database `name`: bench/out/<name>.sqlite3 or tnr_<name>."""
    OUT.mkdir(exist_ok=True)
    sys.path.insert(0, str(src))
    key_file = OUT / "master.key"
    if not key_file.exists():
        import base64
        import secrets

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    os.environ["BEYONDREACH_MASTER_KEY_FILE"] = str(key_file)
    secret_file = OUT / "secret.key"  # settings.py reads it from BEYONDREACH_VAR_DIR, below
    if not secret_file.exists():
        import secrets

        secret_file.write_text(secrets.token_urlsafe(50))
        secret_file.chmod(0o600)
    # Collected static files (the manifest storage production uses) go in bench/out/static.
    os.environ["BEYONDREACH_VAR_DIR"] = str(OUT)
    os.environ["BEYONDREACH_DATABASE_URL"] = (
        f"sqlite:///{OUT / f'{name}.sqlite3'}"
        if db == "sqlite"
        else f"postgres://postgres@127.0.0.1:5432/{pg_database(name)}"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "beyondreach.settings"
    if db == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            database = pg_database(name)
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if not found.fetchone():
                conn.execute(f'CREATE DATABASE "{database}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Samples(NamedTuple):
    app: list[float]  # wall-clock milliseconds
    raw: list[float]
    app_cpu: list[float]  # CPU milliseconds of this process: less sensitive to other jobs


def timed_pair(app: Callable[[], object], raw: Callable[[], object], n: int) -> Samples:
    """n samples of each, alternated, so that both see the same load on a shared machine."""
    app()  # warm caches the way a running server has them
    raw()
    samples = Samples([], [], [])
    for _ in range(n):
        cpu, start = time.process_time(), time.perf_counter()
        app()
        samples.app.append((time.perf_counter() - start) * 1000)
        samples.app_cpu.append((time.process_time() - cpu) * 1000)
        start = time.perf_counter()
        raw()
        samples.raw.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--src",
        type=Path,
        default=HERE.parent / "src",
        help="the source tree to measure, e.g. an export of a commit (default: this checkout)",
    )
    parser.add_argument(
        "--sqlite-cache-mib",
        type=int,
        default=0,
        help="what-if: set PRAGMA cache_size on each SQLite connection (settings.py sets none, "
        "so SQLite keeps its 2 MiB default)",
    )
    parser.add_argument(
        "--name", default="bench", help="the database: bench/out/NAME.sqlite3 or tnr_NAME"
    )
    args = parser.parse_args()
    configure(args.db, args.src, args.name)
    if args.sqlite_cache_mib:
        _sqlite_cache(args.sqlite_cache_mib)
    from bench_setup import ensure_loaded, personas_for_bench

    ensure_loaded(args.incidents, args.seed)
    run(args, *personas_for_bench())


def _sqlite_cache(mib: int) -> None:
    from django.db import connection
    from django.db.backends.signals import connection_created

    def enlarge(sender: object, connection: Any, **kwargs: object) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{mib * 1024}")

    connection_created.connect(enlarge, weak=False)
    connection.close()  # the next query opens a connection with the larger cache


GOAL_P95_MS, GOAL_RATIO = 100.0, 3.0
# Origin state and tactic pairs of the filtered lists, common and rarer ones.
FILTERS = [
    ("CN", "interpol_abuse"),
    ("TR", "host_detention"),
    ("RU", "assassination"),
    ("TJ", "family_coercion"),
    ("EG", "unlawful_deportation"),
    ("IR", "spyware"),
]
NO_MATCH = ("AQ", "interpol_abuse")  # no demo incident has Antarctica as origin state


def run(args: argparse.Namespace, client: Any, api_headers: dict[str, str], org_id: int) -> None:
    from bench_setup import CASE_WORKER
    from django.db import connection
    from django.test import Client

    from beyondreach.cases.models import Incident
    from beyondreach.cases.selectors import (
        IncidentFilters,
        access_incident,
        incident_list_codes,
        incident_list_visible_to,
        record_history,
    )
    from beyondreach.core.models import User

    rng = random.Random(args.seed)
    uuids = _sample_uuids(args.db, args.incidents, org_id, rng)
    api_client = Client()  # a token client: no session cookie to load and save
    user = User.objects.select_related("organisation").get(username=CASE_WORKER)

    fixed: list[tuple[str, str]] = []  # a filter to use instead of a random one

    def pick_filter() -> tuple[str, str]:
        return fixed[0] if fixed else FILTERS[rng.randrange(len(FILTERS))]

    def list_page() -> None:
        origin, tactic = pick_filter()
        r = client.get(f"/incidents/?origin={origin}&tactic={tactic}")
        assert r.status_code == 200, r.status_code

    def api_list() -> None:
        origin, tactic = pick_filter()
        r = api_client.get(
            f"/api/v1/incidents?origin={origin}&tactic={tactic}", headers=api_headers
        )
        assert r.status_code == 200, r.status_code

    def detail_page() -> None:
        r = client.get(f"/incidents/{rng.choice(uuids)}/")
        assert r.status_code == 200, r.status_code

    def orm_list() -> None:
        origin, tactic = pick_filter()
        filters = IncidentFilters(origin=origin, tactic=tactic)
        incident_list_codes(list(incident_list_visible_to(user, filters)[:51]))

    def orm_detail() -> None:
        incident = access_incident(user, rng.choice(uuids))
        record_history(user, incident.uuid)

    def raw_list() -> None:
        origin, tactic = pick_filter()
        with connection.cursor() as cur:
            cur.execute(RAW_LIST, [org_id, origin, org_id, tactic])
            ids = [r[0] for r in cur.fetchall()]
            if ids:
                marks = ",".join(["%s"] * len(ids))
                for sql in RAW_LIST_CHILDREN:
                    cur.execute(sql.format(marks=marks), ids)
                    cur.fetchall()

    def raw_detail() -> None:
        picked = rng.choice(uuids)
        key = picked.replace("-", "") if connection.vendor == "sqlite" else picked
        with connection.cursor() as cur:
            cur.execute(RAW_DETAIL, [org_id, key])
            row = cur.fetchone()
            assert row is not None
            for sql in RAW_DETAIL_CHILDREN:
                cur.execute(sql, [row[0]])
                cur.fetchall()
            cur.execute(RAW_HISTORY, [org_id, key])
            cur.fetchall()

    n = args.requests
    load_before = os.getloadavg()[0]
    results = {
        "list page (HTML)": timed_pair(list_page, raw_list, n),
        "API list (JSON)": timed_pair(api_list, raw_list, n),
        "incident detail (HTML)": timed_pair(detail_page, raw_detail, n),
    }
    breakdown = {
        "list selector (ORM)": timed_pair(orm_list, raw_list, n),
        "detail selectors (ORM)": timed_pair(orm_detail, raw_detail, n),
    }
    # The fixed cost of a list request: the same page and API call when nothing matches.
    fixed[:] = [NO_MATCH]
    breakdown["list page, no match"] = timed_pair(list_page, raw_list, max(n // 2, 10))
    breakdown["API list, no match"] = timed_pair(api_list, raw_list, max(n // 2, 10))
    by_filter = {}
    for origin, tactic in FILTERS:
        fixed[:] = [(origin, tactic)]
        by_filter[f"{origin} {tactic}"] = timed_pair(list_page, raw_list, max(n // 10, 10))
    load_after = os.getloadavg()[0]
    count = Incident.objects.count()
    mine = Incident.objects.filter(organisation_id=org_id).count()
    print(
        f"\n{args.db}: {count:,} incidents, {mine:,} in the benchmarked organisation; "
        f"{n} requests of each, alternated with the raw SQL; "
        f"load average {load_before:.1f} before, {load_after:.1f} after"
    )
    _table(results, goal=True)
    print(
        "\nThe same reads through the selectors only (no HTTP, session, template or audit),"
        " and the list requests when nothing matches:"
    )
    _table(breakdown, goal=False)
    print("\nThe list page by filter (origin state, tactic):")
    _table(by_filter, goal=False)


def _sample_uuids(db: str, incidents: int, org_id: int, rng: random.Random) -> list[str]:
    """Up to 500 random incidents of the organisation, for the detail pages."""
    from beyondreach.cases.models import Incident

    mine = Incident.objects.filter(organisation_id=org_id)
    if db == "postgres":
        return [str(u) for u in mine.order_by("?").values_list("uuid", flat=True)[:500]]
    # SQLite sorts the whole table for ORDER BY random(); ids are dense, so pick ids.
    ids = [rng.randint(1, incidents) for _ in range(600)]
    return [str(u) for u in mine.filter(id__in=ids).values_list("uuid", flat=True)[:500]]


def _table(results: dict[str, Samples], *, goal: bool) -> None:
    print(
        f"{'path':24} {'p50 ms':>7} {'p95 ms':>7} {'raw p50':>7} {'raw p95':>7} "
        f"{'p50 x':>6} {'p95 x':>6} {'cpu p50':>7}" + ("  goal: p95<100 ms, <=3x" if goal else "")
    )
    for name, (app, raw, cpu) in results.items():
        p50, p95 = percentile(app, 0.5), percentile(app, 0.95)
        r50, r95 = percentile(raw, 0.5), percentile(raw, 0.95)
        verdict = ""
        if goal:
            fast, close = p95 < GOAL_P95_MS, max(p50 / r50, p95 / r95) <= GOAL_RATIO
            verdict = (
                "  "
                + {
                    (True, True): "met",
                    (True, False): "p95 met, ratio not",
                    (False, True): "ratio met, p95 not",
                    (False, False): "not met",
                }[fast, close]
            )
        print(
            f"{name:24} {p50:7.1f} {p95:7.1f} {r50:7.2f} {r95:7.2f} "
            f"{p50 / r50:5.1f}x {p95 / r95:5.1f}x {percentile(cpu, 0.5):7.1f}{verdict}"
        )


# The list's query as the selector now writes it (cases/selectors.py): read through the
# origin rows' (organisation, country, start date, incident) index, newest first.
RAW_LIST = """
SELECT i.id, i.uuid, i.title_sealed, i.start_date, i.host_reason, i.status, i.verification, i.tlp
FROM cases_incidentorigin o JOIN cases_incident i ON i.id = o.incident_id
WHERE o.organisation_id = %s AND o.country = %s AND i.organisation_id = %s
  AND EXISTS (SELECT 1 FROM cases_incidenttactic t WHERE t.incident_id = i.id AND t.tactic = %s)
ORDER BY o.start_date DESC, o.incident_id DESC
LIMIT 51
"""
RAW_LIST_CHILDREN = [
    "SELECT incident_id, country FROM cases_incidentorigin WHERE incident_id IN ({marks})",
    "SELECT incident_id, country FROM cases_incidenthost WHERE incident_id IN ({marks})",
    "SELECT incident_id, tactic FROM cases_incidenttactic WHERE incident_id IN ({marks})",
]
RAW_DETAIL = "SELECT * FROM cases_incident WHERE organisation_id = %s AND uuid = %s"
RAW_DETAIL_CHILDREN = [
    *(
        f"SELECT * FROM {table} WHERE incident_id = %s"
        for table in (
            "cases_incidentorigin",
            "cases_incidenthost",
            "cases_incidenttactic",
            "cases_incidentactor",
            "cases_legalmechanism",
            "cases_source",
            "cases_response",
        )
    ),
    "SELECT t.*, p.* FROM cases_incidenttarget t JOIN cases_person p ON p.id = t.person_id"
    " WHERE t.incident_id = %s",
    "SELECT n.* FROM cases_personname n WHERE n.person_id IN"
    " (SELECT person_id FROM cases_incidenttarget WHERE incident_id = %s)",
]
RAW_HISTORY = (
    "SELECT * FROM cases_recordversion WHERE organisation_id = %s AND record_uuid = %s"
    " ORDER BY version"
)

if __name__ == "__main__":
    main()
