"""JSON API on an incident's referrals: what the incident page shows of them.

Every role of the organisation sees which body an incident was referred to, when, at what
level and how it stands; the outcome (sealed free text) only for roles that see
identities, as on the page (`referrals/_incident_referrals.html`). The packet sent is never
here: it lives, sealed, in the outbox until delivered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from beyondreach.cases.export import WITHHELD
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import record_viewed
from beyondreach.core.decorators import api_user
from beyondreach.core.models import User
from beyondreach.referrals.models import Referral
from beyondreach.referrals.selectors import referrals_of_incident

router = Router(tags=["referrals"])


class ReferralOut(Schema):
    id: UUID
    body: str  # the protection body's name
    body_kind: str
    level: str
    delivery: str
    status: str
    sent_on: date
    acknowledged_at: datetime | None
    follow_up_on: date | None
    closed: bool
    outcome: str  # "[withheld]" for roles that do not see identities
    outcome_on: date | None


@router.get("/incidents/{incident_id}/referrals", response=list[ReferralOut])
def incident_referrals(request: HttpRequest, incident_id: UUID) -> list[dict[str, Any]]:
    """The incident's referrals to protection bodies, newest first."""
    user = api_user(request)
    incident = access_incident(user, incident_id)
    record_viewed(actor=user, record_type="incident", record=incident)
    return [_referral(r, user) for r in referrals_of_incident(user, incident)]


def _referral(referral: Referral, viewer: User) -> dict[str, Any]:
    return {
        "id": referral.uuid,
        "body": referral.body.name,
        "body_kind": referral.body.kind,
        "level": referral.level,
        "delivery": referral.delivery,
        "status": referral.status,
        "sent_on": referral.sent_on,
        "acknowledged_at": referral.acknowledged_at,
        "follow_up_on": referral.follow_up_on,
        "closed": referral.closed_at is not None,
        "outcome": referral.outcome if viewer.sees_identities else WITHHELD,
        "outcome_on": referral.outcome_on,
    }
