"""Reads of referrals. A record named in a URL is fetched only through `access_*`: another
organisation's record answers 404 (the same as a made-up id); a role that may not manage
bodies gets 403."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import QuerySet

from beyondreach.alerts.deadlines import Due
from beyondreach.cases import models as cm
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.models import Role, User
from beyondreach.referrals.models import ProtectionBody, Referral


def admin_org_id(user: User) -> int:
    org = member_org_id(user)
    if user.role != Role.ADMIN:
        raise PermissionDeniedError("Only admins manage protection bodies.")
    return org


def protection_bodies_of(user: User) -> list[ProtectionBody]:
    """Every body of the admin's organisation, by name (sealed, so sorted here)."""
    rows = ProtectionBody.objects.filter(organisation_id=admin_org_id(user))
    return sorted(rows, key=lambda b: (not b.active, b.name.lower()))


def active_bodies_for(user: User) -> list[ProtectionBody]:
    """The bodies a case worker may refer to."""
    rows = ProtectionBody.objects.filter(organisation_id=member_org_id(user), active=True)
    return sorted(rows, key=lambda b: b.name.lower())


def access_protection_body(user: User, body_id: str | uuid.UUID) -> ProtectionBody:
    found = ProtectionBody.objects.filter(
        organisation_id=member_org_id(user),
        uuid=parse_record_id(body_id, "No such protection body."),
    ).first()
    if found is None:
        raise NotFoundError("No such protection body.")
    admin_org_id(user)
    return found


def access_referral(user: User, referral_id: str | uuid.UUID) -> Referral:
    """Any member of the organisation may open it; what they see depends on the role."""
    found = (
        Referral.objects.select_related("incident", "body", "organisation", "sent_by")
        .filter(
            organisation_id=member_org_id(user),
            uuid=parse_record_id(referral_id, "No such referral."),
        )
        .first()
    )
    if found is None:
        raise NotFoundError("No such referral.")
    return found


def referrals_of_incident(user: User, incident: cm.Incident) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(organisation_id=member_org_id(user), incident=incident)
        .select_related("body")
        .order_by("-sent_at", "-id")
    )


def referral_follow_ups(organisation_id: int, until: dt.date) -> Iterable[Due]:
    """The deadline source registered with alerts: open referrals' follow-up dates."""
    rows = (
        Referral.objects.filter(
            organisation_id=organisation_id, closed_at=None, follow_up_on__lte=until
        )
        .exclude(incident__status=cm.CaseStatus.CLOSED)
        .only("uuid", "follow_up_on", "assignee_id", "incident_id")
    )
    for r in rows:
        assert r.follow_up_on is not None  # filtered on it
        yield Due(
            ref=f"referral:{r.uuid}",
            kind="follow_up",
            label="Referral follow-up",  # coded words only: it goes into mail subjects
            due_on=r.follow_up_on,
            organisation_id=organisation_id,
            assignee_id=r.assignee_id,
            subject_type="referral",
            subject_uuid=r.uuid,
            path=f"/referrals/{r.uuid}/",
            incident_id=r.incident_id,
        )
