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

from beyondreach.cases.api import ActorOut, GroupOut, MechanismOut, PageIn, ResponseOut, page_of
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


class SharedTargetOut(Schema):
    pseudonym: str
    name: str
    role: str
    target_group: str
    relation: str
    member_of: int | None


class SharedOrganisationOut(Schema):
    name: str
    kind: str
    country: str


class SharedSourceOut(Schema):
    kind: str
    reference: str
    publisher: str
    published_on: date | None
    reliability: str
    independent: bool


class ShareOut(Schema):
    by: str  # the owner organisation's name
    level: str
    since: datetime
    identities: bool
    withheld_because: str


class SharedIncidentOut(Schema):
    id: UUID
    shared: ShareOut
    title: str
    narrative: str
    start_date: date | None
    start_precision: str
    end_date: date | None
    end_precision: str
    ongoing: bool
    origin_states: list[str]
    host_countries: list[str]
    host_reason: str
    place: str
    coordinates: str
    tactics: list[str]
    targets: list[SharedTargetOut]
    groups: list[GroupOut]
    organisations: list[SharedOrganisationOut]
    target_count: int
    actors: list[ActorOut]
    legal_mechanisms: list[MechanismOut]
    sources: list[SharedSourceOut]
    verification: str
    verification_overridden: bool
    verification_reason: str
    # The owner's judgement of scope, so pooled counts can leave out what the owner did not
    # count; its reason stays with the owner, like its other internal notes.
    scope: str
    scope_criteria: list[str]
    tlp: str
    status: str
    due_date: date | None
    responses: list[ResponseOut]
    version: int


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
