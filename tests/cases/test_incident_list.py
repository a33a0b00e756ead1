"""The filtered incident list: the same incidents, in the same order, whichever index reads them.

The list reads through the origin or tactic rows' copy of the incident's start date
(migration 0006, bench/README.md). These tests hold it to the plain definition: the
incidents of the user's organisation that match every filter, newest first.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beyondreach.cases import models as m
from beyondreach.cases.selectors import (
    IncidentFilters,
    incident_list_visible_to,
    incident_match_count,
)
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.core.models import User
from beyondreach.demo.generate import demo_load

from ..cases.factories import incident_data
from ..conftest import Personas


def _child_dates(incident: m.Incident) -> set[date]:
    rows = [*incident.origins.all(), *incident.tactics.all()]
    assert rows
    return {row.start_date for row in rows}


def test_origins_and_tactics_carry_the_incident_start_date(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    assert _child_dates(incident) == {date(2024, 3, 1)}
    moved = incident_data(start_date=date(2019, 7, 15), origin_states=["CN", "KZ"])
    incident_update(actor=personas.case_worker, incident=incident, data=moved)
    incident.refresh_from_db()
    assert _child_dates(incident) == {date(2019, 7, 15)}
    assert (
        incident_list_visible_to(
            personas.case_worker, IncidentFilters(origin="kz", date_to=date(2019, 12, 31))
        ).get()
        == incident
    )


@pytest.fixture
def demo_rows(db: None) -> None:
    """A bulk-loaded demo database (the benchmark's loader), once per test function: the
    examples hypothesis draws for one test share it, and it goes with the test's transaction.
    """
    demo_load(incidents=160, if_empty=False, seed=5, mode="bulk", workers=1)
    # Incidents of the same day, so the order among equal dates is tested too.
    case_worker = User.objects.get(username="demo_caseworker")
    for _ in range(4):
        incident_create(actor=case_worker, data=incident_data())
    # Spans: a campaign still going on, and one that lasted years, so the date filter's
    # overlap is drawn against both.
    incident_create(
        actor=case_worker, data=incident_data(start_date=date(2015, 5, 1), ongoing=True)
    )
    incident_create(
        actor=case_worker,
        data=incident_data(start_date=date(2016, 1, 1), end_date=date(2023, 6, 30)),
    )


def _expected(user: User, f: IncidentFilters) -> list[m.Incident]:
    """The list by its definition, in Python, from every incident of every organisation."""

    def matches(i: m.Incident) -> bool:
        origins = {o.country for o in i.origins.all()}
        tactics = {t.tactic for t in i.tactics.all()}
        groups = {t.target_group for t in [*i.targets.all(), *i.groups.all()]}
        return (
            i.organisation_id == user.organisation_id
            and (not f.origin or f.origin.upper() in origins)
            and (not f.tactic or f.tactic in tactics)
            and (not f.target_group or f.target_group in groups)
            and (not f.host or f.host.upper() in {h.country for h in i.hosts.all()})
            # The incident's span overlaps the range: a day long without an end date,
            # unbounded when ongoing.
            and (not f.date_from or i.ongoing or (i.end_date or i.start_date) >= f.date_from)
            and (not f.date_to or i.start_date <= f.date_to)
            and (not f.status or i.status == f.status)
        )

    every = m.Incident.objects.prefetch_related("origins", "hosts", "tactics", "targets", "groups")
    found = [i for i in every if matches(i)]
    return sorted(found, key=lambda i: (i.start_date, i.pk), reverse=True)


def _either_none_or(values: list[Any]) -> st.SearchStrategy[Any]:
    """No filter half the time, so that combinations of a few filters still match."""
    return st.one_of(st.just(values[0]), st.sampled_from(values[1:]))


def _drawn_filters(data: st.DataObject) -> IncidentFilters:
    def column(model: type[Any], name: str) -> list[str]:
        return ["", *sorted(set(model.objects.values_list(name, flat=True)))]

    days = sorted(set(m.Incident.objects.values_list("start_date", flat=True)))
    some_day = _either_none_or([None, *days[::7], days[0] - timedelta(days=1)])
    return IncidentFilters(
        origin=data.draw(_either_none_or([*column(m.IncidentOrigin, "country"), "ZZ"])),
        tactic=data.draw(_either_none_or(column(m.IncidentTactic, "tactic"))),
        target_group=data.draw(_either_none_or(column(m.IncidentTarget, "target_group"))),
        host=data.draw(_either_none_or(["", "TR", "DE"])),
        date_from=data.draw(some_day),
        date_to=data.draw(some_day),
        status=data.draw(_either_none_or(["", "open", "new"])),
    )


@pytest.mark.django_db
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_list_is_every_match_newest_first(demo_rows: None, data: st.DataObject) -> None:
    user = User.objects.get(username="demo_caseworker")
    filters = _drawn_filters(data)
    expected = _expected(user, filters)
    assert list(incident_list_visible_to(user, filters)) == expected
    # A page of a long list is the same slice of it: what the web list and the API read.
    assert list(incident_list_visible_to(user, filters)[3:8]) == expected[3:8]
    # The list's count, read from a part table alone when it can be, counts the same.
    assert incident_match_count(user, filters, limit=len(expected) + 1) == len(expected)
    assert incident_match_count(user, filters, limit=3) == min(3, len(expected))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [
        IncidentFilters(origin="CN", definition="freedom_house"),
        IncidentFilters(tactic="spyware", definition="other"),
        IncidentFilters(origin="RU", tactic_category="physical"),
        IncidentFilters(host="TR", actor_type="security_service"),
        IncidentFilters(tactic="interpol_abuse", mechanism_kind="interpol_red_notice"),
        IncidentFilters(origin="CN", host="DE", target_group="journalist"),
        IncidentFilters(origin="CN", host="none"),
        IncidentFilters(origin="CN", started="2023"),
        IncidentFilters(origin="CN", scope="counted"),
        IncidentFilters(tactic="host_detention", date_to=date(2022, 12, 31)),
        IncidentFilters(origin="CN", q="Gulnara"),
    ],
)
def test_the_match_count_counts_the_list_for_every_filter(
    demo_rows: None, filters: IncidentFilters
) -> None:
    user = User.objects.get(username="demo_caseworker")
    listed = len(incident_list_visible_to(user, filters))
    assert incident_match_count(user, filters, limit=10_000) == listed


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [
        IncidentFilters(),
        IncidentFilters(origin="cn"),
        IncidentFilters(tactic="interpol_abuse"),
        IncidentFilters(origin="CN", tactic="host_detention", date_from=date(2024, 3, 1)),
    ],
)
def test_incidents_of_the_same_day_keep_one_order(
    demo_rows: None, filters: IncidentFilters
) -> None:
    user = User.objects.get(username="demo_caseworker")
    expected = _expected(user, filters)
    assert len({i.start_date for i in expected}) < len(expected)  # some share a day
    assert list(incident_list_visible_to(user, filters)) == expected


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (IncidentFilters(origin="CN", tactic="interpol_abuse"), "origin_org_country_date"),
        (IncidentFilters(tactic="spyware"), "tactic_org_code_date"),
        (IncidentFilters(origin="IR", date_from=date(2020, 1, 1)), "origin_org_country_date"),
    ],
)
def test_a_filtered_page_is_read_in_order_from_one_index(
    personas: Personas, filters: IncidentFilters, index: str
) -> None:
    """The plan the benchmark's figures rest on: no sort of every match (SQLite; PostgreSQL
    plans by its statistics, so bench/ measures it at 1M incidents)."""
    sql, params = incident_list_visible_to(personas.case_worker, filters)[
        :51
    ].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert f"USING COVERING INDEX {index}" in plan[0]
    assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.postgres_only
def test_postgresql_keeps_short_list_queries_serial(db: None) -> None:
    """settings.py raises parallel_setup_cost: at 1M incidents a parallel plan made the rarer
    filtered pages 13-15 ms instead of 1-2 ms (bench/README.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW parallel_setup_cost")
        assert cursor.fetchone() == ("10000",)


@pytest.mark.django_db
def test_a_campaign_is_found_in_every_period_it_lasted(personas: Personas) -> None:
    worker = personas.case_worker
    since_2015 = incident_create(
        actor=worker, data=incident_data(start_date=date(2015, 3, 1), ongoing=True)
    )
    years = incident_create(
        actor=worker,
        data=incident_data(start_date=date(2015, 3, 1), end_date=date(2019, 12, 31)),
    )
    one_day = incident_create(actor=worker, data=incident_data(start_date=date(2015, 3, 1)))

    def found(**dates: date) -> set[int]:
        """The same answer whether the incident table or an origin's index drives the page."""
        plain, by_origin = (
            {i.pk for i in incident_list_visible_to(worker, filters)}
            for filters in (IncidentFilters(**dates), IncidentFilters(origin="CN", **dates))
        )
        assert plain == by_origin
        return plain

    in_2020s = found(date_from=date(2020, 1, 1), date_to=date(2025, 12, 31))
    assert in_2020s == {since_2015.pk}
    assert found(date_from=date(2018, 1, 1), date_to=date(2018, 12, 31)) == {
        since_2015.pk,
        years.pk,
    }
    assert found(date_to=date(2014, 12, 31)) == set()
    assert one_day.pk in found(date_from=date(2015, 3, 1), date_to=date(2015, 3, 1))
