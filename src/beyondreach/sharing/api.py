"""JSON API on what partners shared with the caller's organisation (mounted under /api/v1/).

Read-only, with the rules of the pages: every record through `access_shared_incident` (404
when not shared with the caller, revoked, or the agreement ended: the answer a made-up id
gets), every read audited in both organisations, and output through
`sharing.export.shared_incident_view` and an explicit schema.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema

from beyondreach.cases.api import PageIn, page_of, projected_schema
from beyondreach.cases.export import PARTNER
from beyondreach.core.decorators import api_user
from beyondreach.sharing.export import shared_incident_view
from beyondreach.sharing.models import Share
from beyondreach.sharing.selectors import (
    access_shared_incident,
    counted_summary_for,
    shared_incident_list_visible_to,
)
from beyondreach.sharing.services import shared_incident_viewed

router = Router(tags=["shared"])


class ShareOut(Schema):
    by: str  # the owner organisation's name
    level: str
    since: datetime
    identities: bool
    withheld_because: str


# What a partner reads: the owner's IncidentOut cut by the PARTNER allow-list, the one that
# builds the partner's view (sharing/export.py), plus how it was shared.
SharedIncidentOut = projected_schema(
    "SharedIncidentOut",
    PARTNER,
    {
        "targets": "SharedTargetOut",
        "organisations": "SharedOrganisationOut",
        "sources": "SharedSourceOut",
    },
    shared=(ShareOut, ...),
)


class SharedSummaryOut(Schema):
    id: UUID
    shared_by: str
    level: str
    start_date: date | None
    start_precision: str
    host_countries: list[str]
    host_reason: str
    origin_states: list[str]
    tactics: list[str]
    verification: str
    tlp: str
    version: int


class CountedOut(Schema):
    organisation: str
    counted: int
    counted_only: int


class SharedPageOut(Schema):
    items: list[SharedSummaryOut]
    page: int
    page_size: int
    has_next: bool
    counted: list[CountedOut]


def _summary(share: Share) -> dict[str, Any]:
    # Coded columns only: a list row opens no sealed field, whatever the level.
    i = share.incident
    return {
        "id": i.uuid,
        "shared_by": share.owner.name,
        "level": share.level,
        "start_date": i.start_date,
        "start_precision": i.start_precision,
        "host_countries": sorted(h.country for h in i.hosts.all()),
        "host_reason": i.host_reason,
        "origin_states": sorted(o.country for o in i.origins.all()),
        "tactics": sorted(t.tactic for t in i.tactics.all()),
        "verification": i.verification,
        "tlp": i.tlp,
        "version": i.version,
    }


@router.get("/shared/incidents", response=SharedPageOut)
def shared_incident_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    """Incidents partners shared with your organisation that you may open, newest first, and
    how many of each partner's incidents count in your statistics."""
    user = api_user(request)
    shares = shared_incident_list_visible_to(user)
    return {
        **page_of(shares, paging, lambda rows: [_summary(s) for s in rows]),
        "counted": [asdict(c) for c in counted_summary_for(user)],
    }


@router.get("/shared/incidents/{incident_id}", response=SharedIncidentOut)
def shared_incident_detail(request: HttpRequest, incident_id: UUID) -> dict[str, Any]:
    """One shared incident, read-only, as its owner keeps it now."""
    user = api_user(request)
    shared = access_shared_incident(user, incident_id)
    shared_incident_viewed(actor=user, shared=shared, via="api")
    return shared_incident_view(shared)
