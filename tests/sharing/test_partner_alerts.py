"""A partner's alert rules see the incidents shared with it, for as long as its people may
open them, and the alert says no more than the shared view would (alerts.content)."""

from __future__ import annotations

from typing import Any

from beyondreach.alerts.models import DigestItem
from beyondreach.cases.services import incident_update
from beyondreach.outbox.models import Message

from ..alerts.helpers import IDENTIFYING, NOT_URGENT, everything_sent, focal_point, subscribe
from ..cases.factories import incident_data
from .conftest import Partners, consenting, record, share


def test_a_partners_rule_hears_of_an_urgent_incident_shared_with_it(
    partners: Partners, django_capture_on_commit_callbacks: Any
) -> None:
    rule = subscribe(partners.b_case_worker, email="otto@partner.example", host_countries=["TR"])
    owners = subscribe(partners.a_case_worker, host_countries=["TR"])
    incident = record(partners, place="Kadikoy-canary")  # host_detention: urgent
    assert not Message.objects.filter(organisation=partners.b, kind="alert.urgent").exists()
    with django_capture_on_commit_callbacks(execute=True):
        share(partners, incident, level="pseudonymised")
    (alert,) = Message.objects.filter(organisation=partners.b, kind="alert.urgent")
    text = everything_sent(pk=alert.pk)
    assert "otto@partner.example" in text and "Shared with you by: Safeguard Exiles" in text
    assert f"/shared/{incident.uuid}/" in text and f"/incidents/{incident.uuid}/" not in text
    assert "Title:" not in text and "Target:" not in text
    for value in IDENTIFYING:
        assert value not in text, value
    # The share's matching is for the partner only: the owner's rules had their turn when
    # the incident was saved (not run here), and are not matched again.
    assert not Message.objects.filter(organisation=partners.a, kind="alert.urgent").exists()
    assert owners.pk not in DigestItem.objects.values_list("subscription_id", flat=True)
    assert rule.organisation_id == partners.b.pk


def test_an_update_of_a_shared_incident_reaches_the_partners_digest(
    partners: Partners, django_capture_on_commit_callbacks: Any
) -> None:
    rule = subscribe(partners.b_case_worker, tactics=["interpol_abuse"])
    incident = record(partners, tactics=NOT_URGENT)
    share(partners, incident)
    assert not DigestItem.objects.exists()  # the share's own matching ran after no commit
    with django_capture_on_commit_callbacks(execute=True):
        incident_update(
            actor=partners.a_case_worker, incident=incident, data=incident_data(tactics=NOT_URGENT)
        )
    assert list(DigestItem.objects.values_list("subscription_id", flat=True)) == [rule.pk]


def test_only_those_who_may_open_it_hear_of_it(
    partners: Partners, django_capture_on_commit_callbacks: Any
) -> None:
    named = subscribe(partners.b_case_worker)
    subscribe(partners.b_analyst)  # not named in the share
    focal_point(partners.b_admin)  # the partner's authority: never told of A's records
    subscribe(partners.c_case_worker)  # no agreement at all
    incident = record(partners, consenting(incident_data(tlp="red")))
    with django_capture_on_commit_callbacks(execute=True):
        given = share(partners, incident, level="full", readers=[partners.b_case_worker])
    told = Message.objects.filter(kind="alert.urgent").exclude(organisation=partners.a)
    assert [m.organisation_id for m in told] == [partners.b.pk]
    assert "cora" not in everything_sent(pk=told[0].pk)
    assert named.user is not None and named.user.email in everything_sent(pk=told[0].pk)

    from beyondreach.sharing.services import share_revoke

    share_revoke(actor=partners.a_case_worker, share=given)
    with django_capture_on_commit_callbacks(execute=True):
        incident_update(
            actor=partners.a_case_worker,
            incident=incident,
            data=consenting(incident_data(tlp="red", tactics=["assassination"])),
        )
    assert Message.objects.filter(kind="alert.urgent", organisation=partners.b).count() == 1
