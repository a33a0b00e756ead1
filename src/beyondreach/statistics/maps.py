"""A world map of the counted incidents, by host country or by origin state: a choropleth
drawn on the server by vl-convert, like the time series (charts.py).

The country shapes are world-atlas's Natural Earth TopoJSON (statistics/data/), passed to
the renderer inline as data values, so it fetches nothing. Shapes are keyed by ISO 3166-1
numeric code; our records hold alpha-2 codes, mapped here with pycountry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import vl_convert

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.models import User
from beyondreach.statistics.charts import OFFLINE
from beyondreach.statistics.dimensions import Key
from beyondreach.statistics.selectors import MEASURES, Table, statistics_table

SHAPES = Path(__file__).parent / "data" / "countries-110m.json"
MAP_BY = {"origin": "Origin state", "host": "Host country"}


@cache
def shapes() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SHAPES.read_text())
    return loaded


@cache
def drawn_ids() -> frozenset[str]:
    """The numeric codes that have a shape (small states have none at 1:110m)."""
    return frozenset(
        str(g["id"]) for g in shapes()["objects"]["countries"]["geometries"] if g.get("id")
    )


def numeric_code(alpha_2: str) -> str | None:
    found = pycountry.countries.get(alpha_2=alpha_2)
    return str(found.numeric) if found else None


@dataclass(frozen=True)
class WorldMap:
    """The map's numbers: a one-way table by origin state or host country."""

    table: Table

    @property
    def title(self) -> str:
        return f"{MEASURES[self.table.measure]} by {self.table.rows.label.lower()}"

    def countries(self) -> list[tuple[Key, int]]:
        return [(k, n) for k, n in self.table.row_totals.items() if k and len(k) == 2]

    def not_drawn(self) -> list[Key]:
        """Values counted but not on the map: no country (a reason for no host, not
        recorded), or a country too small for the map's scale."""
        return [
            key
            for key in self.table.row_totals
            if not key or len(key) != 2 or numeric_code(key) not in drawn_ids()
        ]


def world_map(
    user: User, filters: IncidentFilters, *, by: str, measure: str, source: str = "own"
) -> WorldMap:
    return WorldMap(statistics_table(user, filters, rows=by, measure=measure, source=source))


def map_spec(found: WorldMap) -> dict[str, Any]:
    table = found.table
    counted = [(code, n) for code, n in found.countries() if code and numeric_code(code)]
    values = [
        {"id": numeric_code(code), "name": table.rows.name(code), "value": n} for code, n in counted
    ]
    countries = {"values": shapes(), "format": {"type": "topojson", "feature": "countries"}}
    top = max((n for _, n in counted), default=1)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": found.title,
        "width": 720,
        "height": 380,
        "projection": {"type": "equalEarth"},
        "layer": [
            {
                # Every country, so the map reads as a map where nothing was counted.
                "data": countries,
                "mark": {"type": "geoshape", "fill": "#e5e7eb", "stroke": "white"},
            },
            {
                "data": countries,
                "transform": [
                    {
                        "lookup": "id",
                        "from": {"data": {"values": values}, "key": "id", "fields": ["value"]},
                    },
                    {"filter": "isValid(datum.value)"},
                ],
                "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.5},
                "encoding": {
                    "color": {
                        "field": "value",
                        "type": "quantitative",
                        "title": MEASURES[table.measure],
                        "scale": {"scheme": "blues", "domain": [0, top]},
                        "legend": {"format": "d", "tickCount": min(top, 5)},
                    }
                },
            },
        ],
        "config": {
            "font": "sans-serif",
            "title": {"fontSize": 16},
            "legend": {"labelFontSize": 13, "titleFontSize": 13},
            "view": {"stroke": None},
        },
    }


def map_svg(found: WorldMap) -> str:
    return str(vl_convert.vegalite_to_svg(map_spec(found), allowed_base_urls=OFFLINE))


def map_png(found: WorldMap) -> bytes:
    return bytes(vl_convert.vegalite_to_png(map_spec(found), scale=2, allowed_base_urls=OFFLINE))
