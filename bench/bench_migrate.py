#!/usr/bin/env python
"""Time `migrate` from the schema of before issue 9 (the incident model) at N incidents.

    .venv/bin/python bench/bench_migrate.py --db sqlite --incidents 1000000
    .venv/bin/python bench/bench_migrate.py --db postgres --incidents 1000000

It makes a fresh database (bench/out/migr_<N>k.sqlite3 or br_bench_migr_<N>k), applies the
migrations up to the pre-issue state (tests/cases/pre_issue.py), loads N incidents into that
schema with raw inserts (COPY on PostgreSQL), then applies every later migration as
`beyondreach migrate` would, timing each, and drops the database (unless --keep). What is
loaded and how to read the figures: bench/README.md, "Migrating a database made before
the incident model".
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
CHUNK = 5_000  # incidents per batch of inserts

ORIGINS = ["CN", "RU", "TR", "IR", "EG", "TJ", "RW", "SA", "BY", "ER", "IN", "VN"]
HOSTS = ["DE", "US", "GB", "FR", "NL", "SE", "CA", "AU", "TR", "KZ", "UA", "TH", "AE", "UG"]
TACTICS = [
    "assassination",
    "assault",
    "physical_intimidation",
    "host_detention",
    "unlawful_deportation",
    "interpol_abuse",
    "family_coercion",
    "digital_threats",
    "smear_campaign",
    "spyware",
    "overseas_police_station",
    "denationalisation",
]
GROUPS = ["", "journalist", "activist", "opposition", "human_rights_defender", "academic"]
PRECISIONS = ["day"] * 6 + ["month", "month", "year", "approximate"]
# A relative's relation as case workers typed it before cases 0013 made it a code (the last
# two map to "other"); chosen by the incident's id, so the seeded draws stay as they were.
RELATIONS = ["brother", "Mother", "father", "sister ", "wife", "son", "cousin", "Neighbour", "?"]
NARRATIVE = (
    "Two men who said they came from the consulate waited outside the target's home and "
    "told a neighbour that the family back home would pay for the articles. The next week "
    "the target's brother was summoned by the police in the home country and questioned "
    "for a day about the target's contacts and address abroad."
)


def configure(db: str, name: str) -> str:
    """Point Django at a fresh database `name`; return how to name it in the output."""
    OUT.mkdir(exist_ok=True)
    sys.path[:0] = [str(HERE.parent / "src"), str(HERE.parent)]  # tests.cases.pre_issue
    key_file = OUT / "master.key"
    if not key_file.exists():
        import base64
        import secrets

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    os.environ["BEYONDREACH_MASTER_KEY_FILE"] = str(key_file)
    os.environ["BEYONDREACH_VAR_DIR"] = str(OUT)
    os.environ.setdefault("BEYONDREACH_SECRET_KEY", "bench-only, never served")
    os.environ["DJANGO_SETTINGS_MODULE"] = "beyondreach.settings"
    if db == "sqlite":
        path = OUT / f"{name}.sqlite3"
        _drop_sqlite(path)
        os.environ["BEYONDREACH_DATABASE_URL"] = f"sqlite:///{path}"
        where = str(path)
    else:
        _postgres_admin(
            f'DROP DATABASE IF EXISTS "br_bench_{name}" WITH (FORCE)',
            f'CREATE DATABASE "br_bench_{name}"',
        )
        os.environ["BEYONDREACH_DATABASE_URL"] = (
            f"postgres://postgres@127.0.0.1:5432/br_bench_{name}"
        )
        where = f"br_bench_{name}"
    import django

    django.setup()
    return where


def _drop_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _postgres_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        for statement in statements:
            c.execute(statement)  # type: ignore[arg-type]


def drop(db: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    if db == "sqlite":
        _drop_sqlite(OUT / f"{name}.sqlite3")
    else:
        _postgres_admin(f'DROP DATABASE IF EXISTS "br_bench_{name}" WITH (FORCE)')


class Table:
    """Rows of one historical model, written in bulk: executemany on SQLite, COPY on
    PostgreSQL. Values are given by attribute name; the others take the field's default."""

    def __init__(self, model: Any, connection: Any) -> None:

        self.model, self.connection = model, connection
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        self.columns = [f.column for f in self.fields]
        self.prep = [self._converter(f, connection.vendor == "sqlite") for f in self.fields]
        self.defaults = [f.get_default() for f in self.fields]  # "" for a blank CharField
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def _converter(self, field: Any, sqlite: bool) -> Callable[[Any], Any] | None:
        """What the database driver needs, as Django's get_db_prep_save gives it (faster)."""
        from django.db import models

        if isinstance(field, models.JSONField):
            return json.dumps
        if isinstance(field, models.DateTimeField):
            return functools.cache(lambda v: field.get_db_prep_save(v, self.connection))
        if sqlite and isinstance(field, models.UUIDField):
            return lambda v: v.hex
        if sqlite and isinstance(field, models.DateField):
            return date.isoformat
        return None

    def add(self, **values: Any) -> None:
        row = [
            prep(value) if prep and value is not None else value
            for value, prep in zip(
                [values.get(f.attname, d) for f, d in zip(self.fields, self.defaults, strict=True)],
                self.prep,
                strict=True,
            )
        ]
        self.rows.append(tuple(row))

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns)
        if self.connection.vendor == "sqlite":
            marks = ", ".join("?" * len(self.columns))
            self.connection.connection.executemany(
                f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})', self.rows
            )
        else:
            copying = f'COPY "{self.table}" ({columns}) FROM STDIN'
            with self.connection.cursor() as cursor, cursor.cursor.copy(copying) as copy:
                for row in self.rows:
                    copy.write_row(row)
        self.count += len(self.rows)
        self.rows = []


class Loader:
    """Pre-issue rows much as the services wrote them: sealed values are real ciphertext
    under the organisation's key, so a data migration that opens them can."""

    def __init__(self, apps: Any, connection: Any, seed: int) -> None:
        from beyondreach.core import crypto

        self.crypto, self.random = crypto, random.Random(seed)
        self.connection = connection
        wrapped = crypto.wrap_key(crypto.load_master_key(), crypto.new_key())
        self.org = apps.get_model("core", "Organisation").objects.create(
            name="Bench Migration", wrapped_data_key=wrapped
        )
        self.key = crypto.keys_from_wrapped(wrapped).data
        self.user = apps.get_model("core", "User").objects.create(
            username="bench_caseworker", organisation=self.org, role="case_worker"
        )
        names = [
            "Incident",
            "IncidentOrigin",
            "IncidentTactic",
            "Person",
            "PersonName",
            "IncidentTarget",
            "IncidentActor",
            "Source",
            "RecordVersion",
        ]
        self.tables = {n: Table(apps.get_model("cases", n), connection) for n in names}
        self.next_id = {n: 1 for n in names}
        self.now = datetime(2025, 6, 1, tzinfo=UTC)

    def seal(self, label: str, field: str, row_uuid: uuid.UUID, text: str) -> bytes:
        aad = f"cases.{label}.{field}:{row_uuid}".encode()  # as core.sealed.aad_for
        return self.crypto.seal(self.key, text.encode(), aad)

    def new_id(self, name: str) -> int:
        self.next_id[name] += 1
        return self.next_id[name] - 1

    def load(self, n: int, progress: Callable[[int], None]) -> None:
        from django.db import transaction

        for start in range(0, n, CHUNK):
            with transaction.atomic():
                for _ in range(start, min(n, start + CHUNK)):
                    self.incident()
                for table in self.tables.values():
                    table.flush()
            progress(min(n, start + CHUNK))
        self._reset_sequences()

    def incident(self) -> None:
        r = self.random
        pk, row_uuid = self.new_id("Incident"), uuid.uuid4()
        start = date(2010, 1, 1) + timedelta(days=r.randrange(5800))
        ended = r.random() < 0.1
        title = f"Incident {pk}: pressure on a {r.choice(GROUPS) or 'diaspora member'}"
        self.tables["Incident"].add(
            id=pk,
            uuid=row_uuid,
            organisation_id=self.org.pk,
            title_sealed=self.seal("incident", "title", row_uuid, title),
            narrative_sealed=self.seal("incident", "narrative", row_uuid, NARRATIVE),
            start_date=start,
            start_precision=r.choice(PRECISIONS),
            end_date=start + timedelta(days=r.randrange(1, 900)) if ended else None,
            end_precision="day" if ended else "",
            host_country=r.choice(HOSTS),
            status=r.choice(["new", "triage", "open", "referred", "closed"]),
            verification=r.choice(["unverified", "reported", "corroborated"]),
            created_at=self.now,
            updated_at=self.now,
            created_by_id=self.user.pk,
        )
        for country in r.sample(ORIGINS, 1 if r.random() < 0.9 else 2):
            self._child("IncidentOrigin", pk, country=country, start_date=start)
        for tactic in r.sample(TACTICS, r.randint(1, 3)):
            self._child("IncidentTactic", pk, tactic=tactic, start_date=start)
        for role in ["primary"] + (["relative"] if r.random() < 0.2 else []):
            person = self.person()
            group = r.choice(GROUPS) if role == "primary" else ""
            self._child(
                "IncidentTarget",
                pk,
                uuid=uuid.uuid4(),
                person_id=person,
                role=role,
                target_group=group,
                relation=RELATIONS[pk % len(RELATIONS)] if role == "relative" else "",
            )
        self._sealed_child(
            "IncidentActor",
            pk,
            "name",
            "the consulate's security officer",
            role="perpetrator",
            actor_type="consulate_embassy",
            country=r.choice(ORIGINS),
        )
        self._sealed_child(
            "Source",
            pk,
            "reference",
            f"https://news.example.org/{pk}",
            reliability="usually_reliable",
        )
        self.version("incident", row_uuid, 1400)

    def person(self) -> int:
        pk, row_uuid = self.new_id("Person"), uuid.uuid4()
        self.tables["Person"].add(
            id=pk,
            uuid=row_uuid,
            organisation_id=self.org.pk,
            nationalities=["CN"],
            created_at=self.now,
            updated_at=self.now,
        )
        for position, name in enumerate((f"Gulnara Person{pk}", f"Гульнара Персона{pk}")):
            name_uuid = uuid.uuid4()
            self.tables["PersonName"].add(
                id=self.new_id("PersonName"),
                uuid=name_uuid,
                organisation_id=self.org.pk,
                person_id=pk,
                value_sealed=self.seal("personname", "value", name_uuid, name),
                script="Latn" if position == 0 else "Cyrl",
                position=position,
            )
        self.version("person", row_uuid, 500)
        return pk

    def version(self, record_type: str, record_uuid: uuid.UUID, size: int) -> None:
        """The record's first version: a sealed snapshot of about `size` bytes of JSON."""
        row_uuid = uuid.uuid4()
        snapshot = json.dumps({"id": str(record_uuid), "text": "x" * size})
        self.tables["RecordVersion"].add(
            id=self.new_id("RecordVersion"),
            uuid=row_uuid,
            organisation_id=self.org.pk,
            record_type=record_type,
            record_uuid=record_uuid,
            version=1,
            at=self.now,
            actor_id=self.user.pk,
            action="create",
            changed_fields=["id", "text"],
            snapshot_sealed=self.seal("recordversion", "snapshot", row_uuid, snapshot),
        )

    def _child(self, name: str, incident: int, **values: Any) -> None:
        self.tables[name].add(
            id=self.new_id(name), organisation_id=self.org.pk, incident_id=incident, **values
        )

    def _sealed_child(self, name: str, incident: int, field: str, text: str, **values: Any) -> None:
        row_uuid = uuid.uuid4()
        sealed = self.seal(name.lower(), field, row_uuid, text)
        self._child(name, incident, uuid=row_uuid, **{f"{field}_sealed": sealed}, **values)

    def _reset_sequences(self) -> None:
        """Explicit ids leave PostgreSQL's sequences behind; a migration that adds rows to
        these tables would collide with them."""
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for table in self.tables.values():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.table}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table.table}"))'
                )


def timed_migrate(connection: Any) -> tuple[list[tuple[str, float]], float]:
    """Apply every migration there is; (migration, seconds) each, and the whole run."""
    from tests.cases.pre_issue import migrate_to_leaves

    times: list[tuple[str, float]] = []
    started: dict[str, float] = {}

    def progress(action: str, migration: Any = None, fake: bool = False) -> None:
        now = time.monotonic()
        if action == "apply_start":
            started[str(migration)] = now
        elif action == "apply_success":
            times.append((f"{migration.app_label} {migration.name}", now - started[str(migration)]))
            print(f"  {times[-1][0]}: {times[-1][1]:,.1f} s", file=sys.stderr, flush=True)

    begun = time.monotonic()
    migrate_to_leaves(connection, progress)
    return times, time.monotonic() - begun


def database_size(connection: Any) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return int(pages * cursor.fetchone()[0])
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def row_counts(connection: Any, tables: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def run(db: str, n: int, seed: int, keep: bool) -> dict[str, Any]:
    name = f"migr_{n // 1000}k" if n % 1000 == 0 else f"migr_{n}"
    where = configure(db, name)
    from django.db import connection

    from tests.cases.pre_issue import migrate_to_pre_issue

    print(f"{db}: {where}, {n:,} incidents", file=sys.stderr, flush=True)
    apps = migrate_to_pre_issue(connection)
    began = time.monotonic()
    loader = Loader(apps, connection, seed)
    loader.load(n, _progress(n, began))
    load_seconds = time.monotonic() - began
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")  # as autovacuum would soon after a load
    tables = {name: t.table for name, t in loader.tables.items()}
    before = row_counts(connection, list(tables.values()))
    size = database_size(connection)
    existing = set(connection.introspection.table_names())
    times, total = timed_migrate(connection)
    after = row_counts(connection, list(tables.values()))
    assert after == before, (before, after)  # the migrations keep every row
    new_tables = sorted(set(connection.introspection.table_names()) - existing)
    result = {
        "db": db,
        "incidents": n,
        "rows": before,
        "new_tables": row_counts(connection, new_tables),  # e.g. rows a data migration filled
        "database_mib": round(size / 2**20),
        "load_seconds": round(load_seconds),
        "migrations": [[m, round(s, 2)] for m, s in times],
        "migrate_seconds": round(total, 2),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "nproc": os.cpu_count(),
    }
    with (OUT / "migrations.jsonl").open("a") as log:
        log.write(json.dumps(result) + "\n")
    if not keep:
        drop(db, name)
    return result


def _progress(n: int, began: float) -> Callable[[int], None]:
    last = [0.0]

    def report(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 30 or done == n:
            last[0] = now
            rate = done / max(now - began, 1e-9)
            print(f"  loaded {done:,}/{n:,} incidents ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    return report


def report(result: dict[str, Any]) -> Iterator[str]:
    yield (
        f"{result['db']}, {result['incidents']:,} incidents ({result['database_mib']:,} MiB, "
        f"loaded in {result['load_seconds']:,} s)"
    )
    for migration, seconds in result["migrations"]:
        yield f"  {migration:<45} {seconds:>9,.1f} s"
    yield f"  {'migrate, in all':<45} {result['migrate_seconds']:>9,.1f} s"
    for table, rows in result["new_tables"].items():
        yield f"  new table {table}: {rows:,} rows"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    result = run(args.db, args.incidents, args.seed, args.keep)
    print("\n".join(report(result)))


if __name__ == "__main__":
    main()
