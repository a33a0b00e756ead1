"""A date not known is said as such (the precision "unknown", issue 9 item 4): it is never
invented, it sorts after every dated incident on SQLite and PostgreSQL alike, no date range
matches it, and the counts and exports say it is not known."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.inputs import MechanismData
from beyondreach.cases.selectors import IncidentFilters, access_incident, incident_list_visible_to
from beyondreach.cases.services import incident_create
from beyondreach.core.errors import InvalidInputError
from beyondreach.interchange.export_formats.dyads import dyad_rows
from beyondreach.interchange.export_formats.fh import fh_rows
from beyondreach.interchange.formats import start_year
from beyondreach.interchange.imports import import_create, import_map, import_run, import_start
from beyondreach.statistics.selectors import statistics_table

from ..conftest import Personas, verified_client
from .factories import incident_data


def _undated(personas: Personas, **overrides: object) -> m.Incident:
    return incident_create(
        actor=personas.case_worker,
        data=incident_data(start_date=None, start_precision="unknown", **overrides),
    )


def test_a_legal_mechanism_s_date_may_be_not_known_but_not_both(personas: Personas) -> None:
    with pytest.raises(InvalidInputError) as refused:
        incident_create(
            actor=personas.case_worker,
            data=incident_data(mechanisms=[_notice(issued_on=date(2021, 1, 1))]),
        )
    assert list(refused.value.errors) == ["mechanisms.0.issued_on"]
    kept = incident_create(
        actor=personas.case_worker,
        data=incident_data(mechanisms=[_notice(issued_on=None)]),
    )
    assert kept.mechanisms.get().issued_precision == "unknown"


def _notice(*, issued_on: date | None) -> MechanismData:
    return MechanismData(
        kind="interpol_red_notice", issued_on=issued_on, issued_precision="unknown"
    )


@pytest.mark.parametrize(
    "filters",
    [IncidentFilters(), IncidentFilters(origin="CN"), IncidentFilters(tactic="interpol_abuse")],
)
def test_an_unknown_date_sorts_last_whichever_index_reads_the_list(
    personas: Personas, filters: IncidentFilters
) -> None:
    undated = _undated(personas)
    dated = [
        incident_create(actor=personas.case_worker, data=incident_data(start_date=date(y, 5, 1)))
        for y in (2019, 2024, 2021)
    ]
    listed = list(incident_list_visible_to(personas.case_worker, filters))
    assert [i.pk for i in listed] == [dated[1].pk, dated[2].pk, dated[0].pk, undated.pk]


def test_no_date_range_matches_a_date_not_known(personas: Personas) -> None:
    undated = _undated(personas)
    for filters in (
        IncidentFilters(date_from=date(2000, 1, 1)),
        IncidentFilters(date_to=date(2030, 1, 1)),
        IncidentFilters(date_from=date(2000, 1, 1), date_to=date(2030, 1, 1)),
    ):
        assert undated not in incident_list_visible_to(personas.case_worker, filters)
    # Going on now, it overlaps any period that has not ended.
    ongoing = _undated(personas, ongoing=True)
    found = incident_list_visible_to(
        personas.case_worker, IncidentFilters(date_from=date(2020, 1, 1))
    )
    assert ongoing in found


@pytest.mark.postgres_only
def test_postgresql_reads_the_newest_first_order_from_the_index(personas: Personas) -> None:
    """`start_date DESC NULLS LAST` is what the lists order by, and the index is declared the
    same way on PostgreSQL (core/indexes.py): with sorting priced out, no Sort node is left.
    A plain `DESC` index (NULLs first there) would leave one."""
    _undated(personas)
    for filters in (IncidentFilters(), IncidentFilters(origin="CN")):
        sql, params = incident_list_visible_to(personas.case_worker, filters)[
            :51
        ].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Sort" not in plan, plan


def test_the_pages_say_not_known(personas: Personas) -> None:
    undated = _undated(personas)
    client = verified_client(personas.case_worker)
    detail = client.get(f"/incidents/{undated.uuid}/").content.decode()
    assert "<dt>Date</dt><dd>Not known" in detail
    listing = client.get("/incidents/").content.decode()
    assert "Date not known" in listing


def test_counts_by_year_put_it_apart_and_exports_say_not_known(personas: Personas) -> None:
    _undated(personas)
    incident_create(actor=personas.case_worker, data=incident_data(start_date=date(2023, 2, 1)))
    table = statistics_table(personas.analyst, IncidentFilters(), rows="year")
    assert table.row_totals == {"2023": 1, None: 1}  # the year not known last
    assert table.rows.name(None) == "Not recorded" and table.total == 2
    snapshots = [
        incident_snapshot(access_incident(personas.case_worker, i.uuid))
        for i in m.Incident.objects.order_by("id")
    ]
    assert [start_year(s) for s in snapshots] == [None, 2023]
    fh = list(fh_rows(snapshots))
    assert {row[1] for row in fh[1:]} == {"unknown", 2023}
    dyads = list(dyad_rows(snapshots))
    assert [row[4] for row in dyads[1:]] == [2023, ""]  # the year not known, last


def test_a_freedom_house_file_s_unknown_year_comes_back_as_a_date_not_known(
    personas: Personas,
) -> None:
    undated = _undated(personas)
    rows = list(fh_rows([incident_snapshot(access_incident(personas.case_worker, undated.uuid))]))
    text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\n"
    m.Incident.objects.all().delete()
    cw = personas.case_worker
    job = import_create(actor=cw, fmt="fh", filename="fh.csv", content=text.encode())
    import_map(actor=cw, job=job, mapping=job.mapping, values={})
    import_start(actor=cw, job=job)
    done = import_run(job.pk)
    assert (done.created, done.rejected) == (1, 0)
    back = m.Incident.objects.get()
    assert (back.start_date, back.start_precision) == (None, "unknown")
