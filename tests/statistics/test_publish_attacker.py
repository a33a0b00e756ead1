"""The attacker test: given every published table, it tries to recover each suppressed
figure exactly, and must fail. With primary suppression alone it succeeds, which is why
complementary suppression is there."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beyondreach.statistics.publish_suppression import Line, primary, suppress

from .publish_attacker import Name, Sums, bounds_of_hidden, grid_sums, recovered

THRESHOLD = 10


def figures(table: str, grid: list[list[int]], cols_name: str | None = None) -> dict[Name, int]:
    rows, cols = len(grid), len(grid[0])
    values: dict[Name, int] = {}
    for r in range(rows):
        values[("row", table, r)] = sum(grid[r])
        for c in range(cols):
            values[("cell", table, r, c)] = grid[r][c]
    for c in range(cols):
        values[("col", cols_name or f"{table}-cols", c)] = sum(line[c] for line in grid)
    values["total"] = sum(map(sum, grid))
    return values


def published(values: dict[Name, int], hidden: set[Name]) -> dict[Name, int | None]:
    # Published without rounding: the attacker gets every other figure exactly.
    return {n: None if n in hidden else v for n, v in values.items()}


def protect(values: dict[Name, int], sums: Sums) -> set[Name]:
    lines = [Line(total, tuple(parts)) for total, parts in sums]
    return suppress(values, lines, primary(values, THRESHOLD))


NAIVE = [[3, 20, 30], [15, 25, 40], [0, 12, 12]]


def test_primary_suppression_alone_gives_a_small_cell_away() -> None:
    values = figures("t", NAIVE)
    sums, _ = grid_sums("t", 3, 3)
    naive = primary(values, THRESHOLD)
    assert naive == {("cell", "t", 0, 0)}
    # The row's total less its published cells: 53 - 20 - 30 = 3.
    assert recovered(published(values, naive), sums) == [("cell", "t", 0, 0)]


def test_complementary_suppression_keeps_that_cell_hidden() -> None:
    values = figures("t", NAIVE)
    sums, _ = grid_sums("t", 3, 3)
    hidden = protect(values, sums)
    assert ("cell", "t", 0, 0) in hidden and len(hidden) >= 4
    bounds = bounds_of_hidden(published(values, hidden), sums)
    assert all(lo < hi for lo, hi in bounds.values()), bounds
    # It could be anything from 0 to more than the threshold.
    lo, hi = bounds[("cell", "t", 0, 0)]
    assert lo == 0 and hi >= THRESHOLD


def test_zero_companions_would_pin_a_cell_and_the_audit_catches_it() -> None:
    # The only other cells of the small one's lines are zeros; a rectangle through them
    # is pinned by the totals. The audit widens the suppression until nothing is pinned.
    grid = [[3, 0, 40], [0, 0, 25], [20, 30, 12]]
    values = figures("t", grid)
    sums, _ = grid_sums("t", 3, 3)
    hidden = protect(values, sums)
    assert not recovered(published(values, hidden), sums)


small = st.sampled_from([0, 0, 1, 2, 3, 5, 8, 9, 10, 12, 15, 30, 60])
grids = st.integers(2, 5).flatmap(
    lambda rows: st.integers(2, 5).flatmap(
        lambda cols: st.lists(
            st.lists(small, min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids)
def test_no_suppressed_figure_of_a_generated_table_can_be_recovered(
    grid: list[list[int]],
) -> None:
    values = figures("t", grid)
    sums, _ = grid_sums("t", len(grid), len(grid[0]))
    hidden = protect(values, sums)
    assert primary(values, THRESHOLD) <= hidden
    assert not recovered(published(values, hidden), sums)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids, grids)
def test_two_tables_sharing_their_row_totals_give_nothing_away_together(
    first: list[list[int]], second: list[list[int]]
) -> None:
    # Two tables of the same rows (origin x year, origin x tactic): their row totals and
    # grand total are the same figures, suppressed in both or in neither.
    rows = min(len(first), len(second))
    first, second = first[:rows], second[:rows]
    for r in range(rows):  # the same row totals: move the difference into one cell
        gap = sum(first[r]) - sum(second[r])
        (first if gap < 0 else second)[r][0] += abs(gap)
    values = figures("a", first) | figures("b", second)
    values = {_shared(n): v for n, v in values.items()}
    sums_a, _ = grid_sums("a", rows, len(first[0]))
    sums_b, _ = grid_sums("b", rows, len(second[0]))
    sums = [(_shared(t), [_shared(p) for p in parts]) for t, parts in sums_a + sums_b]
    hidden = protect(values, sums)
    assert not recovered(published(values, hidden), sums)


def _shared(name: Name) -> Name:
    if isinstance(name, tuple) and name[0] == "row":
        return ("row", "shared", name[2])
    return name
