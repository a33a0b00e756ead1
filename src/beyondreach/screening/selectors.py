"""Reads of screening matches. A match is fetched only through `access_screening_match`:
another organisation's match answers 404 to everyone, and a role that does not see
identities (analyst, viewer) gets 403, since a match names the person it is about."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.models import User
from beyondreach.screening.models import MatchStatus, ScreeningMatch


def identities_org_id(user: User) -> int:
    org = member_org_id(user)
    if not user.sees_identities:
        raise PermissionDeniedError("Only admins and case workers see screening matches.")
    return org


def access_screening_match(user: User, match_id: str | uuid.UUID) -> ScreeningMatch:
    found = (
        ScreeningMatch.objects.select_related("person")
        .filter(
            organisation_id=member_org_id(user), uuid=parse_record_id(match_id, "No such match.")
        )
        .first()
    )
    if found is None:
        raise NotFoundError("No such match.")
    identities_org_id(user)
    return found


def screening_matches_open(user: User) -> QuerySet[ScreeningMatch]:
    """The organisation's matches waiting for a decision, best first."""
    return (
        ScreeningMatch.objects.filter(
            organisation_id=identities_org_id(user), status=MatchStatus.OPEN
        )
        .select_related("person")
        .prefetch_related("person__names")
        .order_by("-score", "-created_at", "id")
    )
