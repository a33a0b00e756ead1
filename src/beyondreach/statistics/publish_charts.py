"""The published series and map, drawn once when published from the published figures
(never the true ones): a suppressed point is left out of its line, a suppressed country
stays grey. The statistics page's own drawing (charts.py, maps.py) does the rest."""

from __future__ import annotations

from typing import Any

import vl_convert

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.statistics.charts import OFFLINE, Series, series_spec
from beyondreach.statistics.dimensions import DIMENSIONS
from beyondreach.statistics.maps import WorldMap, map_svg
from beyondreach.statistics.selectors import MEASURES, Table

TOP = 6  # lines of a series: the largest published ones


def item_svg(item: dict[str, Any]) -> str | None:
    kind = item["spec"]["kind"]
    if kind == "series":
        return _series_svg(item)
    if kind == "map":
        return _map_svg(item)
    return None


def _series_svg(item: dict[str, Any]) -> str:
    spec = item["spec"]
    rows, cols = DIMENSIONS[spec["rows"]], DIMENSIONS[spec["cols"]]
    periods = [c["col"] or "" for c in item["col_totals"]]
    chosen = [r["row"] for r in item["row_totals"] if r["row"] and r["value"] is not None][:TOP]
    values = {(c["row"], c["col"]): c["value"] for c in item["cells"]}
    lines = {rows.name(r): [values.get((r, p)) or 0 for p in periods] for r in chosen}
    title = f"{MEASURES[spec['measure']]} per {cols.label.lower()}, by {rows.label.lower()}"
    drawn = series_spec(Series(title, periods, lines, spec["measure"]))
    if lines:
        # Only the published points: a suppressed one is a gap, not a zero.
        drawn["data"]["values"] = [
            {"period": p, "line": rows.name(r), "value": values[(r, p)]}
            for r in chosen
            for p in periods
            if values.get((r, p)) is not None
        ]
    return str(vl_convert.vegalite_to_svg(drawn, allowed_base_urls=OFFLINE))


def _map_svg(item: dict[str, Any]) -> str:
    spec = item["spec"]
    shown = {r["row"]: r["value"] for r in item["row_totals"] if r["value"] is not None}
    table = Table(
        rows=DIMENSIONS[spec["rows"]],
        cols=None,
        measure=spec["measure"],
        filters=IncidentFilters(),
        source="own",
        cells=[],
        row_totals=shown,
        col_totals={},
        total=0,
    )
    return map_svg(WorldMap(table))
