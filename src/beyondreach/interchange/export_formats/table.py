"""`csv`: one row per incident, every coded field, and the identifying fields only in a file
for the owner audience of a role that sees identities (docs/interchange.md lists the columns).

Columns come in a stable order: the coded ones first, then the identifying ones. A part with
several items (targets, actors...) has one column per field, each `|`-separated and aligned:
the third value of `actors.role` and of `actors.country` are the same actor's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from beyondreach.cases.export import meets_freedom_house_definition
from beyondreach.interchange.formats import (
    Cell,
    ExportContext,
    ExportFormat,
    Snapshot,
    csv_chunks,
    many,
)


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Snapshot], Cell]
    identifying: bool = False


def _field(key: str) -> Callable[[Snapshot], Cell]:
    def value(s: Snapshot) -> Cell:
        found = s[key]
        if isinstance(found, bool):
            return "yes" if found else "no"
        if isinstance(found, list):
            return many(found)
        return found  # type: ignore[no-any-return]

    return value


def _part(part: str, key: str) -> Callable[[Snapshot], Cell]:
    def value(s: Snapshot) -> Cell:
        items = [item[key] for item in s[part]]
        return many("yes" if v is True else "no" if v is False else v for v in items)

    return value


def _target_groups(s: Snapshot) -> Cell:
    found = {t["target_group"] for t in s["targets"]} | {g["target_group"] for g in s["groups"]}
    return many(sorted(found - {""}))


def _physical(s: Snapshot) -> Cell:
    return "yes" if meets_freedom_house_definition(s["tactics"]) else "no"


PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # part: (its coded fields, its identifying fields)
    "targets": (("pseudonym", "role", "target_group", "relation", "member_of"), ("name",)),
    "groups": (("target_group", "size", "country"), ("description",)),
    "organisations": (("kind", "country"), ("name",)),
    "actors": (("role", "actor_type", "country"), ("name",)),
    "legal_mechanisms": (
        ("kind", "issued_by", "issued_on", "issued_precision", "status", "status_on"),
        ("reference",),
    ),
    "sources": (("kind", "published_on", "reliability", "independent"), ("reference", "publisher")),
    "responses": (
        ("kind", "started_on", "started_precision", "outcome", "outcome_on"),
        ("description",),
    ),
}
FACTS = (
    "id",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "ongoing",
    "origin_states",
    "host_countries",
    "host_reason",
    "host_origin_confirmed",
    "tactics",
)
CASE = (
    "verification",
    "verification_overridden",
    "scope",
    "scope_criteria",
    "tlp",
    "status",
    "due_date",
    "version",
)
IDENTIFYING = (
    "title",
    "narrative",
    "place",
    "coordinates",
    "verification_reason",
    "scope_reason",
)

COLUMNS: tuple[Column, ...] = (
    *(Column(key, _field(key)) for key in FACTS),
    Column("freedom_house_physical", _physical),
    Column("target_groups", _target_groups),
    Column("target_count", _field("target_count")),
    *(Column(f"{p}.{k}", _part(p, k)) for p, (coded, _) in PARTS.items() for k in coded),
    *(Column(key, _field(key)) for key in CASE),
    *(Column(key, _field(key), identifying=True) for key in IDENTIFYING),
    *(
        Column(f"{p}.{k}", _part(p, k), identifying=True)
        for p, (_, named) in PARTS.items()
        for k in named
    ),
)


def columns(context: ExportContext) -> list[Column]:
    """The columns of a file: a pseudonymised one has no identifying column at all (not
    even one of "[withheld]"), so a file passed on cannot be misread as complete."""
    return [c for c in COLUMNS if not (c.identifying and context.pseudonymised)]


def table_rows(records: Iterable[Snapshot], context: ExportContext) -> Iterator[Sequence[Cell]]:
    chosen = columns(context)
    yield [c.name for c in chosen]
    for record in records:
        yield [c.value(record) for c in chosen]


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    return csv_chunks(table_rows(records, context))


FORMAT = ExportFormat(
    code="csv",
    label="CSV: every field, one row per incident",
    media_type="text/csv; charset=utf-8",
    extension="csv",
    write=write,
    description="Every coded field, and names and free text where your role sees them; "
    "several values in a cell separated by |.",
)
