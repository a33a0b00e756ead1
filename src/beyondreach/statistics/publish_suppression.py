"""Small-cell suppression of published tables, with complementary suppression and an audit.

A publication is a set of figures ("entries": cells, margins and grand totals of every
published table) tied by lines: a margin and the cells it totals. Tables that share a
dimension share its margins (the same variable), so hiding a margin in one table hides it
in every table: an attacker gets every published table at once.

1. Primary: every entry with 0 < value < threshold is hidden. A zero is published: it
   names nobody.
2. Complementary: while a line holds exactly one hidden entry, that entry is its margin
   minus the rest, so another entry of the line is hidden (its smallest positive one).
3. Audit: the attacker's own method. For every hidden entry, the least and greatest
   values that agree with everything published (integer linear programs over the lines,
   scipy's HiGHS). Where they are equal the entry is disclosed: one more entry of its
   lines is hidden, and the audit runs again. It ends: hiding everything discloses
   nothing.

A line's margin counts distinct incidents; with a dimension that holds several values per
incident (two origin states), the margin is less than the sum of its cells. The audit then
knows only that the margin lies between its largest cell and their sum. Where the true
figures add up, it assumes the attacker knows that they do (the stronger attacker).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import (  # type: ignore[import-untyped]  # SciPy ships no type hints
    Bounds,
    LinearConstraint,
    milp,
)

Entry = Hashable


@dataclass(frozen=True)
class Line:
    margin: Entry
    parts: tuple[Entry, ...]


def rounded(value: int, base: int) -> int:
    """To the nearest multiple of `base`, halves up (12 -> 10, 13 -> 15)."""
    return (value + base // 2) // base * base if base > 1 else value


def primary(values: dict[Entry, int], threshold: int) -> set[Entry]:
    return {e for e, n in values.items() if 0 < n < threshold}


def suppress(values: dict[Entry, int], lines: list[Line], small: set[Entry]) -> set[Entry]:
    """The entries to hide: the `small` ones (`primary`), and enough others that none can
    be recomputed from what is published."""
    hidden = set(small)
    while True:
        _complete(values, lines, hidden)
        disclosed = [e for e, (lo, hi) in intervals(values, lines, hidden).items() if lo == hi]
        if not disclosed:
            return hidden
        for entry in disclosed:
            _widen(values, lines, hidden, entry)


def _members(line: Line) -> tuple[Entry, ...]:
    return (line.margin, *line.parts)


def _complete(values: dict[Entry, int], lines: list[Line], hidden: set[Entry]) -> None:
    """Hide a second entry in every line that has exactly one hidden."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(e in hidden for e in _members(line)) == 1:
                hidden.add(_companion(values, line, hidden))
                changed = True


def _companion(values: dict[Entry, int], line: Line, hidden: set[Entry]) -> Entry:
    """The entry of the line to hide beside its hidden one: its smallest positive cell
    (the least information lost), else its margin, else any cell (a zero)."""
    cells = [e for e in line.parts if e not in hidden]
    positive = sorted((e for e in cells if values[e] > 0), key=lambda e: values[e])
    if positive:
        return positive[0]
    if line.margin not in hidden:
        return line.margin
    return cells[0]


def _widen(values: dict[Entry, int], lines: list[Line], hidden: set[Entry], entry: Entry) -> None:
    for line in lines:
        if entry in _members(line) and any(e not in hidden for e in _members(line)):
            hidden.add(_companion(values, line, hidden))
            return
    raise AssertionError("an entry with every line hidden cannot be disclosed")


def additive(values: dict[Entry, int], line: Line) -> bool:
    return values[line.margin] == sum(values[e] for e in line.parts)


def intervals(
    values: dict[Entry, int], lines: list[Line], hidden: Iterable[Entry]
) -> dict[Entry, tuple[float, float]]:
    """For each hidden entry, its least and greatest value (inf: no upper bound) among the
    whole numbers that agree with every published entry and every line."""
    unknown = sorted(hidden, key=repr)
    if not unknown:
        return {}
    index = {e: i for i, e in enumerate(unknown)}
    constraint = _constraints(values, lines, index)
    size = len(index)
    return {
        e: (_extreme(constraint, size, i, 1), _extreme(constraint, size, i, -1))
        for e, i in index.items()
    }


def _constraints(
    values: dict[Entry, int], lines: list[Line], index: dict[Entry, int]
) -> LinearConstraint | None:
    """The lines that hold a hidden entry, with the published entries moved to the bounds:
    margin = sum of cells where the truth adds up; else max(cells) <= margin <= sum."""
    rows: list[np.ndarray] = []
    low: list[float] = []
    high: list[float] = []

    def add(coefficients: dict[Entry, int], lo: float, hi: float) -> None:
        row = np.zeros(len(index))
        known = 0
        for e, c in coefficients.items():
            if e in index:
                row[index[e]] += c
            else:
                known += c * values[e]
        if row.any():
            rows.append(row)
            low.append(lo - known)
            high.append(hi - known)

    for line in lines:
        if not any(e in index for e in _members(line)):
            continue
        difference = {line.margin: 1} | {e: -1 for e in line.parts}
        if additive(values, line):
            add(difference, 0, 0)
            continue
        add(difference, -np.inf, 0)
        for part in line.parts:
            add({line.margin: 1, part: -1}, 0, np.inf)
    if not rows:
        return None
    return LinearConstraint(np.array(rows), np.array(low), np.array(high))


def _extreme(constraint: LinearConstraint | None, size: int, i: int, sign: int) -> float:
    objective = np.zeros(size)
    objective[i] = sign
    result = milp(
        objective,
        constraints=[constraint] if constraint is not None else [],
        integrality=np.ones(size),
        bounds=Bounds(0, np.inf),
    )
    if result.x is None:
        # The true figures always agree with the lines, so the least value always exists;
        # a greatest one that does not is unbounded (HiGHS may say "infeasible or unbounded").
        if sign > 0:
            raise AssertionError(f"the audit found no solution: {result.message}")
        return float("inf")
    return float(round(result.x[i]))
