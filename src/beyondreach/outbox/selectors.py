"""Reads of the outbox: admins only, their own organisation's messages only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.models import Role, User
from beyondreach.core.sealed import org_keys
from beyondreach.outbox.channels import envelope_load, recipient
from beyondreach.outbox.models import Message, Status

PAGE_SIZE = 100
ERASED = "(erased after delivery)"


def _admin_org(user: User) -> int:
    if not user.is_authenticated or user.organisation_id is None:
        raise NotFoundError("Not found.")
    if user.role != Role.ADMIN:
        raise PermissionDeniedError("Only admins see deliveries.")
    return user.organisation_id


def access_message(user: User, message_id: str | uuid.UUID) -> Message:
    org = _admin_org(user)
    wanted = parse_record_id(message_id, "No such delivery.")
    message = Message.objects.filter(organisation_id=org, uuid=wanted).first()
    if message is None:
        raise NotFoundError("No such delivery.")
    return message


@dataclass(frozen=True)
class Delivery:
    message: Message
    recipient: str


def deliveries(user: User, status: str = "") -> list[Delivery]:
    """The latest deliveries of the organisation, newest first, with their recipient."""
    org = _admin_org(user)
    org_keys(org)  # one key lookup for the page, not one per row
    rows: QuerySet[Message] = Message.objects.filter(organisation_id=org)
    if status:
        rows = rows.filter(status=status)
    return [
        Delivery(m, recipient(envelope_load(m.envelope)) if m.envelope else ERASED)
        for m in rows.order_by("-created_at", "-id")[:PAGE_SIZE]
    ]


def delivery_counts(user: User) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for row in (
        Message.objects.filter(organisation_id=_admin_org(user))
        .values("status")
        .annotate(n=Count("id"))
    ):
        counts[row["status"]] = row["n"]
    return counts
