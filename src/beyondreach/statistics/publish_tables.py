"""The figures of a publication: each asked table counted once, then put through its
disclosure control (small-cell suppression, publish_suppression.py, or differential
privacy, publish_dp.py). The result is plain JSON, stored as it is (models.Publication).

A published figure is {"value": n} (None: suppressed) or, under differential privacy,
{"value": n, "low": a, "high": b}, its 95% interval.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pycountry
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.selectors import TACTIC_CATEGORIES
from beyondreach.statistics import publish_dp
from beyondreach.statistics.dimensions import DIMENSIONS, Key, _categories
from beyondreach.statistics.publish_suppression import Entry, Line, rounded, suppress
from beyondreach.statistics.selectors import counts_by, key_of
from beyondreach.vocab.loader import vocabulary

SUPPRESSION = "suppression"
DP = "dp"
METHODS = {SUPPRESSION: "Small-cell suppression", DP: "Differential privacy"}
KINDS = {"table": "Table", "series": "Time series (chart)", "map": "World map"}
FIRST_YEAR = 2000  # differential privacy's years and months: from this one to this year


@dataclass(frozen=True)
class ItemSpec:
    """One table to publish, as the admin asked for it."""

    kind: str  # KINDS: a series is rows (lines) x year or month; a map is by host or origin
    rows: str
    cols: str | None
    measure: str
    method: str
    threshold: int = 10
    base: int = 5
    epsilon: float = 1.0


@dataclass
class Counts:
    rows: list[Key]
    cols: list[Key]
    cells: dict[tuple[Key, Key], int]
    row_totals: dict[Key, int]
    col_totals: dict[Key, int]
    total: int


def count(qs: QuerySet[m.Incident], spec: ItemSpec, rows: list[Key] | None = None) -> Counts:
    """The true figures (only ever stored after disclosure control). `rows`, `cols`: every
    value to count (differential privacy's domain), else the values recorded."""
    row_dim = DIMENSIONS[spec.rows]
    row_totals = _by(qs, spec, spec.rows)
    col_totals = _by(qs, spec, spec.cols) if spec.cols else {}
    cells: dict[tuple[Key, Key], int] = {}
    if spec.cols:
        col_dim = DIMENSIONS[spec.cols]
        grouped = counts_by(qs, spec.measure, r=row_dim.expression(), c=col_dim.expression())
        for g in grouped:
            cells[(key_of(row_dim, g["r"]), key_of(col_dim, g["c"]))] = g["n"] or 0
    else:
        cells = {(k, None): n for k, n in row_totals.items()}
    total = counts_by(qs, spec.measure)[0]["n"] or 0
    return Counts(list(row_totals), list(col_totals), cells, row_totals, col_totals, total)


def _by(qs: QuerySet[m.Incident], spec: ItemSpec, code: str) -> dict[Key, int]:
    dim = DIMENSIONS[code]
    grouped = counts_by(qs, spec.measure, v=dim.expression())
    return {key_of(dim, g["v"]): g["n"] for g in grouped if g["n"]}


# --- Small-cell suppression -------------------------------------------------------------


def _margin(measure: str, dim: str, key: Key) -> Entry:
    return ("margin", measure, dim, key)


def _cell(spec: ItemSpec, row: Key, col: Key) -> Entry:
    if spec.cols is None:
        return _margin(spec.measure, spec.rows, row)
    # The same cell whichever way round a table crosses the two dimensions.
    a, b = sorted([(spec.rows, row), (spec.cols, col)], key=lambda pair: pair[0])
    return ("cell", spec.measure, a, b)


def _entries(spec: ItemSpec, counts: Counts) -> tuple[dict[Entry, int], list[Line]]:
    total: Entry = ("total", spec.measure)
    values: dict[Entry, int] = {total: counts.total}
    for key, n in counts.row_totals.items():
        values[_margin(spec.measure, spec.rows, key)] = n
    rows = [_margin(spec.measure, spec.rows, k) for k in counts.rows]
    lines = [Line(total, tuple(rows))]
    if spec.cols is None:
        return values, lines
    for key, n in counts.col_totals.items():
        values[_margin(spec.measure, spec.cols, key)] = n
    lines.append(Line(total, tuple(_margin(spec.measure, spec.cols, k) for k in counts.cols)))
    for r in counts.rows:
        row = tuple(_cell(spec, r, c) for c in counts.cols)
        lines.append(Line(_margin(spec.measure, spec.rows, r), row))
    for c in counts.cols:
        col = tuple(_cell(spec, r, c) for r in counts.rows)
        lines.append(Line(_margin(spec.measure, spec.cols, c), col))
    for r in counts.rows:
        for c in counts.cols:
            values[_cell(spec, r, c)] = counts.cells.get((r, c), 0)
    return values, lines


def suppressed_items(specs: list[ItemSpec], counted: list[Counts]) -> list[dict[str, Any]]:
    """Every suppressed table at once: tables that share a dimension share its totals, and
    a total hidden in one must be hidden in all (the attacker reads them all)."""
    values: dict[Entry, int] = {}
    lines: dict[Line, None] = {}  # in order, without repeats
    small: set[Entry] = set()
    for spec, counts in zip(specs, counted, strict=True):
        found, found_lines = _entries(spec, counts)
        values.update(found)
        lines.update(dict.fromkeys(found_lines))
        small |= {e for e, n in found.items() if 0 < n < spec.threshold}
    hidden = suppress(values, list(lines), small)

    def figure(spec: ItemSpec, entry: Entry) -> dict[str, Any]:
        n = values[entry]
        return {"value": None if entry in hidden else rounded(n, spec.base)}

    items = []
    for spec, counts in zip(specs, counted, strict=True):
        params = {"threshold": spec.threshold, "base": spec.base}
        items.append(
            _item(
                spec,
                params,
                counts,
                cell=lambda r, c, s=spec: figure(s, _cell(s, r, c)),
                row=lambda k, s=spec: figure(s, _margin(s.measure, s.rows, k)),
                col=lambda k, s=spec: figure(s, _margin(s.measure, s.cols or "", k)),
                total=figure(spec, ("total", spec.measure)),
            )
        )
    return items


def _item(
    spec: ItemSpec,
    params: dict[str, Any],
    counts: Counts,
    *,
    cell: Any,
    row: Any,
    col: Any,
    total: dict[str, Any],
) -> dict[str, Any]:
    rows = _ordered(spec.rows, {k: row(k) for k in counts.rows})
    cols = _ordered(spec.cols, {k: col(k) for k in counts.cols}) if spec.cols else {}
    return {
        "spec": asdict(spec),
        "params": params,
        "row_totals": [{"row": k, **f} for k, f in rows.items()],
        "col_totals": [{"col": k, **f} for k, f in cols.items()],
        "cells": [{"row": r, "col": c, **cell(r, c)} for r in rows for c in (cols or [None])],
        "total": total,
    }


def _ordered(code: str | None, figures: dict[Key, dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """Years and months in time order; the rest by their published value, hidden ones last
    (never by their true value, which would tell the hidden ones' order)."""
    dim = DIMENSIONS[code or ""]
    if dim.chronological:
        return dict(sorted(figures.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))

    def order(kv: tuple[Key, dict[str, Any]]) -> tuple[Any, ...]:
        value = kv[1]["value"]
        return (kv[0] is None, value is None, -(value or 0), dim.name(kv[0]))

    return dict(sorted(figures.items(), key=order))


# --- Differential privacy ----------------------------------------------------------------


def domain(code: str) -> list[Key]:
    """Every value a dimension can take, known without looking at any incident."""
    this_year = timezone.now().year
    years = [str(y) for y in range(FIRST_YEAR, this_year + 1)]
    countries: list[Key] = [*sorted(str(c.alpha_2) for c in pycountry.countries)]
    found: dict[str, list[Key]] = {
        "origin": [*countries, None],
        "host": [*countries, *m.HostReason.values, None],
        "tactic": [*vocabulary("tactics").terms, None],
        "tactic_category": [*(c for c in TACTIC_CATEGORIES if c in _categories()), None],
        "target_group": [*vocabulary("target_groups").terms, None],
        "actor_type": [*vocabulary("actor_types").terms, None],
        "mechanism_kind": [*m.MechanismKind.values, None],
        "verification": list(m.Verification.values),
        "scope": [s for s in m.Scope.values if s != m.Scope.OUT_OF_SCOPE],
        "year": [*years],
        "month": [f"{y}-{n:02d}" for y in years for n in range(1, 13)],
        "fh_definition": ["freedom_house", "other"],
    }
    return found[code]


def bounded(qs: QuerySet[m.Incident], spec: ItemSpec) -> QuerySet[m.Incident]:
    """The incidents that fit differential privacy's bounds: dates within the years'
    domain, and at most MULTI_BOUND values of each multi-valued dimension."""
    today = timezone.localdate()
    qs = qs.filter(start_date__gte=date(FIRST_YEAR, 1, 1), start_date__lte=today)
    for code in filter(None, (spec.rows, spec.cols)):
        if publish_dp.bound(code) > 1:
            many = (
                m.Incident.objects.annotate(n=Count(DIMENSIONS[code].expression(), distinct=True))
                .filter(n__gt=publish_dp.MULTI_BOUND)
                .values("pk")
            )
            qs = qs.exclude(Q(pk__in=many))
    return qs


def private_item(qs: QuerySet[m.Incident], spec: ItemSpec) -> dict[str, Any]:
    counts = count(bounded(qs, spec), spec)
    rows = domain(spec.rows)
    cols = domain(spec.cols) if spec.cols else []
    true = [counts.cells.get((r, c), 0) for r in rows for c in cols] if cols else []
    true += [counts.row_totals.get(k, 0) for k in rows]
    true += [counts.col_totals.get(k, 0) for k in cols]
    true.append(counts.total)
    l1 = publish_dp.sensitivity(spec.rows, spec.cols)
    noisy = publish_dp.release(true, l1=l1, epsilon=spec.epsilon)
    margin = noisy.margin
    values = iter(noisy.values)
    cell_values = {(r, c): next(values) for r in rows for c in cols}
    row_values = {k: next(values) for k in rows}
    col_values = {k: next(values) for k in cols}
    total_value = next(values)

    def figure(n: int) -> dict[str, Any]:
        # Post-processing: no count below zero; the interval around the noisy value.
        return {"value": max(n, 0), "low": max(n - margin, 0), "high": max(n + margin, 0)}

    # Shown: values whose noisy total stands above zero's interval (post-processing too).
    shown = Counts(
        [k for k in rows if row_values[k] > margin],
        [k for k in cols if col_values[k] > margin],
        {},
        {},
        {},
        0,
    )
    params = {
        "epsilon": spec.epsilon,
        "sensitivity": l1,
        "bound": publish_dp.MULTI_BOUND,
        "scale": noisy.scale,
        "interval": margin,
        "first_year": FIRST_YEAR,
    }
    return _item(
        spec,
        params,
        shown,
        cell=lambda r, c: figure(cell_values[(r, c)] if cols else row_values[r]),
        row=lambda k: figure(row_values[k]),
        col=lambda k: figure(col_values[k]),
        total=figure(total_value),
    )


def publication_items(qs: QuerySet[m.Incident], specs: list[ItemSpec]) -> list[dict[str, Any]]:
    """The published figures of every item, in the order asked."""
    suppressed = [s for s in specs if s.method == SUPPRESSION]
    by_spec = iter(suppressed_items(suppressed, [count(qs, s) for s in suppressed]))
    return [next(by_spec) if s.method == SUPPRESSION else private_item(qs, s) for s in specs]
