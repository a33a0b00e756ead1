"""Canary tests: no identifying value ever reaches the disk, a dump or a log in the clear.

The adversary of DOMAIN.md seizes a server, subpoenas a host or reads a backup. So the test
plants random canary strings in every sealed field through the real services (tests/core/
plant.py), changes them all (history rows, deleted child rows, replaced names), and then
looks for every canary, in every encoding of tests/core/canaries.py, in the raw bytes an
adversary would get:

- SQLite: the database image, and in a real deployment (WAL mode, secure_delete) the main
  file, the -wal file and the -shm file while the server runs, and the main file after the
  last connection has checkpointed and closed.
- PostgreSQL: the relation files of the database (heap, TOAST, indexes, free space maps),
  the WAL written during the test (replicas and WAL archives get exactly these bytes), and
  pg_dump's output (what backups are made of).
- Logs: every record at DEBUG, SQL statements with their parameters included.

A control value stored in a plain column (an organisation's name) must be found in each of
the same places: it proves that the scan looks at the bytes where the rows really are.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nacl.encoding
import nacl.hash
import pytest
from django.conf import settings
from django.db import connection

from beyondreach.cases import models as m
from beyondreach.cases.names import name_keys, name_tokens
from beyondreach.cases.services import person_create
from beyondreach.core.sealed import Sealed
from beyondreach.core.services import organisation_create

from ..conftest import Personas
from . import canaries as c
from .plant import Planted, _person, plant

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def planted_canaries() -> dict[str, str]:
    found = {**c.fresh("v1"), **c.fresh("v2")}
    return {**found, **c.name_token_canaries(found)}


@pytest.fixture
def control() -> str:
    return f"CONTROL-{secrets.token_hex(8)}"


@pytest.fixture
def planted(personas: Personas, planted_canaries: dict[str, str], control: str) -> Planted:
    organisation_create(name=control)
    return plant(personas.case_worker, planted_canaries)


def test_it_plants_a_canary_in_every_sealed_field_of_the_cases_app(
    planted: Planted, planted_canaries: dict[str, str]
) -> None:
    # The scans below prove something only if every sealed column received a canary.
    for model in (
        m.Incident,
        m.Person,
        m.PersonName,
        m.IncidentActor,
        m.LegalMechanism,
        m.Source,
        m.Response,
        m.RecordVersion,
    ):
        for name, attr in vars(model).items():
            if isinstance(attr, Sealed):
                filled = [r for r in model.objects.all() if getattr(r, name)]
                assert filled, f"no canary reached {model.__name__}.{name}"
    incident = m.Incident.objects.get(pk=planted.incident.pk)
    assert incident.title == planted_canaries["v2 incident.title"]
    assert (
        planted.incident.mechanisms.get().reference
        == planted_canaries["v2 mechanism.reference (Red Notice)"]
    )
    history = m.RecordVersion.objects.filter(record_uuid=incident.uuid).order_by("version")
    first = json.loads(history.first().snapshot)  # type: ignore[union-attr]
    assert first["place"] == planted_canaries["v1 incident.place"]


def test_it_writes_no_canary_to_any_log(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    personas: Personas,
    planted_canaries: dict[str, str],
) -> None:
    # Logs are copied to aggregators and kept longer than the data: they must carry nothing.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own default is INFO
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    try:
        plant(personas.case_worker, planted_canaries)
    finally:
        connection.force_debug_cursor = False
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert "INSERT INTO" in messages, "the SQL log was not captured, so the scan means nothing"
    out = capsys.readouterr()
    logged = [
        ("log records", messages.encode()),
        ("formatted log", caplog.text.encode()),
        ("stdout", out.out.encode()),
        ("stderr", out.err.encode()),
    ]
    assert c.find_all(logged, planted_canaries) == []


def test_it_keeps_blind_index_digests_that_reveal_no_name_token(
    planted: Planted, planted_canaries: dict[str, str], personas: Personas
) -> None:
    names = [v for k, v in planted_canaries.items() if " name (" in k and " token " not in k]
    plain = {t for n in names for t in name_tokens(n)} | {k for n in names for k in name_keys(n)}
    unkeyed = {
        nacl.hash.blake2b(k.encode(), digest_size=8, encoder=nacl.encoding.HexEncoder).decode()
        for n in names
        for k in name_keys(n)
    }
    digests = set(m.NameToken.objects.values_list("digest", flat=True))
    assert digests
    assert all(len(d) == 16 and int(d, 16) >= 0 for d in digests)
    assert not digests & plain
    assert not {d for d in digests for p in plain if len(p) >= 4 and p[:16] in d}
    assert not digests & unkeyed, "the index hash must be keyed, or a name can be guessed"
    # The leakage is bounded to one organisation: the same name has other digests elsewhere.
    other = person_create(actor=personas.outsider, data=_person(planted_canaries, "v2"))
    theirs = set(m.NameToken.objects.filter(person=other).values_list("digest", flat=True))
    ours = set(m.NameToken.objects.filter(person=planted.primary).values_list("digest", flat=True))
    assert theirs and ours and not theirs & ours


@pytest.mark.sqlite_only
def test_it_leaves_no_canary_in_the_sqlite_database_image(
    planted: Planted, planted_canaries: dict[str, str], control: str
) -> None:
    # The test database lives in memory. serialize() returns its exact page image, free pages
    # included, uncommitted rows of this test's transaction too (a backup() would block on
    # them, and transaction=True cannot be used on SQLite: flushing the tables after the test
    # runs DELETE on the append-only audit log, which its trigger refuses).
    image = connection.connection.serialize()
    assert control.encode() in image
    assert c.find(image, planted_canaries, "the SQLite database image") == []


@pytest.fixture
def sqlite_deployment(
    tmp_path: Path,
    planted_canaries: dict[str, str],
    control: str,
) -> Iterator[tuple[subprocess.Popen[str], Path, Path]]:
    """A separate process that writes a real SQLite file with the production settings."""
    payload = tmp_path / "canaries.json"
    payload.write_text(json.dumps({"canaries": planted_canaries, "control": control}))
    database, log = tmp_path / "beyondreach.sqlite3", tmp_path / "process.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "beyondreach.settings",
        "BEYONDREACH_DATABASE_URL": f"sqlite:///{database}",
        "BEYONDREACH_VAR_DIR": str(tmp_path),
        "BEYONDREACH_MASTER_KEY": settings.MASTER_KEY,
        "BEYONDREACH_LOG_LEVEL": "DEBUG",
    }
    env.pop("BEYONDREACH_MASTER_KEY_FILE", None)
    script = "import django; django.setup(); from tests.core.plant import main; main()"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", script, str(payload)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            yield process, database, log
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.mark.sqlite_only
def test_it_leaves_no_canary_in_the_files_and_wal_of_a_running_sqlite_deployment(
    sqlite_deployment: tuple[subprocess.Popen[str], Path, Path],
    planted_canaries: dict[str, str],
    control: str,
) -> None:
    process, database, log = sqlite_deployment
    assert process.stdout is not None and process.stdin is not None
    line = process.stdout.readline()
    assert line, f"the writer process failed:\n{log.read_text()[-3000:]}"
    pragmas = json.loads(line)
    # The settings promise WAL and secure_delete; the scan below covers what they imply.
    assert pragmas == {"journal_mode": "wal", "secure_delete": 1}

    # While the server runs, recent pages (old versions too) sit in the -wal file; a seized
    # running machine or a file-level backup taken now copies all three files.
    running = [
        (p.name, p.read_bytes()) for p in sorted(database.parent.glob("beyondreach.sqlite3*"))
    ]
    assert {name for name, _ in running} >= {"beyondreach.sqlite3", "beyondreach.sqlite3-wal"}
    assert any(control.encode() in blob for _, blob in running)
    assert c.find_all(running, planted_canaries) == []

    process.stdin.write("\n")
    process.stdin.close()
    assert process.wait(timeout=30) == 0, log.read_text()[-3000:]
    # After the last connection closed, everything was checkpointed into the main file.
    closed = database.read_bytes()
    assert control.encode() in closed
    assert c.find(closed, planted_canaries, "the checkpointed SQLite file") == []

    logged = log.read_bytes()
    assert b"INSERT INTO" in logged, "the writer's SQL log is missing, so the scan means nothing"
    assert c.find(logged, planted_canaries, "the writer's DEBUG log") == []


def _pg(sql: str, *params: str | int) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []


@contextmanager
def _wal_kept() -> Iterator[str]:
    """Keep every WAL segment from now on, and give the LSN where the test starts.

    A temporary replication slot stops the CHECKPOINT below (or a timed one) from recycling
    the segment the test's rows were written to before the test has read it.
    """
    name = f"tnr_canary_{secrets.token_hex(4)}"
    ((lsn,),) = _pg(
        "SELECT lsn::text FROM pg_create_physical_replication_slot(%s, true, true)", name
    )
    try:
        yield str(lsn)
    finally:
        _pg("SELECT pg_drop_replication_slot(%s)", name)


def _pg_wal_since(start_lsn: str) -> bytes:
    """The WAL bytes written from `start_lsn` up to now, read through the server.

    pg_read_binary_file (superuser) reads the same files a replica or a WAL archive gets,
    and works without file access to the server's data directory.
    """
    ((segment,),) = _pg("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'")
    ((first, first_at),) = _pg("SELECT * FROM pg_walfile_name_offset(%s::pg_lsn)", start_lsn)
    ((last, last_at),) = _pg("SELECT * FROM pg_walfile_name_offset(pg_current_wal_insert_lsn())")
    names = _pg(
        "SELECT name FROM pg_ls_waldir() WHERE name BETWEEN %s AND %s ORDER BY name",
        str(first),
        str(last),
    )
    assert names and names[0][0] == first, "the first WAL segment of the test is gone"
    chunks = []
    for (name,) in names:
        start = int(str(first_at)) if name == first else 0
        end = int(str(last_at)) if name == last else int(str(segment))
        ((blob,),) = _pg(
            "SELECT pg_read_binary_file(%s, %s, %s)", f"pg_wal/{name}", start, end - start
        )
        chunks.append(bytes(blob))  # type: ignore[call-overload]
    return b"".join(chunks)


def _pg_database_files() -> list[tuple[str, bytes]]:
    ((oid,),) = _pg("SELECT oid FROM pg_database WHERE datname = current_database()")
    directory = f"base/{oid}"
    return [
        (f"{directory}/{name}", bytes(blob))  # type: ignore[call-overload]
        for (name,) in _pg("SELECT pg_ls_dir(%s)", directory)
        for (blob,) in _pg("SELECT pg_read_binary_file(%s)", f"{directory}/{name}")
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_canary_in_postgresql_files_wal_or_dump(
    personas: Personas, planted_canaries: dict[str, str], control: str
) -> None:
    with _wal_kept() as start_lsn:
        organisation_create(name=control)
        plant(personas.case_worker, planted_canaries)  # committed: transaction=True
        # CHECKPOINT writes every dirty page to the relation files, so they hold the rows.
        _pg("CHECKPOINT")
        wal = _pg_wal_since(start_lsn)
    assert control.encode() in wal, "the WAL range read is not where the rows were written"
    assert c.find(wal, planted_canaries, "the WAL written during the test") == []

    files = _pg_database_files()
    assert any(control.encode() in blob for _, blob in files)
    assert c.find_all(files, planted_canaries) == []

    db = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--no-password",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=60,
        env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
    ).stdout
    assert control.encode() in dump
    assert c.find(dump, planted_canaries, "pg_dump output") == []
