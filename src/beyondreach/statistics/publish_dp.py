"""Differential privacy for published tables, through OpenDP's discrete Laplace mechanism.

The privacy unit is one incident. A table's release is one vector: every cell, every row
and column total and the grand total, over every value the dimensions can take (their
public domain, never only the values recorded: a value's mere presence would tell). One
incident changes each figure it is counted in by one, so the vector's L1 sensitivity is
the number of figures it can be counted in: (values of the rows dimension) x (values of
the columns dimension) + both + 1. A dimension that can hold several values per incident
(origin states, tactics) is bounded: incidents with more than MULTI_BOUND values of it are
left out of that table (a filter on each incident by itself, so the bound holds).

OpenDP checks the measurement's privacy loss for that sensitivity against the epsilon the
admin chose; the 95% interval of each figure is OpenDP's accuracy of the noise at that
scale. What is shown of the noisy vector (values above zero's interval) is post-processing,
which spends no privacy.
"""

from __future__ import annotations

from dataclasses import dataclass

import opendp.prelude as dp
from opendp.accuracy import discrete_laplacian_scale_to_accuracy

ALPHA = 0.05  # the intervals are 95% intervals
MULTI_BOUND = 3  # values of a multi-valued dimension an incident may hold to be counted
# Dimensions that hold one value per incident; the others are bounded by MULTI_BOUND.
SINGLE_VALUED = frozenset({"verification", "scope", "year", "month", "fh_definition"})

dp.enable_features("contrib")  # OpenDP's discrete Laplace is in its "contrib" set


def bound(code: str) -> int:
    return 1 if code in SINGLE_VALUED else MULTI_BOUND


def sensitivity(rows: str, cols: str | None) -> int:
    if cols is None:
        return bound(rows) + 1  # cells (the row totals) and the grand total
    return bound(rows) * bound(cols) + bound(rows) + bound(cols) + 1


@dataclass(frozen=True)
class Release:
    values: list[int]
    scale: float
    margin: int  # half the width of each figure's 95% interval


def release(true_values: list[int], *, l1: int, epsilon: float) -> Release:
    """The figures with discrete Laplace noise calibrated so that one incident's whole
    contribution (`l1`) costs at most `epsilon`."""
    scale = l1 / epsilon
    measurement = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale
    )
    spent = measurement.map(l1)  # type: ignore[no-untyped-call]  # OpenDP's map is untyped
    if spent > epsilon * (1 + 1e-9):
        raise AssertionError(f"OpenDP reports epsilon {spent}, above {epsilon}")
    accuracy = discrete_laplacian_scale_to_accuracy(scale, ALPHA)
    return Release(list(measurement(true_values)), scale, int(accuracy))
