"""Writes of sharing: the agreement handshake, sharing an incident, revoking it, and the
record of every read by the partner.

Each write runs in one transaction and writes its audit event into *both* organisations'
chains: the owner must be able to tell whom its records reached and who read them; the
partner, what it received and what it lost. Both chains are appended in the order of the
organisations' primary keys, so two concurrent writers between the same two organisations
lock their rows in the same order and cannot deadlock.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from beyondreach.cases import models as cm
from beyondreach.core.access import writer_org
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import Organisation, Role, User
from beyondreach.outbox.channels import Email
from beyondreach.outbox.services import message_key, outbox_enqueue, site_link
from beyondreach.sharing.models import Agreement, AgreementStatus, Share, ShareLevel, ShareReader
from beyondreach.sharing.selectors import SharedIncident, active_agreement, targets_without_consent

logger = logging.getLogger(__name__)


class SharingError(ApplicationError):
    """A share or agreement that the rules refuse; `field` names the form field at fault."""


class ConsentMissingError(SharingError):
    """A full share of an incident whose targets have not all agreed to sharing."""

    def __init__(self, persons: list[cm.Person]) -> None:
        super().__init__(
            f"{len(persons)} of the incident's targets have not agreed to sharing with partner "
            "organisations, and names, narratives and sources cannot be withheld for some "
            "targets only. Share it pseudonymised, or record their consent first.",
            field="level",
        )
        self.persons = persons


def _admin_org(actor: User) -> Organisation:
    if actor.role != Role.ADMIN or actor.organisation is None:
        raise PermissionDeniedError("Only an admin manages sharing agreements.")
    return actor.organisation


def _audit_both(
    orgs: Sequence[Organisation],
    *,
    actor: User,
    action: str,
    record_type: str,
    record_id: uuid.UUID,
    detail: dict[str, Any],
) -> None:
    for org in sorted(orgs, key=lambda o: o.pk):
        audit_record(
            organisation=org,
            actor=actor,
            action=action,
            record_type=record_type,
            record_id=record_id,
            detail=detail,
        )


def _pair(a: Organisation, b: Organisation) -> str:
    return ":".join(sorted((str(a.uuid), str(b.uuid))))


# --- Agreements -------------------------------------------------------------------------


def agreement_propose(*, actor: User, partner_code: uuid.UUID) -> Agreement:
    """Propose an agreement to the organisation whose sharing code the admin was given.

    The code (the organisation's UUID) travels between the two admins out of band, so no
    page lists the organisations on this server.
    """
    org = _admin_org(actor)
    partner = Organisation.objects.filter(uuid=partner_code).first()
    if partner is None:
        raise SharingError("No organisation has this sharing code.", field="partner_code")
    if partner.pk == org.pk:
        raise SharingError("That is your own organisation's code.", field="partner_code")
    agreement = Agreement(
        proposer=org,
        partner=partner,
        pair=_pair(org, partner),
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            agreement.save()
            _audit_agreement(agreement, actor, "agreement.propose")
    except IntegrityError as exc:  # one_live_agreement_per_pair
        raise SharingError(
            f"There is already a proposed or active agreement with {partner.name}.",
            field="partner_code",
        ) from exc
    return agreement


def agreement_accept(*, actor: User, agreement: Agreement) -> Agreement:
    """The partner's admin accepts a proposal; from now on either side may share."""
    org = _admin_org(actor)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.partner_id != org.pk:
            raise SharingError("Only the organisation it was proposed to can accept it.")
        if locked.status != AgreementStatus.PROPOSED:
            raise SharingError("This agreement is not waiting for acceptance.")
        locked.status, locked.accepted_by, locked.accepted_at = (
            AgreementStatus.ACTIVE,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "accepted_by", "accepted_at"])
        _audit_agreement(locked, actor, "agreement.accept")
    return locked


def agreement_end(*, actor: User, agreement: Agreement) -> Agreement:
    """Either side ends an agreement (or withdraws or declines a proposal). Every share made
    under it is revoked in the same transaction: nothing stays readable without it."""
    org = _admin_org(actor)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if org.pk not in (locked.proposer_id, locked.partner_id):
            raise NotFoundError("No such agreement.")
        if locked.status == AgreementStatus.ENDED:
            raise SharingError("This agreement has already ended.")
        locked.status, locked.ended_by, locked.ended_at = (
            AgreementStatus.ENDED,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "ended_by", "ended_at"])
        _audit_agreement(locked, actor, "agreement.end")
        for share in Share.objects.filter(agreement=locked, revoked_at__isnull=True).select_related(
            "owner", "recipient", "incident"
        ):
            _revoke(share, actor, reason="agreement_ended")
    return locked


def _audit_agreement(agreement: Agreement, actor: User, action: str) -> None:
    _audit_both(
        [agreement.proposer, agreement.partner],
        actor=actor,
        action=action,
        record_type="agreement",
        record_id=agreement.uuid,
        detail={
            "proposer": str(agreement.proposer.uuid),
            "partner": str(agreement.partner.uuid),
        },
    )


# --- Shares -----------------------------------------------------------------------------


def incident_share(
    *,
    actor: User,
    incident: cm.Incident,
    partner_id: uuid.UUID,
    level: str,
    reader_ids: Sequence[uuid.UUID] = (),
) -> Share:
    """Share one incident with a partner at `level`, for the whole partner organisation or,
    when `reader_ids` name people of the partner, for them only.

    Refused (SharingError, naming the field at fault) without an active agreement; at the
    full level unless every target agreed to sharing with partners; for TLP:RED unless it
    names people, and never counted only; twice with the same partner.
    """
    org = writer_org(actor, "Your role cannot share records.")
    if incident.organisation_id != org.pk:
        raise NotFoundError("No such incident.")
    if level not in ShareLevel.values:
        raise SharingError("Choose full, pseudonymised or counted only.", field="level")
    partner = Organisation.objects.filter(uuid=partner_id).exclude(pk=org.pk).first()
    agreement = active_agreement(org.pk, partner.pk) if partner else None
    if partner is None or agreement is None:
        raise SharingError("There is no active agreement with that organisation.", field="partner")
    readers = _readers(partner, reader_ids)
    _check_marking(incident, partner, level, readers)
    if level == ShareLevel.FULL:
        missing = targets_without_consent(incident)
        if missing:
            raise ConsentMissingError(missing)
    return _share_create(actor, incident, agreement, partner, level, readers)


def _readers(partner: Organisation, reader_ids: Sequence[uuid.UUID]) -> list[User]:
    wanted = set(reader_ids)
    readers = list(User.objects.filter(organisation=partner, is_active=True, uuid__in=wanted))
    if len(readers) != len(wanted):
        raise SharingError(f"Name people of {partner.name} only.", field="readers")
    return readers


def _check_marking(
    incident: cm.Incident, partner: Organisation, level: str, readers: list[User]
) -> None:
    """TLP: RED travels to named people only; AMBER, GREEN and CLEAR may go to the partner
    organisation. A counted-only share has no readers at all."""
    if level == ShareLevel.COUNTED and readers:
        raise SharingError(
            "A counted-only share has no readers: leave the people unticked.", field="readers"
        )
    if incident.tlp != cm.Tlp.RED:
        return
    if level == ShareLevel.COUNTED:
        raise SharingError(
            "A TLP:RED incident cannot be counted in a partner's statistics: its facts may "
            "reach named people only.",
            field="level",
        )
    if not readers:
        raise SharingError(
            f"This incident is TLP:RED: name the people at {partner.name} who may see it. "
            "It cannot be shared with the whole organisation.",
            field="readers",
        )


def _share_create(
    actor: User,
    incident: cm.Incident,
    agreement: Agreement,
    partner: Organisation,
    level: str,
    readers: list[User],
) -> Share:
    org = incident.organisation
    share = Share(
        agreement=agreement,
        incident=incident,
        owner=org,
        recipient=partner,
        level=level,
        shared_by=actor,
        shared_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            # The agreement is locked and checked again, so an agreement ended meanwhile
            # cannot get a share after its shares were revoked.
            locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
            if locked.status != AgreementStatus.ACTIVE:
                raise SharingError(
                    "There is no active agreement with that organisation.", field="partner"
                )
            share.save()
            ShareReader.objects.bulk_create(ShareReader(share=share, user=u) for u in readers)
            told = _people_to_tell(share, readers)
            detail = {"readers": [str(u.uuid) for u in readers], "notified": len(told)}
            # After the audit events, which lock both organisations in order (_audit_both).
            _audit_share(share, actor, "incident.share", detail)
            _notify_partner(share, told)
            transaction.on_commit(lambda: _match_partner_rules(share))
    except IntegrityError as exc:  # one_live_share_per_partner
        raise SharingError(
            f"This incident is already shared with {partner.name}. Revoke that share first to "
            "change its level or its readers.",
            field="partner",
        ) from exc
    return share


def _match_partner_rules(share: Share) -> None:
    """The partner's alert rules see the incident now shared with it (alerts.matching);
    after the commit, and like any matching a failure is logged, never raised."""
    from beyondreach.alerts.matching import alerts_match  # alerts reads sharing's selectors

    try:
        alerts_match(incident_id=share.incident_id, only_organisation=share.recipient_id)
    except Exception:
        logger.exception("sharing: alert matching failed for share row %s", share.pk)


def _people_to_tell(share: Share, readers: list[User]) -> list[User]:
    """Who hears of a share: its named readers, or else the partner's admins and case
    workers; only those with an address. A counted-only share has nothing to read."""
    if share.level == ShareLevel.COUNTED:
        return []
    people = readers or User.objects.filter(
        organisation=share.recipient, is_active=True, role__in=[Role.ADMIN, Role.CASE_WORKER]
    )
    return [person for person in people if person.email]


def _notify_partner(share: Share, people: list[User]) -> None:
    """E-mail them that an incident is there for them to read: who shared it, at what level,
    and a link behind their login; nothing of the incident itself (through the outbox,
    inside this transaction)."""
    owner, level = share.owner.name, ShareLevel(share.level).label.lower()
    link = site_link(reverse("shared-detail", args=[share.incident.uuid]))
    for person in people:
        envelope = Email(
            to=(person.email,),
            subject=f"[Beyond Reach] {owner} shared an incident with you",
            body=(
                f"{owner} shared an incident with {share.recipient.name} ({level}).\n\n"
                f"Open it (login required): {link}\n\n"
                "Nothing of the incident is in this e-mail. The share lasts until "
                f"{owner} revokes it or your organisations end their agreement."
            ),
        )
        key = message_key("share", share.uuid, person.pk)
        outbox_enqueue(organisation=share.recipient, key=key, kind="share", envelope=envelope)


def share_revoke(*, actor: User, share: Share) -> Share:
    """The owner takes a share back; the partner's next request is refused (404)."""
    org = writer_org(actor, "Your role cannot share records.")
    if share.owner_id != org.pk:
        raise NotFoundError("No such share.")
    with transaction.atomic():
        if not _revoke(share, actor, reason="revoked"):
            raise SharingError("This share was already revoked.")
    return share


def _revoke(share: Share, actor: User, *, reason: str) -> bool:
    """Claim the revocation atomically: of two concurrent revocations, one writes the event."""
    now = timezone.now()
    claimed = Share.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_by=actor, revoked_at=now
    )
    if not claimed:
        return False
    share.revoked_by, share.revoked_at = actor, now
    _audit_share(share, actor, "incident.share_revoke", {"reason": reason})
    return True


def shared_incident_viewed(*, actor: User, shared: SharedIncident, via: str) -> None:
    """Every read of a shared record by the partner, whatever the reader's role, is in both
    chains: the owner has no other way to know who at the partner opened its record."""
    detail = {"shown": "identities" if shared.identities else "pseudonymised", "via": via}
    with transaction.atomic():
        _audit_share(shared.share, actor, "incident.share_view", detail)


def _audit_share(share: Share, actor: User, action: str, extra: dict[str, Any]) -> None:
    _audit_both(
        [share.owner, share.recipient],
        actor=actor,
        action=action,
        record_type="incident",
        record_id=share.incident.uuid,
        detail={
            "share": str(share.uuid),
            "owner": str(share.owner.uuid),
            "recipient": str(share.recipient.uuid),
            "level": share.level,
            "tlp": share.incident.tlp,
            **extra,
        },
    )
