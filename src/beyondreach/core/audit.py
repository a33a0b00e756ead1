"""Append to and verify the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from beyondreach.core.models import AuditEvent, Organisation, User
from beyondreach.core.sealed import lock_current_key

GENESIS = "0" * 64


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "organisation": str(event.organisation_id),
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": str(event.actor_id) if event.actor_id else None,
        "action": event.action,
        "record_type": event.record_type,
        "record_id": str(event.record_id) if event.record_id else None,
        "detail": event.detail,
    }


def audit_record(
    *,
    organisation: Organisation,
    actor: User | None,
    action: str,
    record_type: str,
    record_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the organisation's chain, inside the caller's transaction.

    The organisation row is locked so two writers cannot both extend the same link. The
    lock also orders the write with a rotation of the organisation's data key, which holds
    it: a write that sealed values with the key it replaced is refused, not committed.
    """
    return audit_record_many(
        organisation=organisation,
        actor=actor,
        action=action,
        record_type=record_type,
        records=[(record_id, detail)],
    )[0]


def audit_record_many(
    *,
    organisation: Organisation,
    actor: User | None,
    action: str,
    record_type: str,
    records: Sequence[tuple[uuid.UUID | None, dict[str, Any] | None]],
) -> list[AuditEvent]:
    """Append one event per record (its id and detail), in order, as many calls of
    audit_record would, under one lock and in one insert: an import's batch of incidents."""
    with transaction.atomic():
        lock_current_key(organisation.pk)
        last = (
            AuditEvent.objects.filter(organisation=organisation)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        events = []
        for record_id, detail in records:
            event = AuditEvent(
                organisation=organisation,
                seq=seq,
                at=timezone.now(),
                actor=actor,
                action=action,
                record_type=record_type,
                record_id=record_id,
                detail=detail or {},
                prev_hash=prev,
            )
            event.hash = prev = _digest(prev, _fields(event))
            events.append(event)
            seq += 1
        AuditEvent.objects.bulk_create(events)
        return events


@dataclass(frozen=True)
class BrokenLink:
    organisation: str
    seq: int
    reason: str


def audit_verify() -> list[BrokenLink]:
    """Recompute every organisation's chain; return the first broken link of each."""
    broken: list[BrokenLink] = []
    for org in Organisation.objects.order_by("pk"):
        link = _verify_chain(org)
        if link:
            broken.append(link)
    return broken


def _verify_chain(org: Organisation) -> BrokenLink | None:
    prev, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.filter(organisation=org).order_by("seq").iterator():
        # JSON round-trips through the database, so recompute from what was stored.
        if event.seq != expected_seq:
            return BrokenLink(org.name, expected_seq, "an event is missing")
        if event.prev_hash != prev:
            return BrokenLink(org.name, event.seq, "prev_hash does not match the previous event")
        if _digest(prev, _fields(event)) != event.hash:
            return BrokenLink(org.name, event.seq, "the event was altered")
        prev, expected_seq = event.hash, expected_seq + 1
    return None
