"""The daily digest: one message per subscriber, with what matched since the last one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from pytest_django.fixtures import Settings

from beyondreach.alerts.digest import digests_send
from beyondreach.alerts.matching import alerts_match
from beyondreach.alerts.models import DigestItem
from beyondreach.alerts.tasks import next_digest_time
from beyondreach.cases.models import Incident, IncidentHost
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.channels import Email, Webhook
from beyondreach.outbox.models import Message

from ..conftest import Personas
from .helpers import (
    IDENTIFYING,
    NOT_URGENT,
    envelopes,
    everything_sent,
    focal_point,
    incident,
    subscribe,
)


def test_a_digest_lists_every_incident_matched_since_the_last_one(personas: Personas) -> None:
    subscribe(personas.case_worker, host_countries=["TR"])
    first = incident(personas.case_worker, tactics=NOT_URGENT)
    second = incident(personas.case_worker, tactics=NOT_URGENT, title="Second incident")
    for saved in (first, second, first):  # the first one updated: still one line
        alerts_match(incident_id=saved.pk)
    assert digests_send() == 1
    (mail,) = envelopes()
    assert isinstance(mail, Email) and mail.subject == "[Beyond Reach] Daily digest: 2 incidents"
    assert mail.body.count("Open it (login required)") == 2
    assert "Title: Second incident" in mail.body
    assert not DigestItem.objects.exists()
    assert digests_send() == 0 and Message.objects.count() == 1  # nothing twice
    event = AuditEvent.objects.get(action="alert.digest")
    assert sorted(event.detail["incidents"]) == sorted([str(first.uuid), str(second.uuid)])


def test_a_focal_points_digest_is_coded_and_leaves_out_what_became_tlp_red(
    personas: Personas,
) -> None:
    focal_point(personas.admin)
    shown = incident(personas.case_worker, tactics=NOT_URGENT)
    hidden = incident(personas.case_worker, tactics=NOT_URGENT)
    for saved in (shown, hidden):
        alerts_match(incident_id=saved.pk)
    Incident.objects.filter(pk=hidden.pk).update(tlp="red")  # marked red since it matched
    digests_send()
    mail, hook = envelopes()
    assert isinstance(mail, Email) and isinstance(hook, Webhook)
    assert mail.subject == "[Beyond Reach] Daily digest: 1 incident"
    assert [i["id"] for i in hook.payload["incidents"]] == [str(shown.uuid)]
    assert hook.payload["event"] == "incidents.digest"
    sent = everything_sent()
    assert str(hidden.uuid) not in sent
    for value in IDENTIFYING:
        assert value not in sent, value


def test_nothing_is_sent_when_nothing_still_matches(personas: Personas) -> None:
    subscribe(personas.case_worker, host_countries=["TR"])
    saved = incident(personas.case_worker, tactics=NOT_URGENT)
    alerts_match(incident_id=saved.pk)
    IncidentHost.objects.filter(incident_id=saved.pk).update(country="DE")
    assert digests_send() == 0 and not Message.objects.exists()
    assert not DigestItem.objects.exists()


def test_the_digest_runs_at_the_configured_hour(settings: Settings) -> None:
    settings.ALERTS_DIGEST_HOUR = 7
    morning = timezone.make_aware(dt.datetime(2025, 6, 2, 6, 59))
    assert next_digest_time(morning) == timezone.make_aware(dt.datetime(2025, 6, 2, 7, 0))
    later = timezone.make_aware(dt.datetime(2025, 6, 2, 7, 0))
    assert next_digest_time(later) == timezone.make_aware(dt.datetime(2025, 6, 3, 7, 0))
