"""INTERPOL cases and designations in numbers on the statistics page (issue 12, item 6):
notices and diffusions by issuing state and year, the CCF's decisions by grounds and outcome,
designations by listing state and status. The counting is accountability's own
(`interpol_counts`, `designation_counts`); here each number gets its link to the list of
INTERPOL cases or designations that shows its records, and the tables their CSV.

Coded parts only, the organisation's own records: every staff role sees them."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pycountry
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from beyondreach.accountability import models as am
from beyondreach.accountability.list_filters import UNKNOWN_YEAR
from beyondreach.accountability.selectors import (
    Counts,
    DesignationCounts,
    designation_counts,
    interpol_counts,
)
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.models import User
from beyondreach.statistics.tables import TOTAL, _inert


@dataclass(frozen=True)
class Number:
    value: int
    url: str | None  # the list of cases or designations holding exactly these; None: none


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Number]
    total: Number


@dataclass(frozen=True)
class CountTable:
    code: str  # its id on the page and its CSV's name
    caption: str
    row_label: str
    cols: list[str]
    lines: list[Line]
    totals: Line | None  # a line of totals, where the rows add up to them
    total_label: str = TOTAL  # the last column's heading

    @property
    def csv_url(self) -> str:
        return reverse(f"statistics-{self.code}-csv")

    def grid(self) -> list[list[str | int]]:
        header: list[str | int] = [self.row_label, *self.cols, self.total_label]
        rows: list[list[str | int]] = [
            [line.label, *(n.value for n in line.cells), line.total.value] for line in self.lines
        ]
        if self.totals is not None:
            rows.append([TOTAL, *(n.value for n in self.totals.cells), self.totals.total.value])
        return [header, *rows]


def _name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(found.name) if found else code


def _link(name: str, value: int, **query: str) -> Number:
    return Number(
        value, reverse(name) + ("?" + urlencode(query) if query else "") if value else None
    )


def _year(year: int | None) -> str:
    return UNKNOWN_YEAR if year is None else str(year)


def notices_table(counts: Counts) -> CountTable:
    """By issuing state and year: a case has one state and one year, so rows and columns add
    up to their totals."""
    cases = "interpol-case-list"
    lines = [
        Line(
            _name(state),
            [
                _link(cases, n, issuing_state=state, year=_year(y))
                for y, n in zip(counts.years, per_year, strict=True)
            ],
            _link(cases, total, issuing_state=state),
        )
        for state, per_year, total in counts.by_state
    ]
    col_totals = [
        sum(per_year[i] for _, per_year, _ in counts.by_state) for i in range(len(counts.years))
    ]
    grand = sum(total for _, _, total in counts.by_state)
    return CountTable(
        code="notices",
        caption="Notices and diffusions by issuing state and year issued",
        row_label="Issuing state",
        cols=[str(y) if y is not None else "Date not known" for y in counts.years],
        lines=lines,
        totals=Line(
            TOTAL,
            [_link(cases, n, year=_year(y)) for y, n in zip(counts.years, col_totals, strict=True)],
            _link(cases, grand),
        ),
    )


def grounds_table(counts: Counts) -> CountTable:
    """The CCF's decisions by grounds, then by outcome: a decision may cite several grounds,
    so the grounds' rows add up to more than the decisions; no line of totals."""
    cases = "interpol-case-list"
    code_of = {str(label): code for code, label in am.CcfGround.choices}
    outcome_of = {str(label): code for code, label in am.CcfOutcome.choices}
    lines = [
        Line(label, [], _link(cases, n, ground=code_of[label])) for label, n in counts.by_ground
    ]
    lines += [
        Line(f"Outcome: {label}", [], _link(cases, n, outcome=outcome_of[label]))
        for label, n in counts.by_outcome
    ]
    return CountTable(
        code="grounds",
        caption=f"The CCF's decisions by their grounds and outcome ({counts.decided} decided)",
        row_label="Grounds or outcome",
        cols=[],
        lines=lines,
        totals=None,
        total_label="Decisions",
    )


def designations_table(counts: DesignationCounts) -> CountTable:
    listed = "designation-list"
    codes = [code for code, _ in counts.statuses]
    lines = [
        Line(
            _name(state),
            [
                _link(listed, n, listing_state=state, status=code)
                for code, n in zip(codes, per_status, strict=True)
            ],
            _link(listed, total, listing_state=state),
        )
        for state, per_status, total in counts.by_state
    ]
    col_totals = [sum(p[i] for _, p, _ in counts.by_state) for i in range(len(codes))]
    return CountTable(
        code="designations",
        caption="Designations by listing state and their status now",
        row_label="Listing state",
        cols=[label for _, label in counts.statuses],
        lines=lines,
        totals=Line(
            TOTAL,
            [_link(listed, n, status=c) for c, n in zip(codes, col_totals, strict=True)],
            _link(listed, counts.total),
        ),
    )


def count_tables(user: User) -> list[CountTable]:
    counts = interpol_counts(user)
    return [
        notices_table(counts),
        grounds_table(counts),
        designations_table(designation_counts(user)),
    ]


def headline(user: User) -> dict[str, int]:
    """The figures the statistics page shows beside its link to these tables."""
    counts = interpol_counts(user)
    return {
        "notices": sum(total for _, _, total in counts.by_state),
        "decisions": counts.decided,
        "designations": designation_counts(user).total,
    }


@member_required()
@require_safe
def accountability_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"tables": count_tables(request_user(request))}
    return render(request, "statistics/accountability.html", context)


@member_required()
@require_safe
def accountability_csv(request: HttpRequest, table: str) -> HttpResponse:
    [found] = [t for t in count_tables(request_user(request)) if t.code == table]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in found.grid():
        writer.writerow([_inert(v) for v in line])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="statistics-{table}.csv"'
    return response
