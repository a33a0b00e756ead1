"""A referral's follow-up date is a deadline: on the Deadlines page and reminded by mail."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from beyondreach.alerts.deadlines import deadlines_due
from beyondreach.alerts.reminders import reminders_send
from beyondreach.alerts.services import user_email_set
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.channels import Email, envelope_load
from beyondreach.outbox.models import Message
from beyondreach.referrals.services import OutcomeData, referral_record_outcome, referral_send

from ..conftest import Personas, verified_client
from .conftest import SECRETS, Bodies, consenting_incident


def test_a_follow_up_date_produces_a_reminder_through_the_alerts_source(
    personas: Personas, bodies: Bodies
) -> None:
    user_email_set(actor=personas.case_worker, email="cora@ngo.example")
    today = timezone.localdate()
    incident = consenting_incident(personas)
    referral = referral_send(
        actor=personas.case_worker,
        incident=incident,
        body=bodies.link,
        follow_up_on=today + dt.timedelta(days=1),
    )
    refs = [d.ref for d in deadlines_due(personas.org.pk, today + dt.timedelta(days=30))]
    assert f"referral:{referral.uuid}" in refs
    assert deadlines_due(personas.other_org.pk, today + dt.timedelta(days=30)) == []

    assert reminders_send() == 1
    reminder = Message.objects.get(kind="reminder")
    envelope = envelope_load(reminder.envelope)
    assert isinstance(envelope, Email) and envelope.to == ("cora@ngo.example",)
    assert "Referral follow-up" in envelope.subject
    assert f"/referrals/{referral.uuid}/" in envelope.body
    assert all(secret not in envelope.subject for secret in SECRETS)
    event = AuditEvent.objects.get(action="reminder.send")
    assert event.record_type == "referral" and event.record_id == referral.uuid

    page = verified_client(personas.case_worker).get("/deadlines/")
    assert "Referral follow-up" in page.content.decode()


def test_a_closed_referral_is_no_longer_reminded(personas: Personas, bodies: Bodies) -> None:
    today = timezone.localdate()
    referral = referral_send(
        actor=personas.case_worker,
        incident=consenting_incident(personas),
        body=bodies.link,
        follow_up_on=today,
    )
    referral_record_outcome(
        actor=personas.case_worker,
        referral=referral,
        data=OutcomeData("Relocated", today, today, closed=True),
    )
    assert deadlines_due(personas.org.pk, today + dt.timedelta(days=30)) == []
