"""The outbox: every message that leaves Beyond Reach is a row here before it is sent.

A row is written in the same transaction as whatever caused it, so a message is never lost
to a crash between "decided to send" and "sent"; the worker sends it later, at least once.
What it says and where it goes (the envelope: address or URL, subject, body, webhook
secret) is sealed with the organisation's data key; the columns in the clear are coded
facts only (channel, kind, status, counts and times, a coded error).
"""

from __future__ import annotations

import uuid

from django.db import models

from beyondreach.core.models import Organisation
from beyondreach.core.sealed import Sealed


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Sent with the message (Idempotency-Key header, Message-ID): the receiver drops a
    # message whose key it has seen. Unique, so enqueueing the same message twice is a no-op.
    key = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=40)  # alert.urgent, alert.digest, reminder...
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # When the message is next due. A worker that claims it pushes this forward by the
    # lease, so a worker that dies mid-send leaves the message due again after the lease.
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Coded ("HTTP 503", "SMTP 451", "timeout"): never an exception text, which can hold
    # an address or a recipient's name.
    last_error = models.CharField(max_length=80, blank=True)
    envelope_sealed = models.BinaryField(default=b"")
    envelope = Sealed["Message"]()  # JSON, see outbox/channels

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["organisation", "status", "-created_at"], name="outbox_org_list"),
        ]
