"""The counting engine: each incident once in each of its cells and once in every total;
the same incidents as the list under the same filters; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.inputs import GroupData, IncidentData, OrganisationData, TargetData
from beyondreach.cases.selectors import IncidentFilters, access_incident, incident_list_visible_to
from beyondreach.cases.services import incident_update
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import User
from beyondreach.demo.generate import demo_load
from beyondreach.statistics.dimensions import DIMENSIONS
from beyondreach.statistics.flows import statistics_flows
from beyondreach.statistics.selectors import (
    Cell,
    Counted,
    PageTables,
    Table,
    _grouping_sets,
    _separately,
    counted_filters,
    counted_incidents,
    statistics_table,
)

from ..conftest import Personas
from .builders import record, target


def test_an_incident_with_two_origins_counts_in_each_cell_and_once_in_totals(
    recorded: Personas,
) -> None:
    table = statistics_table(recorded.analyst, IncidentFilters(), rows="origin", cols="tactic")
    assert table.value("CN", "assault") == 2
    assert table.value("RU", "assault") == 1
    assert table.value("CN", "spyware") == 1
    assert table.row_totals["CN"] == 2  # not 3, the sum of its cells
    assert table.col_totals["assault"] == 2  # CN+RU's incident once
    assert table.total == 4  # the out-of-scope one and the outsider's are not counted
    assert sum(table.row_totals.values()) == 5  # 4 incidents, one of them in two rows


def test_one_way_tables_and_their_order(recorded: Personas) -> None:
    table = statistics_table(recorded.analyst, IncidentFilters(), rows="origin")
    assert list(table.row_totals) == ["CN", "EG", "IR", "RU"]  # largest first, then by name
    assert table.cells[0] == Cell("CN", None, 2)
    years = statistics_table(recorded.analyst, IncidentFilters(), rows="year")
    assert years.row_totals == {"2023": 1, "2024": 3}


def test_every_dimension_counts_every_incident_once_in_the_total(recorded: Personas) -> None:
    for code in DIMENSIONS:
        cols = "scope" if code == "year" else "year"
        table = statistics_table(recorded.viewer, IncidentFilters(), rows=code, cols=cols)
        assert table.total == 4, code
        assert sum(table.col_totals.values()) == 4, code  # a year is single-valued


def test_values_of_each_dimension(recorded: Personas) -> None:
    def totals(rows: str) -> dict[str | None, int]:
        return statistics_table(recorded.analyst, IncidentFilters(), rows=rows).row_totals

    assert totals("host") == {"DE": 3, "TR": 1, "online_only": 1}
    assert totals("actor_type") == {None: 3, "court": 1, "police": 1}
    assert totals("mechanism_kind") == {None: 3, "interpol_red_notice": 1}
    assert totals("tactic_category") == {"physical": 2, "digital": 2, "legal": 1}
    assert totals("fh_definition") == {"other": 2, "freedom_house": 2}
    assert totals("month") == {"2023-05": 1, "2024-03": 3}
    assert totals("scope") == {"in_scope": 4}
    assert totals("target_group") == {"journalist": 4}


def test_targets_are_counted_once_per_incident(recorded: Personas) -> None:
    table = statistics_table(
        recorded.analyst, IncidentFilters(), rows="origin", cols="tactic", measure="targets"
    )
    assert table.value("CN", "assault") == 3  # 2 + 1
    assert table.row_totals["CN"] == 3
    assert table.total == 5  # 2 + 1 + 1 + 1


def test_out_of_scope_incidents_are_counted_when_the_filter_asks_for_them(
    recorded: Personas,
) -> None:
    asked = IncidentFilters(scope=m.Scope.OUT_OF_SCOPE)
    assert statistics_table(recorded.analyst, asked, rows="origin").row_totals == {"CN": 1}


def test_the_outsider_counts_only_its_own_incidents(recorded: Personas) -> None:
    table = statistics_table(recorded.outsider, IncidentFilters(), rows="origin")
    assert table.row_totals == {"CN": 1}
    assert table.total == 1


def test_an_unknown_dimension_is_refused(recorded: Personas) -> None:
    with pytest.raises(ApplicationError) as refused:
        statistics_table(recorded.analyst, IncidentFilters(), rows="religion")
    assert refused.value.status == 422 and refused.value.field == "rows"
    with pytest.raises(ApplicationError):
        statistics_table(recorded.analyst, IncidentFilters(), rows="origin", cols="origin")


FILTERS = [
    IncidentFilters(),
    IncidentFilters(origin="CN"),
    IncidentFilters(tactic="assault", date_from=date(2020, 1, 1)),
    IncidentFilters(host="DE", verification="unverified"),
    IncidentFilters(definition="freedom_house", started="2024"),
    IncidentFilters(scope="borderline", target_group="journalist"),
    IncidentFilters(actor_type="police", tactic_category="digital"),
    IncidentFilters(mechanism_kind="interpol_red_notice", started="2024-03"),
    IncidentFilters(origin="CN", definition="other", date_to=date(2025, 1, 1)),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_total_is_the_lists_count_under_the_same_filters(
    db: None, filters: IncidentFilters
) -> None:
    demo_load(incidents=120, if_empty=False, seed=3, mode="bulk", workers=1)
    analyst = User.objects.get(username="demo_analyst")
    listed = incident_list_visible_to(analyst, counted_filters(filters)).count()
    for rows, cols in (("origin", "year"), ("tactic", None), ("host", "actor_type")):
        table = statistics_table(analyst, filters, rows=rows, cols=cols)
        assert table.total == listed
    # And the drill-down filter of each row's total is that many incidents in the list.
    table = statistics_table(analyst, filters, rows="tactic_category", cols="month")
    drilled = 0
    for cell in table.cells:
        found = table.drill(cell.row, cell.col)
        if found is not None:
            assert incident_list_visible_to(analyst, found).count() == cell.value
            drilled += 1
    assert drilled or not table.cells or filters.tactic_category


def test_groups_count_by_their_size_and_organisations_once(recorded: Personas) -> None:
    designation = record(
        recorded.case_worker, origins=["BH"], tactics=["terrorist_designation"], targets=0
    )
    incident_update(
        actor=recorded.case_worker,
        incident=access_incident(recorded.case_worker, designation.uuid),
        data=IncidentData(
            title="317 stripped of nationality, and their newspaper",
            start_date=date(2024, 3, 1),
            origin_states=["BH"],
            tactics=["denationalisation", "asset_freeze"],
            host_countries=["GB", "TR"],
            targets=[TargetData(role="primary", member_of=0, person=target().person)],
            groups=[GroupData(size=317, target_group="exile_community")],
            organisations=[OrganisationData(name="Exile Daily", kind="media_outlet")],
        ),
    )
    table = statistics_table(
        recorded.analyst, IncidentFilters(), rows="origin", cols="host", measure="targets"
    )
    assert table.value("BH", "GB") == table.value("BH", "TR") == 318  # once in each cell
    assert table.row_totals["BH"] == 318  # and once in the row's total
    assert table.total == 5 + 318
    by_group = statistics_table(
        recorded.analyst, IncidentFilters(origin="BH"), rows="target_group", measure="targets"
    )
    assert by_group.row_totals == {"exile_community": 318}


def test_targets_of_a_coalition_without_partners_are_none(recorded: Personas) -> None:
    for rows in ("origin", "target_group"):
        table = statistics_table(
            recorded.analyst, IncidentFilters(), rows=rows, measure="targets", source="partners"
        )
        assert (table.total, table.cells, table.row_totals) == (0, [], {})


def test_grouping_sets_give_the_figures_of_separate_queries(recorded: Personas) -> None:
    """A table is counted in one query, with GROUPING SETS (PostgreSQL) or their stand-in
    (SQLite); every pair of dimensions, and one-way tables, give what a query per figure
    gives (the targets measure's way)."""
    filters = counted_filters(IncidentFilters())
    for narrowed in (filters, replace(filters, origin="CN")):
        qs = counted_incidents(recorded.analyst, narrowed)
        for row_dim in DIMENSIONS.values():
            for col_dim in [None, *(d for d in DIMENSIONS.values() if d is not row_dim)]:
                one = _grouping_sets(qs, row_dim, col_dim)
                each = _separately(qs, row_dim, col_dim, "incidents")
                assert _sorted(one) == _sorted(each), (row_dim.code, col_dim)


def _sorted(counted: Counted) -> tuple[object, ...]:
    return tuple(sorted(part, key=repr) if isinstance(part, list) else part for part in counted)


def test_years_and_months_are_those_of_the_start_date_on_every_database(
    personas: Personas,
) -> None:
    """The database reads a date's year and month (on SQLite from its text, not through
    Django's per-row Python function): the last and first days of a year, a date known to
    the month, and a date not known ("Not recorded") land where Python puts them."""
    cw = personas.case_worker
    starts = [
        (date(2023, 12, 31), m.DatePrecision.DAY),
        (date(2024, 1, 1), m.DatePrecision.DAY),
        (date(2024, 12, 31), m.DatePrecision.DAY),
        (date(2024, 12, 1), m.DatePrecision.MONTH),
        (date(1999, 2, 1), m.DatePrecision.YEAR),
        (None, m.DatePrecision.UNKNOWN),
    ]
    for start, precision in starts:
        record(cw, origins=["CN"], tactics=["assault"], start=start, precision=precision)
    years = Counter(str(s.year) if s else None for s, _ in starts)
    months = Counter(f"{s:%Y-%m}" if s else None for s, _ in starts)
    by_year = statistics_table(personas.analyst, IncidentFilters(), rows="year", cols="origin")
    by_month = statistics_table(personas.analyst, IncidentFilters(), rows="month")
    assert by_year.row_totals == {k: years[k] for k in ("1999", "2023", "2024", None)}
    assert by_month.row_totals == {
        k: months[k] for k in ("1999-02", "2023-12", "2024-01", "2024-12", None)
    }
    assert by_year.rows.name(None) == "Not recorded"
    flows = statistics_flows(personas.analyst, IncidentFilters())
    assert Counter({f.year: f.value for f in flows.flows}) == years


def test_a_year_is_not_a_python_function_per_row() -> None:
    """Django's ExtractYear is a Python callback on SQLite: twice the time of a table by
    year at 100,000 incidents (bench/README.md, "Statistics")."""
    for code in ("year", "month"):
        qs = m.Incident.objects.values(v=DIMENSIONS[code].expression())
        assert "django_date_extract" not in str(qs.query), code


PAGES = [  # rows, cols, the chart's lines per period, the map's dimension
    ("origin", "year", "origin", "year", "origin"),  # the chart's is the table; the map its rows'
    (
        "year",
        "origin",
        "origin",
        "year",
        "origin",
    ),  # the chart's is it transposed; the map its cols'
    ("tactic", "host", "origin", "month", "host"),
    ("host", "tactic", "origin", "month", "origin"),  # the map is the chart's rows'
    ("tactic", None, "tactic", "year", "host"),
]


@pytest.mark.parametrize("measure", ["incidents", "targets"])
@pytest.mark.parametrize("page", PAGES)
def test_a_pages_tables_counted_once_are_the_tables_counted_apart(
    recorded: Personas, page: tuple[str, str | None, str, str, str], measure: str
) -> None:
    rows, cols, series, period, map_by = page
    filters = IncidentFilters(date_from=date(2023, 1, 1))
    tables = PageTables(recorded.analyst, filters, measure)
    for wanted in ((rows, cols), (series, period), (map_by, None)):
        apart = statistics_table(
            recorded.analyst, filters, rows=wanted[0], cols=wanted[1], measure=measure
        )
        assert _figures(tables.table(*wanted)) == _figures(apart), wanted


def test_a_table_already_counted_is_not_counted_again(
    recorded: Personas, django_assert_num_queries: Any
) -> None:
    tables = PageTables(recorded.analyst, IncidentFilters())
    tables.table("origin", "year")
    with django_assert_num_queries(0):
        tables.table("origin", "year")
        tables.table("year", "origin")
        tables.table("origin")
        tables.table("year")


def _figures(table: Table) -> tuple[object, ...]:
    """Everything a table shows, in its order (cells in any order)."""
    return (
        table.rows.code,
        table.cols.code if table.cols else None,
        table.measure,
        table.filters,
        sorted(table.cells, key=repr),
        list(table.row_totals.items()),
        list(table.col_totals.items()),
        table.total,
    )
