"""Deadlines from every source, reminders ahead of them, and the generic hook."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from beyondreach.alerts.deadlines import Due, _sources, deadlines_due, register_deadline_source
from beyondreach.alerts.models import Deadline
from beyondreach.alerts.reminders import reminder_stage, reminders_send
from beyondreach.alerts.services import (
    DeadlineData,
    deadline_create,
    deadline_done,
    user_email_set,
)
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.channels import Email
from beyondreach.outbox.models import Message
from beyondreach.outbox.services import outbox_deliver_due

from ..conftest import Personas
from ..outbox.receivers import MailBox
from .helpers import NOT_URGENT, days, envelopes, incident, subscribe


def _hearing(personas: Personas, when: int, **kwargs: object) -> Deadline:
    saved = incident(personas.case_worker, tactics=NOT_URGENT)
    data = DeadlineData(
        kind="hearing",
        due_on=days(when),
        assignee_uuid=personas.case_worker.uuid,
        note="Appeal hearing at the administrative court",
    )
    for key, value in kwargs.items():
        setattr(data, key, value)
    return deadline_create(actor=personas.case_worker, incident=saved, data=data)


def test_a_deadline_produces_a_reminder_by_mail_to_the_assignee(
    personas: Personas, mailbox: MailBox
) -> None:
    user_email_set(actor=personas.case_worker, email="cora@ngo.example")
    _hearing(personas, 3)
    assert reminders_send() == 1
    assert outbox_deliver_due().sent == 1
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "cora@ngo.example"
    assert mail["Subject"] == f"[Beyond Reach] Reminder: Hearing on {days(3).isoformat()}"
    body = mail.get_content()
    assert f"Hearing is on {days(3).isoformat()} (in 3 days)." in body
    assert "Incident: Red Notice against a Uyghur poet" in body  # a case worker sees titles
    assert "administrative court" not in body  # the note never leaves the system
    assert AuditEvent.objects.filter(action="reminder.send").count() == 1


@pytest.mark.parametrize(
    ("left", "stage"), [(10, None), (8, None), (7, "7d"), (2, "7d"), (1, "1d"), (0, "1d")]
)
def test_reminders_come_a_week_and_a_day_ahead(
    settings: Settings, left: int, stage: str | None
) -> None:
    settings.ALERTS_REMINDER_DAYS = (7, 1)
    today = dt.date(2025, 6, 2)
    assert reminder_stage(today + dt.timedelta(days=left), today) == stage
    assert reminder_stage(today - dt.timedelta(days=1), today) == "overdue"


def test_each_reminder_goes_out_once_however_often_the_job_runs(personas: Personas) -> None:
    user_email_set(actor=personas.case_worker, email="cora@ngo.example")
    deadline = _hearing(personas, 6)
    today = timezone.localdate()
    assert reminders_send(today=today) == 1  # a week ahead
    assert reminders_send(today=today) == 0
    assert reminders_send(today=today + dt.timedelta(days=5)) == 1  # the day before
    assert reminders_send(today=today + dt.timedelta(days=6)) == 0  # the day itself: no more
    assert reminders_send(today=today + dt.timedelta(days=7)) == 1  # overdue, once
    assert reminders_send(today=today + dt.timedelta(days=30)) == 0
    subjects = [e.subject for e in envelopes() if isinstance(e, Email)]
    assert subjects[-1].startswith("[Beyond Reach] Overdue: Hearing")
    deadline_done(actor=personas.case_worker, deadline=deadline)
    assert deadlines_due(personas.org.pk, today + dt.timedelta(days=365)) == []


def test_the_incident_due_date_is_a_deadline_of_its_assignee(personas: Personas) -> None:
    user_email_set(actor=personas.analyst, email="ana@ngo.example")
    saved = incident(
        personas.case_worker,
        tactics=NOT_URGENT,
        due_date=days(1),
        assignee_uuid=personas.analyst.uuid,
    )
    (due,) = deadlines_due(personas.org.pk, days(30))
    assert due.ref == f"incident:{saved.uuid}" and due.assignee_id == personas.analyst.pk
    assert reminders_send() == 1
    (mail,) = envelopes()
    assert isinstance(mail, Email) and mail.to == ("ana@ngo.example",)
    assert "Incident: [withheld]" in mail.body  # an analyst does not see titles


def test_closed_cases_unassigned_and_unreachable_deadlines_send_nothing(
    personas: Personas,
) -> None:
    incident(personas.case_worker, status="closed", due_date=days(1))
    _hearing(personas, 1, assignee_uuid=None)  # nobody assigned, on the incident either
    _hearing(personas, 1)  # the case worker has no e-mail address yet
    assert len(deadlines_due(personas.org.pk, days(30))) == 2
    assert reminders_send() == 0 and not Message.objects.exists()


def test_a_hearing_within_days_makes_the_incident_urgent_at_once(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    subscribe(personas.case_worker, urgent_only=True)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _hearing(personas, 2)
    (mail,) = envelopes()
    assert isinstance(mail, Email) and "hearing within days" in mail.subject


def test_deadlines_are_written_by_writers_of_the_organisation_and_audited(
    personas: Personas,
) -> None:
    deadline = _hearing(personas, 3)
    assert AuditEvent.objects.filter(action="deadline.create", record_id=deadline.uuid).exists()
    saved = incident(personas.case_worker)
    data = DeadlineData(kind="appeal", due_on=days(3))
    for user in (personas.analyst, personas.outsider):
        with pytest.raises(ApplicationError):
            deadline_create(actor=user, incident=saved, data=data)
    with pytest.raises(ApplicationError) as refused:
        deadline_create(
            actor=personas.case_worker,
            incident=saved,
            data=DeadlineData(kind="party", due_on=days(1), assignee_uuid=uuid.uuid4()),
        )
    assert set(refused.value.errors) == {"kind", "assignee"}  # type: ignore[attr-defined]


@pytest.fixture
def referral_source(personas: Personas) -> Iterator[list[Due]]:
    """A stand-in for the referrals app, which registers its follow-up dates the same way."""
    referrals: list[Due] = []

    def follow_ups(organisation_id: int, until: dt.date) -> Iterable[Due]:
        return [r for r in referrals if r.organisation_id == organisation_id and r.due_on <= until]

    register_deadline_source("test.referrals", follow_ups)
    yield referrals
    _sources.pop("test.referrals")


def test_another_app_adds_its_deadlines_through_the_hook(
    personas: Personas, referral_source: list[Due]
) -> None:
    user_email_set(actor=personas.case_worker, email="cora@ngo.example")
    referral = uuid.uuid4()
    referral_source.append(
        Due(
            ref=f"referral:{referral}",
            kind="follow_up",
            label="Referral follow-up",
            due_on=days(-2),
            organisation_id=personas.org.pk,
            assignee_id=personas.case_worker.pk,
            subject_type="referral",
            subject_uuid=referral,
            path=f"/referrals/{referral}/",
        )
    )
    assert [d.ref for d in deadlines_due(personas.org.pk, days(0))] == [f"referral:{referral}"]
    assert deadlines_due(personas.other_org.pk, days(0)) == []
    assert reminders_send() == 1
    (mail,) = envelopes()
    assert isinstance(mail, Email)
    assert mail.subject == f"[Beyond Reach] Overdue: Referral follow-up, due {days(-2).isoformat()}"
    assert f"/referrals/{referral}/" in mail.body
    event = AuditEvent.objects.get(action="reminder.send")
    assert event.record_type == "referral" and event.record_id == referral
