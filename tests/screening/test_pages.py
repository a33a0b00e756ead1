"""The screening page and its decisions: success, bad input, anonymous, outsider, roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondreach.core.models import AuditEvent
from beyondreach.screening.lists import list_load
from beyondreach.screening.models import MatchStatus, ScreeningMatch
from beyondreach.screening.services import screening_run

from ..conftest import Personas, verified_client
from .helpers import NAMESAKE, NOTICE, list_file, protected

pytestmark = pytest.mark.django_db


@pytest.fixture
def matches(personas: Personas, tmp_path: Path) -> list[ScreeningMatch]:
    protected(personas.admin, "Dilnoza Rakhimova", assignee=personas.case_worker)
    protected(personas.admin, "Timur Bekov", assignee=personas.case_worker)
    list_load(path=list_file(tmp_path / "red.json", NOTICE, NAMESAKE), name="red")
    return screening_run(organisation=personas.org).new_matches


def test_a_case_worker_sees_the_open_matches_with_why(
    personas: Personas, matches: list[ScreeningMatch]
) -> None:
    client = verified_client(personas.case_worker)
    response = client.get("/screening/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Дилноза Рахимова" in text and "Dilnoza Rakhimova" in text
    assert "rakhimova~rahimova" in text and "Тимур Беков" in text
    assert client.head("/screening/").status_code == 200
    event = AuditEvent.objects.filter(action="screening_match.list").last()
    assert event is not None and len(event.detail["records"]) == 2


def test_the_list_costs_the_same_queries_for_two_matches_as_for_ten(
    personas: Personas, matches: list[ScreeningMatch]
) -> None:
    client = verified_client(personas.case_worker)
    client.get("/screening/")
    with CaptureQueriesContext(connection) as two:
        client.get("/screening/")
    for i in range(8):
        protected(personas.admin, f"Timur Bekov {'I' * (i + 1)}")
    screening_run(organisation=personas.org)
    assert ScreeningMatch.objects.count() == 10
    with CaptureQueriesContext(connection) as ten:
        client.get("/screening/")
    assert len(ten) == len(two)


def test_a_decision_closes_the_match_and_is_audited(
    personas: Personas, matches: list[ScreeningMatch]
) -> None:
    client = verified_client(personas.case_worker)
    wrong = next(m for m in matches if m.entity_ref == NAMESAKE["id"])
    response = client.post(f"/screening/{wrong.uuid}/decide/", {"decision": "not_match"})
    assert response.status_code == 302 and response["Location"] == "/screening/"
    wrong.refresh_from_db()
    assert wrong.status == MatchStatus.DISMISSED and wrong.decided_by == personas.case_worker
    assert AuditEvent.objects.filter(action="screening_match.decide").count() == 1
    assert "Тимур Беков" not in client.get("/screening/").content.decode()


def test_it_refuses_a_decision_it_does_not_know(
    personas: Personas, matches: list[ScreeningMatch]
) -> None:
    client = verified_client(personas.case_worker)
    response = client.post(f"/screening/{matches[0].uuid}/decide/", {"decision": "maybe"})
    assert response.status_code == 400
    assert ScreeningMatch.objects.filter(status=MatchStatus.OPEN).count() == 2


def test_anonymous_visitors_are_sent_to_log_in(matches: list[ScreeningMatch]) -> None:
    from django.test import Client

    response = Client().get("/screening/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_outsider_gets_404_and_sees_no_match(
    personas: Personas, matches: list[ScreeningMatch]
) -> None:
    client = verified_client(personas.outsider)
    decide = client.post(f"/screening/{matches[0].uuid}/decide/", {"decision": "not_match"})
    assert decide.status_code == 404
    listed = client.get("/screening/").content.decode()
    assert "Rakhimova" not in listed and "No open match." in listed
    assert ScreeningMatch.objects.filter(status=MatchStatus.OPEN).count() == 2


def test_analysts_and_viewers_may_not_see_matches(
    personas: Personas, matches: list[ScreeningMatch]
) -> None:
    for user in (personas.analyst, personas.viewer):
        client = verified_client(user)
        assert client.get("/screening/").status_code == 403
        post = client.post(f"/screening/{matches[0].uuid}/decide/", {"decision": "match"})
        assert post.status_code == 403
