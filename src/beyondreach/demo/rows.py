"""Writing many rows fast, for the bulk demo loader: ids reserved ahead, values converted
as the ORM converts them, then one executemany per table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connection, models, transaction

from beyondreach.cases import models as m


def reserve_ids(model: type[models.Model], count: int) -> Iterator[int]:
    """Take `count` ids from the table's sequence, so no other writer can use them."""
    pk = model._meta.pk
    assert pk is not None
    table, column = model._meta.db_table, str(pk.column)
    if not count:
        return iter(())
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return iter([row[0] for row in cursor.fetchall()])
        # SQLite: the transaction holds the write lock. AUTOINCREMENT gives a new row an id
        # past both the highest id and sqlite_sequence, so raising the latter reserves ids.
        quote = connection.ops.quote_name
        # Table and column names come from the model, never from input.
        highest = f"SELECT max({quote(column)}) FROM {quote(table)}"  # noqa: S608
        cursor.execute(
            f"SELECT max(coalesce(({highest}), 0), "  # noqa: S608
            "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = int(cursor.fetchone()[0]) + 1
        last = first + count - 1
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
        if not cursor.rowcount:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        return iter(range(first, last + 1))


# Columns whose values, when already str, int, bool or bytes, are stored as they are.
_NATIVE = frozenset(
    {
        "CharField",
        "TextField",
        "BooleanField",
        "BinaryField",
        "ForeignKey",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "AutoField",
        "BigAutoField",
    }
)
_PLAIN = (str, int, bool, bytes)


Insert = tuple[type[models.Model], list[str], list[Any]]


def prepare(model: type[models.Model], objs: list[Any]) -> Insert:
    """The columns and values to INSERT the instances, without the per-row cost of bulk_create.

    Values are converted as the ORM does (pre_save for auto_now columns, get_db_prep_save),
    except str, int, bool and bytes values of plain columns, which are stored as they are.
    """
    if not objs:
        return model, [], []
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key or objs[0].pk]
    plan = [
        (f, f.attname, f.get_internal_type() in _NATIVE, _auto(f), f.is_relation) for f in fields
    ]
    rows = []
    for obj in objs:
        values = obj.__dict__
        row = []
        for f, attname, native, auto, relation in plan:
            value = f.pre_save(obj, True) if auto else values.get(attname)
            if value is None and relation:
                # A parent given its id after this row was built: it is on the instance.
                parent = getattr(obj, f.name)
                value = parent.pk if parent is not None else None
            if value is not None and not (native and type(value) in _PLAIN):
                value = f.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(row)
    return model, [str(f.column) for f in fields], rows


def _auto(f: Any) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def prepare_tokens(tokens: list[tuple[m.Person, list[str]]]) -> Insert:
    rows = [(p.organisation_id, p.pk, d) for p, digests in tokens for d in digests]
    return m.NameToken, ["organisation_id", "person_id", "digest"], rows


def execute_many(model: type[models.Model], columns: list[str], rows: list[Any]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Table and column names come from the model, never from input.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
