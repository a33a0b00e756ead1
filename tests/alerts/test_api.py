"""The deadlines board through the JSON API: the page's rows, its roles and its audit."""

from __future__ import annotations

from django.test import Client

from beyondreach.alerts.services import DeadlineData, deadline_create
from beyondreach.core.models import AuditEvent, User
from beyondreach.core.services import api_token_create

from ..api.conftest import bearer
from ..conftest import Personas
from .helpers import NOT_URGENT, days, incident


def _client(user: User) -> Client:
    return Client(headers=bearer(api_token_create(user=user)))


def _deadline(personas: Personas, when: int, assignee: User) -> str:
    saved = incident(personas.case_worker, tactics=NOT_URGENT)
    data = DeadlineData(kind="hearing", due_on=days(when), assignee_uuid=assignee.uuid)
    deadline_create(actor=personas.case_worker, incident=saved, data=data)
    return str(saved.uuid)


def test_the_board_lists_overdue_and_upcoming_deadlines_with_their_incident(
    personas: Personas,
) -> None:
    late = _deadline(personas, -2, personas.case_worker)
    soon = _deadline(personas, 5, personas.admin)
    mine = _client(personas.case_worker).get("/api/v1/deadlines").json()
    assert [d["incident_id"] for d in mine["overdue"]] == [late] and mine["upcoming"] == []
    (row,) = mine["overdue"]
    assert row["kind"] == "hearing" and row["overdue"] is True
    assert row["due_on"] == days(-2).isoformat() and row["assignee"] == "cora_caseworker"
    assert row["title"] == "Red Notice against a Uyghur poet in Istanbul"
    everyone = _client(personas.case_worker).get("/api/v1/deadlines?mine=false").json()
    assert [d["incident_id"] for d in everyone["upcoming"]] == [soon]
    assert everyone["upcoming"][0]["overdue"] is False
    event = AuditEvent.objects.filter(action="incident.list").order_by("-seq").first()
    assert event is not None and event.detail["records"] == sorted([late, soon])


def test_analysts_and_viewers_get_403_and_the_outsider_nothing(personas: Personas) -> None:
    _deadline(personas, 1, personas.case_worker)
    for user in (personas.analyst, personas.viewer):
        answer = _client(user).get("/api/v1/deadlines")
        assert answer.status_code == 403 and "deadlines" in answer.json()["detail"]
    other = _client(personas.outsider).get("/api/v1/deadlines?mine=false").json()
    assert other == {"overdue": [], "upcoming": []}


def test_a_bad_filter_is_a_422_with_the_field(personas: Personas) -> None:
    answer = _client(personas.case_worker).get("/api/v1/deadlines?mine=perhaps")
    assert answer.status_code == 422 and "mine" in answer.json()["errors"]
