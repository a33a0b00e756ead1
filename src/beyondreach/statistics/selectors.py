"""Counts of incidents by one dimension, or two crossed, under the incident list's filters.

The incidents counted are exactly the list's (`incident_list_visible_to`, one filter
definition), except that out-of-scope incidents are left out unless the filters ask for a
scope (issue 9). The database groups and counts: nothing is loaded row by row.

An incident counts once in each cell it has values in, and once in every total: totals
are counted as distinct incidents by their own queries, never added up from cells (an
incident with two origin states is in two cells of a row but once in its column's total).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from beyondreach.cases import models as m
from beyondreach.cases.selectors import COUNTED, IncidentFilters, incident_list_visible_to
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import Role, User
from beyondreach.sharing.selectors import shared_incidents_counted_for
from beyondreach.statistics.dimensions import DIMENSIONS, Dimension, Key

Measure = Literal["incidents", "targets"]
# Whose incidents a figure counts (docs/statistics.md, "Coalition figures").
SOURCES: dict[str, str] = {
    "own": "Our incidents",
    "partners": "Shared by partners",
    "all": "Ours and partners'",
}
MEASURES: dict[str, str] = {"incidents": "Incidents", "targets": "Targets"}


class StatisticsInputError(ApplicationError):
    status = 422


@dataclass(frozen=True)
class Cell:
    row: Key
    col: Key
    value: int


@dataclass(frozen=True)
class Table:
    rows: Dimension
    cols: Dimension | None
    measure: str
    filters: IncidentFilters  # as counted (with the default scope)
    source: str  # own, partners or all (SOURCES)
    cells: list[Cell]
    row_totals: dict[Key, int]  # in display order
    col_totals: dict[Key, int]
    total: int

    def value(self, row: Key, col: Key) -> int:
        return self._cells.get((row, col), 0)

    def drill(self, row: Key | bool, col: Key | bool = False) -> IncidentFilters | None:
        """The list's filters for a cell (False: any value of that dimension), or None
        when the list cannot show exactly its incidents: a value not recorded, or one
        besides a value the filters already ask for (the list takes one origin state)."""
        if self.source != "own":
            return None  # the list holds our incidents only
        return drill_filters(self.filters, ((self.rows, row), (self.cols, col)))

    @cached_property
    def _cells(self) -> dict[tuple[Key, Key], int]:
        return {(c.row, c.col): c.value for c in self.cells}


def drill_filters(
    filters: IncidentFilters, values: Iterable[tuple[Dimension | None, Key | bool]]
) -> IncidentFilters | None:
    """The list's filters narrowed to each dimension's value (False: any value), or None
    when the list cannot show exactly those incidents (see Table.drill)."""
    chosen = vars(filters).copy()
    for dim, value in values:
        if dim is None or value is False:
            continue
        if value is None or value is True:
            return None
        for name, wanted in dim.drill(value).items():
            now = chosen.get(name) or ""
            if now and not (wanted.startswith(now) or now.startswith(wanted)):
                return None
            # A month within the year asked keeps the month.
            chosen[name] = max(now, wanted, key=len)
    return IncidentFilters(**chosen)


def counts_by(qs: QuerySet[m.Incident], measure: str, **values: Any) -> list[dict[str, Any]]:
    """The measure of the incidents `qs` by the given expressions, one dict per cell (the
    expressions' names and `n`); with no expression, one dict: the total.

    Incidents: each once per cell. Targets: the sum of the cell's incidents' `target_count`
    (people and organisations; a group by its size), each incident once per cell however
    many rows of the cell it has (two targets of one group, two actors of one type). The
    database cannot sum "once per incident" in one grouping, so the cells' distinct
    (values, incident, count) rows are summed by an outer query over them."""
    if measure != "targets":
        counted = Count("id", distinct=True)
        if not values:
            return [qs.aggregate(n=counted)]
        return [dict(cell) for cell in qs.values(**values).annotate(n=counted)]
    inner = qs.values(**values, one_incident=F("id"), weight=F("target_count")).distinct()
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # no incident can match (a partner-less coalition): nothing to add
        return [] if values else [{"n": None}]
    names = list(values)
    quoted = [connection.ops.quote_name(name) for name in names]
    group = f" GROUP BY {', '.join(quoted)}" if names else ""
    with connection.cursor() as cursor:
        # Only the compiled query, with its parameters apart, and our own quoted names.
        cursor.execute(
            f"SELECT {''.join(q + ', ' for q in quoted)}SUM(weight) FROM ({sql}) cells{group}",  # noqa: S608
            params,
        )
        return [dict(zip([*names, "n"], row, strict=True)) for row in cursor.fetchall()]


def dimension(code: str, *, field: str) -> Dimension:
    found = DIMENSIONS.get(code)
    if found is None:
        known = ", ".join(DIMENSIONS)
        raise StatisticsInputError(f"Unknown dimension {code!r}; one of: {known}.", field=field)
    return found


def counted_filters(filters: IncidentFilters) -> IncidentFilters:
    """Out-of-scope incidents are kept on record but not counted, unless a scope is asked."""
    return filters if filters.scope else replace(filters, scope=COUNTED)


def counted_incidents(
    user: User, filters: IncidentFilters, source: str = "own"
) -> QuerySet[m.Incident]:
    """The incidents a figure counts: the organisation's own (the list's), the partners'
    shared with it, or both, each incident once (one shared back to its owner is its own)."""
    if source not in SOURCES:
        raise StatisticsInputError(
            f"Unknown source {source!r}; one of: own, partners, all.", field="source"
        )
    # The list's incidents as a subquery of ids: the list's own joins (an origin filter reads
    # through origin rows) stay inside it and do not narrow the dimension's joins here.
    own = Q(pk__in=incident_list_visible_to(user, filters).order_by().values("pk"))
    if source == "own":
        return m.Incident.objects.filter(own).order_by()
    partners = _partners_matching(user, filters)
    return m.Incident.objects.filter(
        partners if source == "partners" else own | partners
    ).order_by()


def _partners_matching(user: User, filters: IncidentFilters) -> Q:
    """Partners' incidents that count in the user's organisation's figures (sharing's rule:
    live shares at any level, counted only included, never TLP:RED nor a share naming
    people) and match the filters, by the list's own definition of each filter.

    That definition is scoped to one organisation's incidents, through a user: each owner's
    incidents are filtered as its own list would, read by a stand-in of that owner that is
    never saved, then kept only where shared with us. Safe because the filters hold no name
    (`q` would open the owner's name index): only coded columns are read, and nothing is
    decrypted."""
    if filters.q:
        raise StatisticsInputError("Statistics are not filtered by a name.", field="q")
    org = member_org_id(user)
    shared = shared_incidents_counted_for(org).exclude(organisation_id=org)
    owners = sorted(set(shared.values_list("organisation_id", flat=True)))
    if not owners:
        return Q(pk__in=[])
    matching = Q()
    for owner in owners:
        stand_in = User(organisation_id=owner, role=Role.VIEWER)
        matching |= Q(pk__in=incident_list_visible_to(stand_in, filters).order_by().values("pk"))
    return Q(pk__in=shared.filter(matching).order_by().values("pk"))


def statistics_table(
    user: User,
    filters: IncidentFilters,
    *,
    rows: str,
    cols: str | None = None,
    measure: str = "incidents",
    source: str = "own",
) -> Table:
    """Counts of the user's incidents matching the filters, by `rows` (and `cols`)."""
    row_dim = dimension(rows, field="rows")
    col_dim = dimension(cols, field="cols") if cols else None
    if col_dim is row_dim:
        raise StatisticsInputError("Choose two different dimensions.", field="cols")
    if measure not in MEASURES:
        raise StatisticsInputError(f"Unknown measure {measure!r}.", field="measure")
    filters = counted_filters(filters)
    counted = _counted(counted_incidents(user, filters, source), row_dim, col_dim, measure)
    row_totals = _ordered(row_dim, counted.row_totals)
    col_totals = _ordered(col_dim, counted.col_totals) if col_dim else {}
    if col_dim:
        cells = [Cell(key_of(row_dim, r), key_of(col_dim, c), n) for r, c, n in counted.cells if n]
    else:
        cells = [Cell(row, None, n) for row, n in row_totals.items()]
    return Table(
        row_dim, col_dim, measure, filters, source, cells, row_totals, col_totals, counted.total
    )


@dataclass
class PageTables:
    """The tables one page shows (its table, the chart's, the map's), each distinct table
    counted once. The chart's table is often the page's own (origin x year by default), and
    a one-way table is the row or column totals of a two-way table by the same dimension:
    totals are counted as distinct incidents by their own grouping, as a one-way table's
    figures are, so taking them gives the same figures without counting again (the page
    counted one table up to three times: bench/README.md, "Statistics")."""

    user: User
    filters: IncidentFilters
    measure: str = "incidents"
    source: str = "own"
    counted: dict[tuple[str, str | None], Table] = field(default_factory=dict)

    def table(self, rows: str, cols: str | None = None) -> Table:
        found = self.counted.get((rows, cols)) or self._from_counted(rows, cols)
        if found is None:
            found = statistics_table(
                self.user,
                self.filters,
                rows=rows,
                cols=cols,
                measure=self.measure,
                source=self.source,
            )
        self.counted[(rows, cols)] = found
        return found

    def _from_counted(self, rows: str, cols: str | None) -> Table | None:
        if cols is not None:
            crossed = self.counted.get((cols, rows))
            return transposed(crossed) if crossed else None
        for table in self.counted.values():
            if table.rows.code == rows:
                return one_way(table, table.rows, table.row_totals)
            if table.cols and table.cols.code == rows:
                return one_way(table, table.cols, table.col_totals)
        return None


def one_way(table: Table, dim: Dimension, totals: dict[Key, int]) -> Table:
    """The one-way table by one of `table`'s dimensions, from its totals by it."""
    cells = [Cell(value, None, n) for value, n in totals.items()]
    return Table(
        dim, None, table.measure, table.filters, table.source, cells, totals, {}, table.total
    )


def transposed(table: Table) -> Table:
    """The same table with rows and columns swapped (both are ordered the same way)."""
    assert table.cols is not None
    cells = [Cell(c.col, c.row, c.value) for c in table.cells]
    return replace(
        table,
        rows=table.cols,
        cols=table.rows,
        cells=cells,
        row_totals=table.col_totals,
        col_totals=table.row_totals,
    )


class Counted(NamedTuple):
    """A table's figures as the database gives them (values before `key_of`)."""

    cells: list[tuple[Any, Any, int]]
    row_totals: list[tuple[Any, int]]
    col_totals: list[tuple[Any, int]]
    total: int


def _counted(
    qs: QuerySet[m.Incident], row_dim: Dimension, col_dim: Dimension | None, measure: str
) -> Counted:
    if measure == "incidents" and _one_pass():
        return _grouping_sets(qs, row_dim, col_dim)
    return _separately(qs, row_dim, col_dim, measure)


def _one_pass() -> bool:
    """PostgreSQL has GROUPING SETS; SQLite has them as a materialized CTE (3.35 on)."""
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 35)  # Django's sqlite3, the standard one
    return connection.vendor == "postgresql"


def _separately(
    qs: QuerySet[m.Incident], row_dim: Dimension, col_dim: Dimension | None, measure: str
) -> Counted:
    """Cells, row totals, column totals and total, a query each."""

    def totals(dim: Dimension) -> list[tuple[Any, int]]:
        return [(g["v"], g["n"]) for g in counts_by(qs, measure, v=dim.expression())]

    cells = []
    if col_dim:
        grouped = counts_by(qs, measure, r=row_dim.expression(), c=col_dim.expression())
        cells = [(g["r"], g["c"], g["n"]) for g in grouped]
    return Counted(
        cells,
        totals(row_dim),
        totals(col_dim) if col_dim else [],
        counts_by(qs, measure)[0]["n"] or 0,
    )


def _grouping_sets(
    qs: QuerySet[m.Incident], row_dim: Dimension, col_dim: Dimension | None
) -> Counted:
    """Cells, row totals, column totals and total in one pass over the (incident, values)
    rows, with GROUPING SETS: each still a count of distinct incidents, as separate
    queries give them, but the rows are read and joined once instead of four times
    (bench/README.md has what it bought). SQLite has no GROUPING SETS: there the rows are
    a CTE it materializes once, grouped each way and the groups put together."""
    values = {"r": row_dim.expression()} | ({"c": col_dim.expression()} if col_dim else {})
    try:
        sql, params = qs.values(**values, one_incident=F("id")).query.sql_with_params()
    except EmptyResultSet:  # no incident can match (a partner-less coalition)
        return Counted([], [], [], 0)
    with connection.cursor() as cursor:
        # Only the compiled query, with its parameters apart, and our own names.
        cursor.execute(_grouped_sql(sql, crossed=col_dim is not None), params)
        found = cursor.fetchall()
    if not col_dim:  # GROUPING(r): 0 a row's total, 1 the total
        found = [(r, None, 1 + 2 * grouped, n) for r, grouped, n in found]
    # GROUPING(r, c): 0 a cell, 1 a row's total, 2 a column's total, 3 the total.
    return Counted(
        [(r, c, n) for r, c, g, n in found if g == 0],
        [(r, n) for r, c, g, n in found if g == 1],
        [(c, n) for r, c, g, n in found if g == 2],
        next((n for r, c, g, n in found if g == 3), 0),
    )


def _grouped_sql(pairs: str, *, crossed: bool) -> str:
    """The query of `_grouping_sets` over the query of the pairs: rows of r (, c), their
    GROUPING (0 a cell, 1 a row's total, 2 a column's total, 3 the total) and the count."""
    keys = "r, c" if crossed else "r"
    count = "COUNT(DISTINCT one_incident)"
    if connection.vendor != "sqlite":
        grouping_sets = "(r, c), (r), (c), ()" if crossed else "(r), ()"
        return (
            f"SELECT {keys}, GROUPING({keys}), {count}"  # noqa: S608 - our names only
            f" FROM ({pairs}) pairs GROUP BY GROUPING SETS ({grouping_sets})"
        )
    # The groupings and the numbers GROUPING would give them.
    sets = (
        [("r, c", "r, c", 0), ("r, NULL", "r", 1), ("NULL, c", "c", 2), ("NULL, NULL", "", 3)]
        if crossed
        else [("r", "r", 0), ("NULL", "", 1)]
    )
    grouped = " UNION ALL ".join(
        f"SELECT {shown}, {g}, {count} FROM pairs{' GROUP BY ' + by if by else ''}"  # noqa: S608 - our names only
        for shown, by, g in sets
    )
    return f"WITH pairs AS MATERIALIZED ({pairs}) {grouped}"


def _ordered(dim: Dimension, counted: list[tuple[Any, int]]) -> dict[Key, int]:
    found = {key_of(dim, value): n for value, n in counted if n}
    return dict(sorted(found.items(), key=lambda item: _order(dim, *item)))


def key_of(dim: Dimension, value: Any) -> Key:
    return None if value is None else dim.key(value)


def _order(dim: Dimension, value: Key, count: int) -> tuple[Any, ...]:
    # Not recorded last; years and months in time order; the rest largest first.
    if dim.chronological:
        return (value is None, value or "")
    return (value is None, -count, dim.name(value))
