"""Charts drawn on the server: Vega-Lite specifications rendered by vl-convert to SVG or PNG.

Nothing runs in the browser, so the page needs neither a script nor `unsafe-eval`, and the
chart is an image of the same origin (the CSP's img-src 'self')."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import vl_convert

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.models import User
from beyondreach.statistics.selectors import MEASURES, Table, statistics_table


@dataclass(frozen=True)
class Series:
    """A time series as numbers: the chart's data and its accessible table."""

    title: str
    periods: list[str]
    lines: dict[str, list[int]]  # a line's label -> its value in each period
    measure: str

    def points(self) -> list[dict[str, Any]]:
        return [
            {"period": period, "line": label, "value": values[i]}
            for label, values in self.lines.items()
            for i, period in enumerate(self.periods)
        ]


def time_series(
    user: User,
    filters: IncidentFilters,
    *,
    series: str,
    period: str,
    top: int,
    measure: str,
    source: str = "own",
) -> Series:
    """One line per value of `series` (the `top` largest), per year or month."""
    table = statistics_table(
        user, filters, rows=series, cols=period, measure=measure, source=source
    )
    return series_of(table, top)


def series_of(table: Table, top: int) -> Series:
    """A table of lines (rows) per period (columns) as a chart's series."""
    periods = list(table.col_totals)
    chosen = [value for value in table.row_totals if value is not None][:top]
    lines = {table.rows.name(v): [table.value(v, p) for p in periods] for v in chosen}
    assert table.cols is not None
    measure = table.measure
    title = f"{MEASURES[measure]} per {table.cols.label.lower()}, by {table.rows.label.lower()}"
    return Series(title, [p or "" for p in periods], lines, measure)


def series_spec(found: Series) -> dict[str, Any]:
    if not found.lines:
        # Nothing to draw still gives an image (PNG refuses an empty one), which says so.
        return {
            "width": 640,
            "height": 60,
            "data": {"values": [{"text": "No incident to draw."}]},
            "mark": {"type": "text", "fontSize": 14},
            "encoding": {"text": {"field": "text"}},
        }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": found.title,
        "width": 640,
        "height": 300,
        "data": {"values": found.points()},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "period",
                "type": "ordinal",
                "title": None,
                "sort": found.periods,
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": MEASURES[found.measure],
                "axis": {"format": "d", "values": _whole_ticks(found)},
            },
            "color": {"field": "line", "type": "nominal", "title": None},
        },
        "config": {
            "font": "sans-serif",
            "title": {"fontSize": 16},
            "axis": {"labelFontSize": 13, "titleFontSize": 13},
            "legend": {"orient": "bottom", "columns": 3, "labelFontSize": 13},
        },
    }


def _whole_ticks(found: Series) -> list[int]:
    """About five ticks, on whole numbers: counts have no halves."""
    top = max((v for values in found.lines.values() for v in values), default=0)
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step))


# No base URL allowed: the renderer fetches nothing (the data is inline, fonts are its own).
OFFLINE: list[str] = []


def series_svg(found: Series) -> str:
    return str(vl_convert.vegalite_to_svg(series_spec(found), allowed_base_urls=OFFLINE))


def series_png(found: Series) -> bytes:
    spec = series_spec(found)
    return bytes(vl_convert.vegalite_to_png(spec, scale=2, allowed_base_urls=OFFLINE))
