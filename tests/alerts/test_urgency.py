"""The one definition of an urgent incident (alerts/urgency.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django.fixtures import Settings

from beyondreach.alerts.urgency import incident_urgency
from beyondreach.cases.inputs import MechanismData

from ..conftest import Personas
from .helpers import NOT_URGENT, incident

TODAY = dt.date(2025, 6, 2)


@pytest.mark.parametrize(
    "tactic", ["unlawful_deportation", "extradition_request", "rendition", "host_detention"]
)
def test_a_tactic_that_removes_a_person_within_days_is_urgent(
    personas: Personas, tactic: str
) -> None:
    found = incident_urgency(
        incident(personas.case_worker, tactics=[tactic, "doxxing"]), today=TODAY
    )
    assert found.urgent and found.reasons == (f"tactic:{tactic}",) and found.soonest is None


def test_other_tactics_without_a_near_date_are_not_urgent(personas: Personas) -> None:
    found = incident_urgency(incident(personas.case_worker, tactics=NOT_URGENT), today=TODAY)
    assert not found.urgent and found.reasons == ()


def test_a_closed_case_is_never_urgent(personas: Personas) -> None:
    closed = incident(personas.case_worker, status="closed", due_date=TODAY)
    assert incident_urgency(closed, today=TODAY).reasons == ()


def test_a_due_date_within_the_window_is_urgent_and_outside_it_is_not(
    personas: Personas, settings: Settings
) -> None:
    settings.ALERTS_URGENT_DAYS = 7
    for due, urgent in [(0, True), (7, True), (8, False), (-1, False)]:
        found = incident_urgency(
            incident(
                personas.case_worker,
                tactics=NOT_URGENT,
                due_date=TODAY + dt.timedelta(days=due),
            ),
            today=TODAY,
        )
        assert found.urgent is urgent, due
        assert found.soonest == (TODAY + dt.timedelta(days=due) if urgent else None)


def test_a_mechanism_decision_or_a_hearing_within_days_is_urgent(personas: Personas) -> None:
    mechanism = MechanismData(
        kind="extradition_request", status="active", status_on=TODAY + dt.timedelta(days=3)
    )
    found = incident_urgency(
        incident(personas.case_worker, tactics=NOT_URGENT, mechanisms=[mechanism]), today=TODAY
    )
    assert found.reasons == ("date:mechanism",) and found.soonest == TODAY + dt.timedelta(days=3)
    hearing = incident_urgency(
        incident(personas.case_worker, tactics=NOT_URGENT),
        today=TODAY,
        deadlines=[("hearing", TODAY + dt.timedelta(days=2)), ("follow_up", TODAY)],
    )
    assert hearing.reasons == ("date:hearing",)
    assert hearing.labels() == ["hearing within days"]
