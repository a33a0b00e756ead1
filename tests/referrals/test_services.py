"""Referral services: consent decides identities, TLP:RED is refused, sealed packets open
with the body's key, links are stored as digests, expire and can be revoked, and every
step is audited."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re

import pytest
from django.core import mail
from django.utils import timezone

from beyondreach.cases.models import Person
from beyondreach.core.audit import audit_verify
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.services import outbox_deliver_due
from beyondreach.referrals.models import Referral
from beyondreach.referrals.packet import referral_packet
from beyondreach.referrals.services import (
    BodyData,
    OutcomeData,
    ReferralRefusedError,
    link_digest,
    protection_body_create,
    referral_acknowledge,
    referral_by_link,
    referral_link_viewed,
    referral_record_outcome,
    referral_revoke_link,
    referral_send,
)
from beyondreach.reports.keys import open_sealed

from ..conftest import Personas
from .conftest import BODY_MAIL, SECRETS, TITLE, Bodies, consenting_incident
from .helpers import link_token, referral_mail

SEALED_BLOCK = re.compile(
    r"-----BEGIN BEYOND REACH REFERRAL-----\n(.*?)\n-----END BEYOND REACH REFERRAL-----", re.S
)


def _open_sealed_mail(referral: Referral, private_key: bytes) -> dict[str, object]:
    found = SEALED_BLOCK.search(referral_mail(referral).body)
    assert found is not None
    blob = base64.b64decode("".join(found.group(1).split()))
    return json.loads(open_sealed(private_key, blob))  # type: ignore[no-any-return]


def test_identities_go_only_when_every_target_consents(personas: Personas, bodies: Bodies) -> None:
    agreed = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=agreed, body=bodies.link)
    assert referral.level == "identities"
    packet = referral_packet(referral)
    assert packet["identities"] is True and packet["incident"]["title"] == TITLE
    assert "assignee" not in packet["incident"]
    # No internal record id of a person or a source: nothing to join packets on but the
    # pseudonym, which is meant for that.
    text = json.dumps(packet)
    internal = [str(t.person.uuid) for t in agreed.targets.all()]
    internal += [str(s.uuid) for s in agreed.sources.all()]
    assert internal and not any(uuid in text for uuid in internal)
    assert all(t["pseudonym"].startswith("P-") for t in packet["incident"]["targets"])

    refused = consenting_incident(personas, consent=False)
    referral = referral_send(actor=personas.case_worker, incident=refused, body=bodies.link)
    assert referral.level == "pseudonymised"
    text = json.dumps(referral_packet(referral), ensure_ascii=False)
    assert all(secret not in text for secret in SECRETS)
    assert "[withheld]" in text and "P-" in text


def test_one_target_without_consent_withholds_every_name(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    first = incident.targets.first()
    assert first is not None
    Person.objects.filter(pk=first.person_id).update(consent_share_authorities=False)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    assert referral.level == "pseudonymised"


def test_consent_withdrawn_after_sending_withholds_names_on_the_link(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    Person.objects.filter(targetings__incident=incident).update(consent_share_authorities=False)
    packet = referral_link_viewed(referral=referral_by_link(link_token(referral)))
    assert packet["identities"] is False
    assert TITLE not in json.dumps(packet, ensure_ascii=False)


def test_it_refuses_to_refer_a_tlp_red_incident(personas: Personas, bodies: Bodies) -> None:
    incident = consenting_incident(personas, tlp="red")
    with pytest.raises(ReferralRefusedError, match="TLP:RED incident cannot be referred"):
        referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.send").exists()


def test_the_sealed_packet_opens_with_the_bodys_private_key(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.sealed)
    assert referral.delivery == "sealed" and referral.link_digest is None
    packet = _open_sealed_mail(referral, bodies.private_key)
    assert packet["identities"] is True
    assert packet["incident"]["title"] == TITLE  # type: ignore[index]
    mail_text = referral_mail(referral).body + referral_mail(referral).subject
    assert all(secret not in mail_text for secret in SECRETS)


def test_a_pseudonymised_sealed_packet_holds_no_names(personas: Personas, bodies: Bodies) -> None:
    incident = consenting_incident(personas, consent=False)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.sealed)
    packet = _open_sealed_mail(referral, bodies.private_key)
    text = json.dumps(packet, ensure_ascii=False)
    assert packet["identities"] is False
    assert all(secret not in text for secret in SECRETS)
    with pytest.raises(Exception, match="could not be opened"):
        _open_sealed_mail(referral, bytes(32))


def test_the_link_works_once_delivered_and_its_token_is_not_stored(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas, consent=False)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    assert outbox_deliver_due().sent == 1
    (sent,) = mail.outbox
    assert sent.to == [BODY_MAIL] and "[Beyond Reach] Referral" in sent.subject
    token = re.search(r"/referral/([A-Za-z0-9_-]{43})/", str(sent.body))
    assert token is not None
    referral.refresh_from_db()
    assert referral.link_digest == hashlib.sha256(token.group(1).encode()).hexdigest()
    stored = json.dumps(list(Referral.objects.values()), default=str)
    assert token.group(1) not in stored
    assert referral_by_link(token.group(1)) == referral
    assert all(secret not in str(sent.body) for secret in SECRETS)


def test_the_link_expires_after_14_days_and_can_be_revoked(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    token = link_token(referral)
    assert referral.link_expires_at is not None
    assert referral.link_expires_at - referral.sent_at == dt.timedelta(days=14)
    Referral.objects.filter(pk=referral.pk).update(link_expires_at=timezone.now())
    with pytest.raises(NotFoundError):
        referral_by_link(token)
    Referral.objects.filter(pk=referral.pk).update(
        link_expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert referral_by_link(token) == referral
    referral_revoke_link(actor=personas.case_worker, referral=referral)
    with pytest.raises(NotFoundError):
        referral_by_link(token)
    with pytest.raises(NotFoundError):
        referral_by_link("made-up")
    assert AuditEvent.objects.filter(action="referral.link_revoke").count() == 1


def test_an_incident_marked_red_after_sending_closes_the_link(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    type(incident).objects.filter(pk=incident.pk).update(tlp="red")
    with pytest.raises(NotFoundError):
        referral_by_link(link_token(referral))


def test_acknowledgement_and_outcome_are_recorded_and_audited(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    referral_link_viewed(referral=referral_by_link(link_token(referral)))
    referral_acknowledge(referral=referral)
    referral_acknowledge(referral=referral)  # twice: recorded once
    assert referral.status == "acknowledged" and referral.acknowledged_at is not None
    follow_up = timezone.localdate() + dt.timedelta(days=10)
    data = OutcomeData("Accepted into the programme", timezone.localdate(), follow_up)
    referral_record_outcome(actor=personas.case_worker, referral=referral, data=data)
    referral.refresh_from_db()
    assert referral.status == "outcome" and referral.outcome == "Accepted into the programme"
    assert b"Accepted" not in bytes(referral.outcome_sealed)
    actions = list(
        AuditEvent.objects.filter(record_id=referral.uuid)
        .order_by("seq")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("referral.send", personas.case_worker.pk),
        ("referral.link_view", None),
        ("referral.acknowledge", None),
        ("referral.outcome", personas.case_worker.pk),
    ]
    details = json.dumps(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert "Accepted" not in details and "Shelter" not in details
    assert audit_verify() == []


def test_read_only_roles_and_outsiders_cannot_send_or_record(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    with pytest.raises(PermissionDeniedError):
        referral_send(actor=personas.analyst, incident=incident, body=bodies.link)
    with pytest.raises(NotFoundError):
        referral_send(actor=personas.outsider, incident=incident, body=bodies.link)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    with pytest.raises(PermissionDeniedError):
        referral_record_outcome(actor=personas.viewer, referral=referral, data=OutcomeData("x"))
    with pytest.raises(NotFoundError):
        referral_record_outcome(actor=personas.outsider, referral=referral, data=OutcomeData())


def test_bodies_are_admins_and_their_public_key_is_checked(personas: Personas) -> None:
    good = BodyData(kind="police", name="Police focal point", email="fp@police.example")
    with pytest.raises(PermissionDeniedError):
        protection_body_create(actor=personas.case_worker, data=good)
    for key in (
        "not base64!",
        base64.b64encode(b"short").decode(),
        base64.b64encode(bytes(32)).decode(),
    ):
        bad = BodyData(kind="police", name="P", email="fp@police.example", public_key=key)
        with pytest.raises(InvalidInputError) as caught:
            protection_body_create(actor=personas.admin, data=bad)
        assert "public_key" in caught.value.errors
    with pytest.raises(InvalidInputError) as caught:
        protection_body_create(actor=personas.admin, data=BodyData(kind="nope", name="", email="x"))
    assert set(caught.value.errors) == {"kind", "name", "email"}
    body = protection_body_create(actor=personas.admin, data=good)
    assert b"police.example" not in bytes(body.email_sealed) and body.email == good.email
    assert link_digest("a") != link_digest("b")
