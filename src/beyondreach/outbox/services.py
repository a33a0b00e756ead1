"""Queue messages and deliver them: at least once, with retries and exponential backoff.

Delivery claims a batch of due messages by pushing their due time forward by a lease, in
one short transaction, then sends them one by one, recording each outcome at once. A worker
killed mid-send leaves its claimed messages due again when the lease ends, so another run
sends them: a message can arrive twice, never zero times, and the receiver drops the second
copy by its idempotency key. docs/alerts.md explains the guarantees.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError, DecryptionError
from beyondreach.core.models import Organisation, Role, User
from beyondreach.core.sealed import lock_current_key
from beyondreach.outbox.channels import (
    DeliveryError,
    Email,
    Envelope,
    envelope_dump,
    envelope_load,
)
from beyondreach.outbox.channels.email import Mailer
from beyondreach.outbox.channels.webhook import send_webhook
from beyondreach.outbox.models import Message, Status

logger = logging.getLogger(__name__)


# Idempotency keys are UUIDs derived from what the message is about, so that queuing a
# message for the same event twice (a retried task, a matched version seen again) queues one.
KEY_NAMESPACE = uuid.UUID("5c3f1f7e-2a52-4d55-9a43-0f6f7a1e8b21")


def message_key(*parts: object) -> str:
    return str(uuid.uuid5(KEY_NAMESPACE, ":".join(str(p) for p in parts)))


def site_link(path: str) -> str:
    """An absolute link for a message: SITE_URL and a path of the staff site."""
    return settings.SITE_URL.rstrip("/") + path


def outbox_enqueue(
    *, organisation: Organisation, key: str, kind: str, envelope: Envelope
) -> Message | None:
    """Queue a message in the caller's transaction; the worker is woken once it commits.

    Returns None when a message with this idempotency key is already queued or sent, so a
    caller that runs twice for the same event queues it once.
    """
    if Message.objects.filter(key=key).exists():
        return None
    message = Message(
        organisation=organisation,
        key=key,
        channel=envelope.channel,
        kind=kind,
        next_attempt_at=timezone.now(),
    )
    message.envelope = envelope_dump(envelope)
    try:
        with transaction.atomic():
            lock_current_key(organisation.pk)  # the envelope was sealed with a current key
            message.save(force_insert=True)
    except IntegrityError:  # the same key queued by a concurrent caller since the check
        return None
    transaction.on_commit(_wake_worker)
    return message


def _wake_worker() -> None:
    from beyondreach.outbox.tasks import schedule_delivery

    schedule_delivery()


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the n-th failed attempt: base, 2 x base, 4 x base... up to the cap."""
    base, cap = settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_CAP_SECONDS
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retrying + self.failed


class _Senders:
    def __init__(self) -> None:
        self.mailer = Mailer()

    def send(self, envelope: Envelope, key: str) -> None:
        if isinstance(envelope, Email):
            self.mailer.send(envelope, key)
        else:
            send_webhook(envelope, key)


def _batch_size() -> int:
    # Every message of a batch must be sent before its lease ends, even if each send runs
    # into its timeout; else another worker would send it again while this one still waits.
    lease, timeout = settings.OUTBOX_LEASE_SECONDS, settings.OUTBOX_SEND_TIMEOUT
    return max(1, min(50, lease // (2 * max(1, timeout))))


def outbox_deliver_due(*, limit: int | None = None) -> DeliveryRun:
    """Send every message that is due (up to `limit`); the worker's delivery job."""
    run, senders = DeliveryRun(), _Senders()
    try:
        while limit is None or run.total < limit:
            size = _batch_size() if limit is None else min(_batch_size(), limit - run.total)
            batch = _claim(size)
            if not batch:
                break
            for message in batch:
                _deliver(message, senders, run)
    finally:
        senders.mailer.close()
    return run


@contextmanager
def _bookkeeping() -> Iterator[None]:
    """A transaction for the outbox's own records (claims, outcomes). On PostgreSQL it
    commits without waiting for the disk: a record lost to a database crash only means a
    message is sent again, which its idempotency key absorbs; waiting for an fsync per
    message would cap delivery at the disk's sync rate."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _claim(size: int) -> list[Message]:
    now = timezone.now()
    until = now + dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with _bookkeeping():
        # SKIP LOCKED lets several workers claim side by side on PostgreSQL; SQLite takes
        # the write lock when the transaction begins (transaction_mode IMMEDIATE).
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:size]
        )
        if ids:
            Message.objects.filter(id__in=ids).update(
                next_attempt_at=until, attempts=F("attempts") + 1
            )
    return list(Message.objects.filter(id__in=ids).order_by("id")) if ids else []


def _deliver(message: Message, senders: _Senders, run: DeliveryRun) -> None:
    try:
        senders.send(envelope_load(message.envelope), message.key)
    except DeliveryError as exc:
        _failed(message, exc, run)
    except DecryptionError:
        _failed(message, DeliveryError("cannot decrypt", permanent=True), run)
    except Exception as exc:  # a bug must not stop the other messages; it is retried
        logger.exception("outbox: message %s: unexpected error", message.uuid)
        _failed(message, DeliveryError(f"internal error {type(exc).__name__}"), run)
    else:
        with _bookkeeping():
            Message.objects.filter(pk=message.pk, status=Status.PENDING).update(
                status=Status.SENT, sent_at=timezone.now(), last_error=""
            )
        run.sent += 1
        logger.info("outbox: message %s sent (attempt %d)", message.uuid, message.attempts)


def _failed(message: Message, exc: DeliveryError, run: DeliveryRun) -> None:
    pending = Message.objects.filter(pk=message.pk, status=Status.PENDING)
    if exc.permanent or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        with _bookkeeping():
            pending.update(status=Status.FAILED, last_error=exc.code)
        run.failed += 1
        logger.warning("outbox: message %s failed for good: %s", message.uuid, exc.code)
        return
    retry_at = timezone.now() + backoff(message.attempts)
    with _bookkeeping():
        pending.update(next_attempt_at=retry_at, last_error=exc.code)
    run.retrying += 1
    logger.info("outbox: message %s: %s; retry at %s", message.uuid, exc.code, retry_at)


def outbox_retry(*, actor: User, message: Message) -> Message:
    """An admin sends a failed message again, with a fresh count of attempts."""
    if actor.role != Role.ADMIN or actor.organisation_id != message.organisation_id:
        raise ApplicationError("Only an admin of the organisation can retry a delivery.")
    if message.status != Status.FAILED:
        raise ApplicationError("Only a failed delivery can be retried.")
    if not message.envelope:
        raise ApplicationError("This delivery's content was erased: it cannot be sent again.")
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        audit_record(
            organisation=message.organisation,
            actor=actor,
            action="outbox.retry",
            record_type="outbox_message",
            record_id=message.uuid,
            detail={"kind": message.kind, "channel": message.channel},
        )
        transaction.on_commit(_wake_worker)
    message.refresh_from_db()
    return message


def next_due_at() -> dt.datetime | None:
    return (
        Message.objects.filter(status=Status.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def outbox_prune(*, now: dt.datetime | None = None) -> int:
    """Erase the content of messages sent or failed more than OUTBOX_KEEP_DAYS ago: a
    delivered alert is of no use in the database, and its sealed copy is one more thing to
    steal. The row stays, without its envelope, so its idempotency key still stops the same
    message (an overdue reminder, say) from being queued again."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    return (
        Message.objects.filter(status__in=[Status.SENT, Status.FAILED], created_at__lt=cutoff)
        .exclude(envelope_sealed=b"")
        .update(envelope_sealed=b"")
    )
