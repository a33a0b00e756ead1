"""Stored published figures read back for people (the public page, its CSV) and machines
(its JSON). Nothing here counts: it reads Publication.items."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from beyondreach.statistics.dimensions import DIMENSIONS, Dimension, Key
from beyondreach.statistics.publish_tables import DP, KINDS, METHODS
from beyondreach.statistics.selectors import MEASURES
from beyondreach.statistics.tables import _inert

HIDDEN = "suppressed"


@dataclass(frozen=True)
class Figure:
    value: int | None  # None: suppressed
    low: int | None = None  # differential privacy's 95% interval
    high: int | None = None

    def __str__(self) -> str:
        if self.value is None:
            return HIDDEN
        if self.low is None:
            return str(self.value)
        return f"{self.value} ({self.low} to {self.high})"


def _figure(stored: dict[str, Any]) -> Figure:
    return Figure(stored["value"], stored.get("low"), stored.get("high"))


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Figure]
    total: Figure


class PublishedTable:
    def __init__(self, item: dict[str, Any], index: int) -> None:
        self.item = item
        self.index = index
        spec = item["spec"]
        self.kind: str = spec["kind"]
        self.method: str = spec["method"]
        self.measure: str = spec["measure"]
        self.rows_dim: Dimension = DIMENSIONS[spec["rows"]]
        self.cols_dim: Dimension | None = DIMENSIONS[spec["cols"]] if spec["cols"] else None
        self.params: dict[str, Any] = item["params"]

    @property
    def title(self) -> str:
        what = MEASURES[self.measure]
        if self.cols_dim is None:
            return f"{what} by {self.rows_dim.label.lower()}"
        return f"{what} by {self.rows_dim.label.lower()} and {self.cols_dim.label.lower()}"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def method_label(self) -> str:
        return METHODS[self.method]

    @property
    def private(self) -> bool:
        return self.method == DP

    @property
    def col_keys(self) -> list[Key]:
        return [c["col"] for c in self.item["col_totals"]]

    def header(self) -> list[str]:
        first = self.rows_dim.label
        if self.cols_dim is None:
            return [first, MEASURES[self.measure]]
        names = [self.cols_dim.name(k) for k in self.col_keys]
        return [f"{first} \\ {self.cols_dim.label}", *names, "Total"]

    def lines(self) -> list[Row]:
        cells = {(c["row"], c["col"]): _figure(c) for c in self.item["cells"]}
        found = []
        for row in self.item["row_totals"]:
            key = row["row"]
            own = [cells[(key, c)] for c in self.col_keys] if self.cols_dim else []
            found.append(Row(self.rows_dim.name(key), own, _figure(row)))
        return found

    def totals(self) -> Row:
        cols = [_figure(c) for c in self.item["col_totals"]]
        return Row("Total", cols, _figure(self.item["total"]))

    def grid(self) -> list[list[str]]:
        lines = [*self.lines(), self.totals()]
        return [self.header()] + [
            [line.label, *(str(f) for f in line.cells), str(line.total)] for line in lines
        ]


def published_tables(items: list[dict[str, Any]]) -> list[PublishedTable]:
    return [PublishedTable(item, i) for i, item in enumerate(items)]


def publication_csv(items: list[dict[str, Any]]) -> str:
    """Every published table, one after the other, each under its title and method."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in published_tables(items):
        writer.writerow([table.title, table.method_label, _parameters(table)])
        for line in table.grid():
            writer.writerow([_inert(v) for v in line])
        writer.writerow([])
    return out.getvalue()


def _parameters(table: PublishedTable) -> str:
    p = table.params
    if table.private:
        return f"epsilon {p['epsilon']}; 95% interval ±{p['interval']}"
    return f"threshold {p['threshold']}; rounded to base {p['base']}"


def publication_json(
    items: list[dict[str, Any]], *, organisation: str, published_at: str
) -> dict[str, Any]:
    """Codes, like the API's statistics; null for a suppressed figure."""

    def figure(stored: dict[str, Any], **key: Key) -> dict[str, Any]:
        return {**key, **{k: stored[k] for k in ("value", "low", "high") if k in stored}}

    tables = []
    for item in items:
        spec = item["spec"]
        tables.append(
            {
                "kind": spec["kind"],
                "rows": spec["rows"],
                "cols": spec["cols"],
                "measure": spec["measure"],
                "method": spec["method"],
                "parameters": item["params"],
                "cells": [figure(c, row=c["row"], col=c["col"]) for c in item["cells"]],
                "row_totals": [figure(r, row=r["row"]) for r in item["row_totals"]],
                "col_totals": [figure(c, col=c["col"]) for c in item["col_totals"]],
                "total": figure(item["total"]),
            }
        )
    return {"organisation": organisation, "published_at": published_at, "tables": tables}
