"""Screening protected persons against loaded lists: matches, alerts, decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from beyondreach.alerts.services import user_email_set
from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.merges import person_merge
from beyondreach.cases.models import IncidentTarget
from beyondreach.cases.services import person_update
from beyondreach.core.errors import NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.channels import Email
from beyondreach.outbox.models import Message
from beyondreach.screening.lists import list_load
from beyondreach.screening.models import MatchStatus, ScreeningMatch
from beyondreach.screening.selectors import access_screening_match, screening_matches_open
from beyondreach.screening.services import screening_match_decide, screening_run
from beyondreach.screening.tasks import screen_organisation

from ..alerts.helpers import envelopes
from ..conftest import Personas
from .helpers import NAMESAKE, NOTICE, UNRELATED, list_file, protected

pytestmark = pytest.mark.django_db


@pytest.fixture
def red_list(tmp_path: Path) -> Path:
    return list_file(tmp_path / "red.json", NOTICE, NAMESAKE)


def _defended(personas: Personas) -> None:
    user_email_set(actor=personas.case_worker, email="cora@ngo.example")
    protected(
        personas.admin,
        "Dilnoza Rakhimova",
        assignee=personas.case_worker,
        birth_date="1985-04-12",
        nationalities=["UZ"],
    )


def test_the_cyrillic_spelled_person_is_found_and_alerts_the_assigned_case_worker(
    personas: Personas, red_list: Path
) -> None:
    _defended(personas)
    list_load(path=red_list, name="interpol-red")
    run = screening_run(organisation=personas.org)
    [match] = run.new_matches
    assert match.entity_ref == NOTICE["id"] and match.list_name == "interpol-red"
    assert match.topics == ["wanted"] and match.score == 1.0
    assert "'Dilnoza Rakhimova' matches 'Дилноза Рахимова'" in match.reason
    assert "same birth date 1985-04-12" in match.reason
    [mail] = envelopes(kind="alert.urgent")
    assert isinstance(mail, Email) and mail.to == ("cora@ngo.example",)
    assert "Urgent" in mail.subject and "interpol-red (wanted), score 1.00" in mail.body
    # Mail leaves the server: neither the person's name nor the entity's.
    for secret in ("Dilnoza", "Rakhimova", "Рахимова", NOTICE["id"]):
        assert secret not in mail.subject + mail.body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"screening_match.create", "screening.alert"} <= actions


def test_screening_again_records_and_alerts_nothing_twice(
    personas: Personas, red_list: Path
) -> None:
    _defended(personas)
    list_load(path=red_list, name="interpol-red")
    screening_run(organisation=personas.org)
    assert screen_organisation.call(personas.org.pk)["new_matches"] == 0
    assert ScreeningMatch.objects.count() == 1 and Message.objects.count() == 1


def test_not_a_match_survives_a_reload_of_the_list(
    personas: Personas, tmp_path: Path, red_list: Path
) -> None:
    protected(personas.admin, "Timur Bekov", assignee=personas.case_worker)
    list_load(path=red_list, name="interpol-red")
    [wrong] = screening_run(organisation=personas.org).new_matches
    assert wrong.entity_ref == NAMESAKE["id"]
    screening_match_decide(actor=personas.case_worker, match=wrong, decision="not_match")
    newer = dict(NAMESAKE, properties={**NAMESAKE["properties"], "alias": ["Timur Bekov"]})
    list_load(path=list_file(tmp_path / "v2.json", newer, UNRELATED), name="interpol-red")
    assert screening_run(organisation=personas.org).new_matches == []
    assert ScreeningMatch.objects.get().status == MatchStatus.DISMISSED
    assert list(screening_matches_open(personas.case_worker)) == []


def test_a_decision_is_audited_and_needs_a_case_worker(personas: Personas, red_list: Path) -> None:
    _defended(personas)
    list_load(path=red_list, name="interpol-red")
    [match] = screening_run(organisation=personas.org).new_matches
    with pytest.raises(PermissionDeniedError):
        screening_match_decide(actor=personas.analyst, match=match, decision="match")
    with pytest.raises(NotFoundError):
        screening_match_decide(actor=personas.outsider, match=match, decision="match")
    screening_match_decide(actor=personas.case_worker, match=match, decision="match")
    event = AuditEvent.objects.get(action="screening_match.decide")
    assert event.actor == personas.case_worker and event.detail["decision"] == "match"
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.decided_by == personas.case_worker


def test_an_organisation_never_sees_another_organisations_matches(
    personas: Personas, red_list: Path
) -> None:
    _defended(personas)
    protected(personas.outsider, "Ivan Petrov")
    list_load(path=red_list, name="interpol-red")
    [match] = screening_run(organisation=personas.org).new_matches
    assert screening_run(organisation=personas.other_org).new_matches == []
    assert list(screening_matches_open(personas.outsider)) == []
    assert list(screening_matches_open(personas.case_worker)) == [match]
    with pytest.raises(NotFoundError):
        access_screening_match(personas.outsider, match.uuid)
    with pytest.raises(PermissionDeniedError):
        screening_matches_open(personas.analyst)


def test_without_an_assignee_the_admins_are_alerted(personas: Personas, red_list: Path) -> None:
    user_email_set(actor=personas.admin, email="ada@ngo.example")
    protected(personas.admin, "Dilnoza Rakhimova")
    list_load(path=red_list, name="interpol-red")
    screening_run(organisation=personas.org)
    [mail] = envelopes(kind="alert.urgent")
    assert isinstance(mail, Email) and mail.to == ("ada@ngo.example",)


def _table_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
    return "\n".join(
        bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
        for row in rows
        for v in row
    )


def test_no_person_name_or_matched_entity_is_stored_in_the_clear(
    personas: Personas, red_list: Path
) -> None:
    _defended(personas)
    list_load(path=red_list, name="interpol-red")
    assert screening_run(organisation=personas.org).new_matches
    matches = _table_text(ScreeningMatch._meta.db_table)
    for secret in ("Dilnoza", "Rakhimova", "Дилноза", "Рахимова", NOTICE["id"]):
        assert secret not in matches
    # The lists hold what the public file held, and nothing the organisation recorded.
    for table in ("screening_publiclist", "screening_listentity", "screening_listkey"):
        assert "Rakhimova" not in _table_text(table)
    assert IncidentTarget.objects.count() == 1


# The worker commits and reconnects as in production: on PostgreSQL that needs a test
# outside the wrapping transaction.
WORKER_DB = pytest.mark.django_db(transaction=True)


def _work() -> None:
    """What `beyondreach serve`'s worker does: run every queued task, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@WORKER_DB
def test_a_person_recorded_after_the_load_is_screened_by_the_worker(
    personas: Personas, red_list: Path, django_capture_on_commit_callbacks: Any
) -> None:
    list_load(path=red_list, name="interpol-red")
    with django_capture_on_commit_callbacks(execute=True):
        _defended(personas)
    assert ScreeningMatch.objects.count() == 0  # not in the request: in the worker
    _work()
    [match] = ScreeningMatch.objects.all()
    assert match.entity_ref == NOTICE["id"] and match.person.names.get().value == (
        "Dilnoza Rakhimova"
    )
    [mail] = envelopes(kind="alert.urgent")
    assert isinstance(mail, Email) and mail.to == ("cora@ngo.example",)


@WORKER_DB
def test_an_edit_that_gives_the_listed_name_is_screened_and_alerts_once(
    personas: Personas, red_list: Path, django_capture_on_commit_callbacks: Any
) -> None:
    user_email_set(actor=personas.admin, email="ada@ngo.example")  # no assignee: the admins
    list_load(path=red_list, name="interpol-red")
    with django_capture_on_commit_callbacks(execute=True):
        incident = protected(personas.admin, "D. R.", birth_date="1985-04-12")
    _work()
    assert ScreeningMatch.objects.count() == 0
    person = IncidentTarget.objects.get(incident=incident).person
    assert person is not None
    renamed = PersonData(
        names=[NameData("D. R.", "Latn"), NameData("Дилноза Рахимова", "Cyrl")],
        birth_date="1985-04-12",
    )
    for _ in range(2):  # saved twice: one match, one alert
        with django_capture_on_commit_callbacks(execute=True):
            person_update(actor=personas.admin, person=person, data=renamed)
        _work()
    assert ScreeningMatch.objects.filter(person=person).count() == 1
    assert Message.objects.filter(kind="alert.urgent").count() == 1


@WORKER_DB
def test_a_merge_screens_the_survivor_under_the_names_it_takes(
    personas: Personas, red_list: Path, django_capture_on_commit_callbacks: Any
) -> None:
    list_load(path=red_list, name="interpol-red")
    with django_capture_on_commit_callbacks(execute=True):
        first = protected(personas.admin, "D. R.", birth_date="1985-04-12")
        second = protected(personas.admin, "Дилноза Рахимова", birth_date="1985-04-12")
    ScreeningMatch.objects.all().delete()
    Message.objects.all().delete()
    survivor = IncidentTarget.objects.get(incident=first).person
    merged = IncidentTarget.objects.get(incident=second).person
    assert survivor is not None and merged is not None
    with django_capture_on_commit_callbacks(execute=True):
        person_merge(actor=personas.admin, survivor=survivor, merged=merged)
    _work()
    [match] = ScreeningMatch.objects.all()
    assert match.person == survivor


def test_without_a_loaded_list_saving_a_person_queues_nothing(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        _defended(personas)
    assert not DBTaskResult.objects.filter(task_path__endswith="screen_person").exists()
