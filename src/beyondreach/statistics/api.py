"""GET /api/v1/statistics: counts of incidents, for every staff role (counts only)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from beyondreach.cases.api import IncidentFiltersIn
from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.decorators import api_user
from beyondreach.statistics.dimensions import DIMENSIONS
from beyondreach.statistics.flows import flows_json, statistics_flows
from beyondreach.statistics.selectors import StatisticsInputError, statistics_table
from beyondreach.statistics.tables import table_json

router = Router()
DIMENSION_LIST = ", ".join(DIMENSIONS)
Source = Literal["own", "partners", "all"]
SOURCE_HELP = (
    "own: your organisation's incidents; partners: those partners shared with it "
    "(at any level, counted only included; the same incident shared by two partners counts "
    "twice); all: both, an incident once."
)


class TableIn(Schema):
    rows: str = Field(description=f"A dimension: {DIMENSION_LIST}.")
    cols: str | None = Field(None, description="A second dimension; none: a one-way table.")
    measure: Literal["incidents", "targets"] = "incidents"
    source: Source = Field("own", description=SOURCE_HELP)


class CellOut(Schema):
    row: str | None
    col: str | None
    value: int


class RowTotalOut(Schema):
    row: str | None
    value: int


class ColTotalOut(Schema):
    col: str | None
    value: int


class StatisticsOut(Schema):
    rows: str
    cols: str | None
    measure: str
    source: str
    cells: list[CellOut]
    row_totals: list[RowTotalOut]
    col_totals: list[ColTotalOut]
    total: int


def filters_from(chosen: IncidentFiltersIn) -> IncidentFilters:
    """The list's filters, but a target's name: statistics are counts, for every role, and
    a name in a URL would be logged."""
    if chosen.q:
        raise StatisticsInputError("Statistics are not filtered by a name.", field="q")
    return IncidentFilters(**{k: v for k, v in chosen.model_dump().items() if v is not None})


@router.get("/statistics", response=StatisticsOut, tags=["statistics"])
def statistics(
    request: HttpRequest, table: Query[TableIn], filters: Query[IncidentFiltersIn]
) -> dict[str, Any]:
    """Counts of your organisation's incidents by `rows` (and `cols`), filtered like the
    list. An incident with several values (origin states, tactics) counts once in each of
    its cells and once in every total; out-of-scope incidents only when `scope` asks."""
    user = api_user(request)
    found = statistics_table(
        user,
        filters_from(filters),
        rows=table.rows,
        cols=table.cols,
        measure=table.measure,
        source=table.source,
    )
    return table_json(found)


class FlowsIn(Schema):
    measure: Literal["incidents", "targets"] = "incidents"
    source: Source = Field("own", description=SOURCE_HELP)


class FlowOut(Schema):
    origin: str | None
    host: str | None
    year: str | None
    value: int


class FlowsOut(Schema):
    measure: str
    source: str
    flows: list[FlowOut]
    total: int


@router.get("/statistics/flows", response=FlowsOut, tags=["statistics"])
def flows(
    request: HttpRequest, chosen: Query[FlowsIn], filters: Query[IncidentFiltersIn]
) -> dict[str, Any]:
    """Your organisation's incidents by origin state, host country and year (the dyads),
    largest first, filtered like the list. `host` is a country code, or the reason for no
    host country; an incident is in each of its flows and once in `total`."""
    user = api_user(request)
    found = statistics_flows(
        user, filters_from(filters), measure=chosen.measure, source=chosen.source
    )
    return flows_json(found)
