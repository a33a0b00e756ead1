"""A counted table written out: as the API's JSON, and as rows of labels for CSV and XLSX."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from beyondreach.statistics.selectors import MEASURES, Table

TOTAL = "Total"


def table_json(table: Table) -> dict[str, Any]:
    """The API's shape: codes, not labels (a client has the vocabularies)."""
    return {
        "rows": table.rows.code,
        "cols": table.cols.code if table.cols else None,
        "measure": table.measure,
        "source": table.source,
        "cells": [{"row": c.row, "col": c.col, "value": c.value} for c in table.cells],
        "row_totals": [{"row": k, "value": v} for k, v in table.row_totals.items()],
        "col_totals": [{"col": k, "value": v} for k, v in table.col_totals.items()],
        "total": table.total,
    }


def table_grid(table: Table) -> list[list[str | int]]:
    """The table as people read it: a header, a line per row value with its total, and a
    line of totals. Labels, never codes."""
    cols = list(table.col_totals)
    heading = f"{table.rows.label} \\ {table.cols.label}" if table.cols else table.rows.label
    header: list[str | int] = [heading]
    if table.cols:
        header += [table.cols.name(c) for c in cols]
    header.append(f"{TOTAL} ({MEASURES[table.measure].lower()})")
    grid = [header]
    for row, total in table.row_totals.items():
        grid.append([table.rows.name(row), *(table.value(row, c) for c in cols), total])
    grid.append([TOTAL, *table.col_totals.values(), table.total])
    return grid


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in table_grid(table):
        # A label that starts like a formula is not run as one by a spreadsheet.
        writer.writerow([_inert(v) for v in line])
    return out.getvalue()


def table_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Statistics"
    for line in table_grid(table):
        sheet.append([_inert(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _inert(value: str | int) -> str | int:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
