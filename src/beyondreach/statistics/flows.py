"""Origin-to-host flows: the (origin state, host country, year) "dyads" researchers count,
one row each with its number of incidents, under the incident list's filters.

An incident with two origin states and two host countries is in four dyads, once each; the
total is the number of distinct incidents. An incident with no host country has its reason
for none as its host (the host dimension's values), so it is not lost from the flows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.models import User
from beyondreach.statistics.dimensions import DIMENSIONS, HOST, Key
from beyondreach.statistics.selectors import (
    MEASURES,
    StatisticsInputError,
    counted_filters,
    counted_incidents,
    counts_by,
    drill_filters,
    key_of,
)

ORIGIN, YEAR = DIMENSIONS["origin"], DIMENSIONS["year"]


@dataclass(frozen=True)
class Flow:
    origin: Key
    host: Key
    year: Key
    value: int


@dataclass(frozen=True)
class Flows:
    measure: str
    filters: IncidentFilters  # as counted (with the default scope)
    source: str  # own, partners or all
    flows: list[Flow]  # largest first
    total: int

    def drill(self, flow: Flow) -> IncidentFilters | None:
        """The list's filters showing exactly the flow's incidents, or None if it cannot."""
        if self.source != "own":
            return None  # the list holds our incidents only
        parts = ((ORIGIN, flow.origin), (HOST, flow.host), (YEAR, flow.year))
        return drill_filters(self.filters, parts)


def statistics_flows(
    user: User,
    filters: IncidentFilters,
    *,
    measure: str = "incidents",
    source: str = "own",
    total: int | None = None,
) -> Flows:
    """The user's incidents matching the filters, counted by origin, host and year.
    `total`: the measure of all of them, when the caller has it from a table of the same
    incidents (the page's own), so that it is not counted again."""
    if measure not in MEASURES:
        raise StatisticsInputError(f"Unknown measure {measure!r}.", field="measure")
    filters = counted_filters(filters)
    qs = counted_incidents(user, filters, source)
    grouped = counts_by(
        qs, measure, o=ORIGIN.expression(), h=HOST.expression(), y=YEAR.expression()
    )
    flows = [
        Flow(key_of(ORIGIN, g["o"]), key_of(HOST, g["h"]), key_of(YEAR, g["y"]), g["n"])
        for g in grouped
        if g["n"]
    ]
    flows.sort(key=lambda f: (-f.value, ORIGIN.name(f.origin), HOST.name(f.host), f.year or ""))
    if total is None:
        total = counts_by(qs, measure)[0]["n"] or 0
    return Flows(measure, filters, source, flows, total)


def flows_json(found: Flows) -> dict[str, Any]:
    """The API's shape: codes, not labels."""
    return {
        "measure": found.measure,
        "source": found.source,
        "flows": [
            {"origin": f.origin, "host": f.host, "year": f.year, "value": f.value}
            for f in found.flows
        ],
        "total": found.total,
    }


def flows_grid(found: Flows) -> list[list[str | int]]:
    grid: list[list[str | int]] = [
        ["Origin state", "Host country", "Year", MEASURES[found.measure]]
    ]
    for f in found.flows:
        grid.append([ORIGIN.name(f.origin), HOST.name(f.host), YEAR.name(f.year), f.value])
    return grid


def flows_csv(found: Flows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in flows_grid(found):
        writer.writerow(line)
    return out.getvalue()


def flows_xlsx(found: Flows) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Flows"
    for line in flows_grid(found):
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
