"""Test-only surgery on the database: what an attacker with SQL access could do."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from beyondreach.core.backup import backup_models
from beyondreach.core.models import Organisation

_append_only = importlib.import_module("beyondreach.core.migrations.0002_audit_append_only")


@contextmanager
def audit_triggers_disabled() -> Iterator[None]:
    """Lift the audit log's append-only triggers, and put them back afterwards.

    PostgreSQL alters no table with deferred foreign-key checks pending, so they run now,
    and the statements inside run their checks at once (children must go first).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
        else:
            for sql in _append_only.SQLITE_DOWN:
                cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_change"
                )
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for sql in _append_only.SQLITE_UP:
                    cursor.execute(sql)


def tamper_audit_event(org: Organisation, seq: int) -> None:
    with audit_triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET action = %s WHERE organisation_id = %s AND seq = %s",
            ["incident.tampered", org.pk, seq],
        )
        assert cursor.rowcount == 1


def wipe_every_record() -> None:
    """Delete every row a backup holds, children first."""
    tables: list[str] = []
    for model in reversed(backup_models()):
        tables += [f.remote_field.through._meta.db_table for f in model._meta.many_to_many]
        tables.append(model._meta.db_table)
    with audit_triggers_disabled(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
