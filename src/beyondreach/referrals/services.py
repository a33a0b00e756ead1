"""Writes of referrals: protection bodies (admins), sending, acknowledgement, outcome.

Each write runs in a transaction with its audit event; a referral's mail is queued in the
outbox in the same transaction, so it is sent (at least once) exactly when it is recorded.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from beyondreach.cases import models as cm
from beyondreach.core.access import writer_org
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import (
    ApplicationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from beyondreach.core.models import Organisation, Role, User
from beyondreach.outbox.channels import Email
from beyondreach.outbox.services import outbox_enqueue
from beyondreach.referrals.models import (
    BodyKind,
    Delivery,
    Level,
    ProtectionBody,
    Referral,
    ReferralStatus,
)
from beyondreach.referrals.packet import referral_packet, targets_consent
from beyondreach.reports.keys import seal_to

NAME_MAX, OUTCOME_MAX = 200, 5000
LINK_DAYS = 14


class ReferralRefusedError(ApplicationError):
    """The incident may not be referred (TLP:RED, an inactive body)."""


class LinkUnavailableError(NotFoundError):
    """Unknown, expired or revoked link: all three answer the same 404."""


def _audit(
    org: Organisation, actor: User | None, action: str, referral: Referral, **detail: Any
) -> None:
    audit_record(
        organisation=org,
        actor=actor,
        action=action,
        record_type="referral",
        record_id=referral.uuid,
        detail={"incident": str(referral.incident.uuid), **detail},
    )


# --- Protection bodies (admins) ---------------------------------------------------------


@dataclass
class BodyData:
    kind: str
    name: str
    email: str
    public_key: str = ""
    active: bool = True


def public_key_parse(text: str) -> bytes | None:
    """An X25519 public key in base64 (32 bytes), or None for an empty field."""
    text = "".join(text.split())
    if not text:
        return None
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError({"public_key": ["This is not base64."]}) from exc
    if len(key) != 32 or key == bytes(32):
        raise InvalidInputError({"public_key": ["An X25519 public key is 32 bytes."]})
    return key


def body_validate(data: BodyData) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in BodyKind.values:
        errors["kind"] = ["Choose a kind of body."]
    if not data.name.strip() or len(data.name) > NAME_MAX:
        errors["name"] = [f"Give a name of at most {NAME_MAX} characters."]
    try:
        validate_email(data.email.strip())
    except ValidationError:
        errors["email"] = ["Enter a valid e-mail address."]
    try:
        public_key_parse(data.public_key)
    except InvalidInputError as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInputError(errors)


def _apply_body(body: ProtectionBody, data: BodyData) -> None:
    key = public_key_parse(data.public_key)
    body.kind, body.active = data.kind, data.active
    body.name, body.email = data.name.strip(), data.email.strip()
    body.public_key = base64.b64encode(key).decode() if key else ""


def _admin_org(actor: User) -> Organisation:
    if actor.organisation is None or not actor.is_active or actor.role != Role.ADMIN:
        raise PermissionDeniedError("Only admins manage protection bodies.")
    return actor.organisation


def protection_body_create(*, actor: User, data: BodyData) -> ProtectionBody:
    """An admin adds a body the organisation refers incidents to."""
    org = _admin_org(actor)
    body_validate(data)
    body = ProtectionBody(organisation=org)
    _apply_body(body, data)
    with transaction.atomic():
        body.save()
        audit_record(
            organisation=org,
            actor=actor,
            action="protection_body.create",
            record_type="protection_body",
            record_id=body.uuid,
            detail={"kind": body.kind, "sealed_delivery": bool(body.public_key)},
        )
    return body


def protection_body_update(*, actor: User, body: ProtectionBody, data: BodyData) -> ProtectionBody:
    org = _admin_org(actor)
    if body.organisation_id != org.pk:
        raise NotFoundError("No such protection body.")
    body_validate(data)
    _apply_body(body, data)
    with transaction.atomic():
        body.save()
        audit_record(
            organisation=org,
            actor=actor,
            action="protection_body.update",
            record_type="protection_body",
            record_id=body.uuid,
            detail={"kind": body.kind, "active": body.active},
        )
    return body


# --- Sending ----------------------------------------------------------------------------


def link_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def referral_send(
    *,
    actor: User,
    incident: cm.Incident,
    body: ProtectionBody,
    follow_up_on: dt.date | None = None,
) -> Referral:
    """Refer the incident to the body: with identities only if every target consents to
    sharing with authorities; sealed to the body's key if it has one, else by secure link.
    TLP:RED is for named recipients of the organisation only and is never referred."""
    org = writer_org(actor, "Only admins and case workers refer incidents.")
    if incident.organisation_id != org.pk or body.organisation_id != org.pk:
        raise NotFoundError("No such incident or body.")
    if incident.tlp == cm.Tlp.RED:
        raise ReferralRefusedError(
            "A TLP:RED incident cannot be referred: its marking limits it to named people "
            "of this organisation. Change the marking first if the sources allow it."
        )
    if not body.active:
        raise ReferralRefusedError("This protection body is no longer active.")
    now = timezone.now()
    referral = Referral(
        organisation=org,
        incident=incident,
        body=body,
        level=Level.IDENTITIES if targets_consent(incident) else Level.PSEUDONYMISED,
        delivery=Delivery.SEALED if body.public_key else Delivery.LINK,
        sent_on=timezone.localdate(now),
        sent_at=now,
        sent_by=actor,
        assignee=actor,
        follow_up_on=follow_up_on,
    )
    token = ""
    if referral.delivery == Delivery.LINK:
        token = secrets.token_urlsafe(32)
        referral.link_digest = link_digest(token)
        referral.link_expires_at = now + dt.timedelta(days=LINK_DAYS)
    with transaction.atomic():
        referral.save()
        _enqueue(referral, token)
        _audit(
            org,
            actor,
            "referral.send",
            referral,
            body=str(body.uuid),
            level=referral.level,
            delivery=referral.delivery,
            tlp=incident.tlp,
        )
    return referral


def _enqueue(referral: Referral, token: str) -> None:
    org_name = referral.incident.organisation.name
    if referral.delivery == Delivery.SEALED:
        body = _sealed_mail(referral, org_name)
    else:
        body = _link_mail(referral, org_name, token)
    outbox_enqueue(
        organisation=referral.incident.organisation,
        key=f"referral-{referral.uuid.hex}",
        kind="referral.send",
        # Coded words only in the subject: it shows on lock screens.
        envelope=Email(
            to=(referral.body.email,),
            subject=f"[Beyond Reach] Referral {str(referral.uuid)[:8]}",
            body=body,
        ),
    )


def _sealed_mail(referral: Referral, org_name: str) -> str:
    packet = json.dumps(referral_packet(referral), ensure_ascii=False, sort_keys=True)
    sealed = seal_to(base64.b64decode(referral.body.public_key), packet.encode())
    return (
        f"{org_name} refers an incident to you (referral {referral.uuid}).\n\n"
        "The packet below is a libsodium sealed box (X25519, XSalsa20-Poly1305) to your\n"
        "public key, in base64. Open it with your private key; it holds JSON.\n"
        "Please acknowledge receipt by replying to the organisation.\n\n"
        "-----BEGIN BEYOND REACH REFERRAL-----\n"
        f"{_wrapped(base64.b64encode(sealed).decode())}\n"
        "-----END BEYOND REACH REFERRAL-----\n"
    )


def _wrapped(text: str, width: int = 76) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def _link_mail(referral: Referral, org_name: str, token: str) -> str:
    assert referral.link_expires_at is not None
    until = timezone.localdate(referral.link_expires_at).isoformat()
    return (
        f"{org_name} refers an incident to you (referral {referral.uuid}).\n\n"
        f"Open it here, until {until}:\n{settings.SITE_URL}/referral/{token}/\n\n"
        "Whoever holds this link can read the referral: do not forward it.\n"
        "The page asks you to acknowledge receipt.\n"
    )


# --- The secure link --------------------------------------------------------------------


def referral_by_link(token: str) -> Referral:
    """The referral a live link opens; 404 if unknown, expired, revoked or now TLP:RED."""
    found = (
        Referral.objects.select_related("incident", "body", "organisation")
        .filter(link_digest=link_digest(token), link_revoked_at=None)
        .first()
    )
    if (
        found is None
        or found.link_expires_at is None
        or found.link_expires_at <= timezone.now()
        or found.incident.tlp == cm.Tlp.RED  # marked RED since: no longer for the body
    ):
        raise LinkUnavailableError("This link does not exist or is no longer valid.")
    return found


def referral_link_viewed(*, referral: Referral) -> dict[str, Any]:
    """The packet the link shows, with the view audited (nobody logs in: no actor)."""
    packet = referral_packet(referral)
    with transaction.atomic():
        _audit(
            referral.organisation,
            None,
            "referral.link_view",
            referral,
            identities=packet["identities"],
        )
    return packet


def referral_acknowledge(*, referral: Referral, actor: User | None = None) -> Referral:
    """The body acknowledges (through the link, no actor) or a case worker records that
    it did (by mail, say). A second acknowledgement changes nothing and is not audited."""
    if actor is not None:
        _check_writer(actor, referral)
    with transaction.atomic():
        now = timezone.now()
        done = Referral.objects.filter(
            pk=referral.pk, status=ReferralStatus.SENT, acknowledged_at=None
        ).update(status=ReferralStatus.ACKNOWLEDGED, acknowledged_at=now)
        if done:
            via = "staff" if actor else "link"
            _audit(referral.organisation, actor, "referral.acknowledge", referral, via=via)
    referral.refresh_from_db()
    return referral


def _check_writer(actor: User, referral: Referral) -> None:
    org = writer_org(actor, "Only admins and case workers refer incidents.")
    if referral.organisation_id != org.pk:
        raise NotFoundError("No such referral.")


@dataclass
class OutcomeData:
    outcome: str = ""
    outcome_on: dt.date | None = None
    follow_up_on: dt.date | None = None
    closed: bool = False


def referral_record_outcome(*, actor: User, referral: Referral, data: OutcomeData) -> Referral:
    """Record what the body did and when to follow up; `closed` stops the reminders."""
    _check_writer(actor, referral)
    outcome = data.outcome.strip()
    if len(outcome) > OUTCOME_MAX:
        raise InvalidInputError({"outcome": [f"At most {OUTCOME_MAX} characters."]})
    if data.outcome_on and data.outcome_on > timezone.localdate():
        raise InvalidInputError({"outcome_on": ["The outcome date cannot be in the future."]})
    referral.outcome, referral.outcome_on = outcome, data.outcome_on
    referral.follow_up_on = data.follow_up_on
    if outcome:
        referral.status = ReferralStatus.OUTCOME
        referral.acknowledged_at = referral.acknowledged_at or timezone.now()
    referral.closed_at = (referral.closed_at or timezone.now()) if data.closed else None
    with transaction.atomic():
        referral.save()
        _audit(
            referral.organisation,
            actor,
            "referral.outcome",
            referral,
            status=referral.status,
            follow_up_on=referral.follow_up_on.isoformat() if referral.follow_up_on else None,
            closed=referral.closed_at is not None,
        )
    return referral


def referral_revoke_link(*, actor: User, referral: Referral) -> Referral:
    """The link stops working at once (a mail sent to the wrong address, say)."""
    _check_writer(actor, referral)
    if referral.delivery != Delivery.LINK or referral.link_revoked_at is not None:
        raise ApplicationError("This referral has no live link to revoke.")
    with transaction.atomic():
        referral.link_revoked_at = timezone.now()
        referral.save(update_fields=["link_revoked_at"])
        _audit(referral.organisation, actor, "referral.link_revoke", referral)
    return referral
