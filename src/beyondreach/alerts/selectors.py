"""Reads of alerts. A record named in a URL is fetched only through `access_*`: another
organisation's record, or another user's subscription, answers 404; a role that may not
manage focal points or deadlines gets 403."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from beyondreach.alerts.deadlines import Due, deadlines_due
from beyondreach.alerts.models import Deadline, FocalPoint, Subscription
from beyondreach.cases import models as cm
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.models import Role, User

UPCOMING_DAYS = 30


def admin_org_id(user: User) -> int:
    org = member_org_id(user)
    if user.role != Role.ADMIN:
        raise PermissionDeniedError("Only admins manage focal points.")
    return org


def writer_org_id(user: User) -> int:
    org = member_org_id(user)
    if not user.can_write:
        raise PermissionDeniedError("Only admins and case workers follow deadlines.")
    return org


def access_subscription(user: User, subscription_id: str | uuid.UUID) -> Subscription:
    """The user's own subscription, or (admins only) a focal point's."""
    found = (
        Subscription.objects.select_related("focal_point")
        .filter(
            organisation_id=member_org_id(user),
            uuid=parse_record_id(subscription_id, "No such alert."),
        )
        .first()
    )
    if found is None or (found.user_id is not None and found.user_id != user.pk):
        raise NotFoundError("No such alert.")
    if found.focal_point_id is not None and user.role != Role.ADMIN:
        raise PermissionDeniedError("Only admins manage focal points' alerts.")
    return found


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(organisation_id=member_org_id(user), user=user).order_by(
        "created_at", "id"
    )


def access_focal_point(user: User, focal_point_id: str | uuid.UUID) -> FocalPoint:
    # Looked up before the role is checked, so another organisation's focal point answers
    # 404 to everyone, exactly like one that does not exist.
    found = FocalPoint.objects.filter(
        organisation_id=member_org_id(user),
        uuid=parse_record_id(focal_point_id, "No such focal point."),
    ).first()
    if found is None:
        raise NotFoundError("No such focal point.")
    admin_org_id(user)
    return found


def focal_points_of(user: User) -> list[FocalPoint]:
    """The organisation's focal points by name (names are sealed: sorted after opening)."""
    points = FocalPoint.objects.filter(organisation_id=admin_org_id(user)).prefetch_related(
        "subscriptions"
    )
    return sorted(points, key=lambda p: (not p.active, p.name.casefold()))


def access_deadline(user: User, deadline_id: str | uuid.UUID) -> Deadline:
    found = (
        Deadline.objects.select_related("incident")
        .filter(
            organisation_id=writer_org_id(user),
            uuid=parse_record_id(deadline_id, "No such deadline."),
        )
        .first()
    )
    if found is None:
        raise NotFoundError("No such deadline.")
    return found


@dataclass(frozen=True)
class DueRow:
    due: Due
    title: str  # the incident's title ("" when the deadline is not an incident's)
    assignee: str
    incident_uuid: uuid.UUID | None  # the incident whose title is shown


@dataclass(frozen=True)
class DeadlineBoard:
    overdue: list[DueRow]
    upcoming: list[DueRow]


def deadline_board(user: User, *, mine: bool, today: dt.date) -> DeadlineBoard:
    """Overdue deadlines and those of the next 30 days: the user's own, or everyone's."""
    org = writer_org_id(user)
    dues = deadlines_due(org, today + dt.timedelta(days=UPCOMING_DAYS))
    if mine:
        dues = [d for d in dues if d.assignee_id == user.pk]
    incidents = cm.Incident.objects.filter(
        organisation_id=org, pk__in={d.incident_id for d in dues}
    ).in_bulk()
    names = dict(
        User.objects.filter(organisation_id=org, pk__in={d.assignee_id for d in dues}).values_list(
            "pk", "username"
        )
    )
    rows = [
        DueRow(
            due=d,
            title=incidents[d.incident_id].title if d.incident_id in incidents else "",
            assignee=names.get(d.assignee_id or 0, ""),
            incident_uuid=incidents[d.incident_id].uuid if d.incident_id in incidents else None,
        )
        for d in dues
    ]
    return DeadlineBoard(
        overdue=[r for r in rows if r.due.due_on < today],
        upcoming=[r for r in rows if r.due.due_on >= today],
    )
