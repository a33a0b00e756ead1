"""The attacker of published tables, written apart from the code it attacks.

Given the published figures of two-way tables (cells, row and column totals, the grand
total; a suppressed figure is None) that add up, it finds each suppressed figure's least
and greatest whole value that agrees with everything published, by integer linear
programming (scipy's milp). Where the two are equal, it has recovered the figure.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from scipy.optimize import (  # type: ignore[import-untyped]  # SciPy ships no type hints
    Bounds,
    LinearConstraint,
    milp,
)

Name = Hashable
Sums = list[tuple[Name, list[Name]]]  # a total and the figures that add up to it


def grid_sums(
    table: str, rows: int, cols: int, *, cols_name: str | None = None
) -> tuple[Sums, list[Name]]:
    """The sums of a rows x cols table named `table` (its row totals named by `table`, its
    column totals by `cols_name`, so two tables can share them), and every figure's name."""
    col_table = cols_name or f"{table}-cols"
    cell = [[("cell", table, r, c) for c in range(cols)] for r in range(rows)]
    row_total = [("row", table, r) for r in range(rows)]
    col_total = [("col", col_table, c) for c in range(cols)]
    sums: Sums = [(row_total[r], cell[r]) for r in range(rows)]
    sums += [(col_total[c], [cell[r][c] for r in range(rows)]) for c in range(cols)]
    sums += [("total", row_total), ("total", col_total)]
    names = [n for line in cell for n in line] + row_total + col_total + ["total"]
    return sums, names


def bounds_of_hidden(
    published: dict[Name, int | None], sums: Sums
) -> dict[Name, tuple[int, float]]:
    """Each suppressed figure's least and greatest possible value (inf: none)."""
    hidden = sorted((n for n, v in published.items() if v is None), key=repr)
    index = {n: i for i, n in enumerate(hidden)}
    matrix, rhs = [], []
    for total, parts in sums:
        row = np.zeros(len(hidden))
        known = 0
        for name, sign in [(total, -1)] + [(p, 1) for p in parts]:
            value = published[name]
            if value is None:
                row[index[name]] += sign
            else:
                known += sign * value
        if row.any():
            matrix.append(row)
            rhs.append(-known)
    found: dict[Name, tuple[int, float]] = {}
    constraints = [LinearConstraint(np.array(matrix), rhs, rhs)] if matrix else []
    for name, i in index.items():
        least = _solve(constraints, len(hidden), i, 1)
        greatest = _solve(constraints, len(hidden), i, -1)
        found[name] = (int(least), greatest)
    return found


def _solve(constraints: list[LinearConstraint], size: int, i: int, sign: int) -> float:
    objective = np.zeros(size)
    objective[i] = sign
    result = milp(
        objective, constraints=constraints, integrality=np.ones(size), bounds=Bounds(0, np.inf)
    )
    if result.x is None:
        # The least value always exists (the true figures agree with every sum); with no
        # greatest value, HiGHS says "unbounded" or "infeasible or unbounded".
        assert sign < 0, result.message
        return float("inf")
    return float(round(result.x[i]))


def recovered(published: dict[Name, int | None], sums: Sums) -> list[Name]:
    return [n for n, (lo, hi) in bounds_of_hidden(published, sums).items() if lo == hi]
