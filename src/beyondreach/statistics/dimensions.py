"""The dimensions incidents are counted by: one registry entry each.

An entry says how to read an incident's values of the dimension: an expression on Incident
that, once the query groups by it, gives one row per (incident, value) pair. A multi-valued
dimension (origin states, tactics) reads through its child table, so an incident with two
origin states is one pair for each; an incident with none is one pair with the value None,
shown as "Not recorded". An entry also names its values for people (labels, never codes)
and the incident list's filter that drills down to one value.

Hosts: one entry (HOST), so that a change of where host countries live changes one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pycountry
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, NullIf

from beyondreach.cases import models as m
from beyondreach.cases.export import physical_tactics
from beyondreach.cases.selectors import TACTIC_CATEGORIES
from beyondreach.statistics.codes import DIMENSION_CODES
from beyondreach.vocab.loader import vocabulary

if TYPE_CHECKING:  # the stubs' names, not Django's at run time
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

Key = str | None  # a value of a dimension as the tables give it out: a code, "2024", "2024-03"
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    expression: Callable[[], Any]  # on Incident: grouped by, the (incident, value) pairs
    value_label: Callable[[str], str]
    drill: Callable[[str], dict[str, str]]  # the list's filter for a value: {"origin": "CN"}
    chronological: bool = False  # sorted by value (years, months), not by count
    # How the database's value becomes a Key (a year is a number there).
    key: Callable[[Any], str] = str

    def name(self, value: Key) -> str:
        return NOT_RECORDED if value is None else self.value_label(value)


def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or found.name) if found else code


def _host_label(value: str) -> str:
    if len(value) == 2:
        return country_name(value)
    return f"No host: {dict(m.HostReason.choices).get(value, value)}"


def _nonblank(column: str) -> Any:
    return NullIf(F(column), Value(""))


def _tactic_category() -> Any:
    whens = [
        When(tactics__tactic__in=codes, then=Value(category))
        for category, codes in _categories().items()
    ]
    return Case(*whens, default=Value(None), output_field=CharField())


@cache
def _categories() -> dict[str, list[str]]:
    terms = vocabulary("tactics").terms.values()
    found = {c: sorted(t.code for t in terms if t.category == c) for c in TACTIC_CATEGORIES}
    return {category: codes for category, codes in found.items() if codes}


def _freedom_house() -> Any:
    physical = m.IncidentTactic.objects.filter(
        incident=OuterRef("pk"), tactic__in=sorted(physical_tactics())
    )
    return Case(
        When(Exists(physical), then=Value("freedom_house")),
        default=Value("other"),
        output_field=CharField(),
    )


class _SqliteDatePart:
    """A part of a date read by SQLite itself: there Django's ExtractYear and ExtractMonth
    call a Python function for every row (`django_date_extract`), which doubled the time of
    a table by year at 100,000 incidents (bench/README.md, "Statistics"). SQLite holds a
    date as ISO text, "2024-03-01", so the year is its characters 1-4 and the month 6-7;
    a date not recorded stays NULL. PostgreSQL keeps Django's EXTRACT."""

    start: int
    length: int
    lhs: Any

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> _AsSqlType:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, {self.start}, {self.length}) AS INTEGER)", params


class StartYear(_SqliteDatePart, ExtractYear):
    start, length = 1, 4


class StartMonth(_SqliteDatePart, ExtractMonth):
    start, length = 6, 2


def _year() -> Any:
    return StartYear("start_date", output_field=IntegerField())


def _month() -> Any:
    # A number (202403), the same on SQLite and PostgreSQL; MONTH.key writes it "2024-03".
    return StartYear("start_date") * 100 + StartMonth("start_date")


def _month_key(value: Any) -> str:
    number = int(value)
    return f"{number // 100:04d}-{number % 100:02d}"


def _choice(choices: type[TextChoices]) -> Callable[[str], str]:
    return lambda value: str(dict(choices.choices).get(value, value))


def _filter(name: str) -> Callable[[str], dict[str, str]]:
    return lambda value: {name: value}


# Host countries, or the reason there is none: the values are the host filter's values.
HOST = Dimension(
    "host",
    "Host country",
    lambda: Coalesce(F("hosts__country"), _nonblank("host_reason")),
    _host_label,
    _filter("host"),
)

DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in (
        Dimension(
            "origin", "Origin state", lambda: F("origins__country"), country_name, _filter("origin")
        ),
        HOST,
        Dimension(
            "tactic",
            "Tactic",
            lambda: F("tactics__tactic"),
            vocabulary("tactics").label,
            _filter("tactic"),
        ),
        Dimension(
            "tactic_category",
            "Tactic category",
            _tactic_category,
            lambda value: TACTIC_CATEGORIES.get(value, value),
            _filter("tactic_category"),
        ),
        Dimension(
            "target_group",
            "Target group",
            lambda: F("target_group_codes__target_group"),
            vocabulary("target_groups").label,
            _filter("target_group"),
        ),
        Dimension(
            "actor_type",
            "Actor type",
            lambda: F("actors__actor_type"),
            vocabulary("actor_types").label,
            _filter("actor_type"),
        ),
        Dimension(
            "mechanism_kind",
            "Legal mechanism",
            lambda: F("mechanisms__kind"),
            _choice(m.MechanismKind),
            _filter("mechanism_kind"),
        ),
        Dimension(
            "verification",
            "Verification",
            lambda: F("verification"),
            _choice(m.Verification),
            _filter("verification"),
        ),
        Dimension("scope", "Scope", lambda: F("scope"), _choice(m.Scope), _filter("scope")),
        Dimension(
            "year",
            "Year",
            _year,
            str,
            _filter("started"),
            chronological=True,
            key=lambda value: str(int(value)),
        ),
        Dimension(
            "month",
            "Month",
            _month,
            str,
            _filter("started"),
            chronological=True,
            key=_month_key,
        ),
        Dimension(
            "fh_definition",
            "Freedom House definition",
            _freedom_house,
            lambda value: {
                "freedom_house": "Direct, physical (Freedom House)",
                "other": "No direct, physical tactic",
            }.get(value, value),
            _filter("definition"),
        ),
    )
}
assert tuple(DIMENSIONS) == DIMENSION_CODES
