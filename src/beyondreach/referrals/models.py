"""Referrals: an incident handed to a protection body (a relocation programme, a UN special
procedure, a police focal point), and what became of it.

A body's name and contact address are sealed: a stolen database must not tell an adversary
which authorities an organisation turns to. Its public key is public by nature. A referral
keeps only the SHA-256 of its secure link's token, never the token: whoever reads the
database cannot open the link. The outcome is sealed: it can say where a person is moved.
"""

from __future__ import annotations

import uuid

from django.db import models

from beyondreach.cases.models import Incident
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import Sealed


class BodyKind(models.TextChoices):
    RELOCATION = "relocation", "Relocation programme"
    UN_PROCEDURE = "un_procedure", "UN special procedure"
    POLICE = "police", "Police focal point"
    OTHER = "other", "Other authority"


class ProtectionBody(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=14, choices=BodyKind.choices)
    name_sealed = models.BinaryField(default=b"")
    name = Sealed["ProtectionBody"]()
    email_sealed = models.BinaryField(default=b"")
    email = Sealed["ProtectionBody"]()
    # X25519, base64 (44 characters): with it, packets go sealed to the body, not by link.
    public_key = models.CharField(max_length=64, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Level(models.TextChoices):
    IDENTITIES = "identities", "With identities"
    PSEUDONYMISED = "pseudonymised", "Pseudonymised"


class Delivery(models.TextChoices):
    SEALED = "sealed", "Encrypted to the body's key"
    LINK = "link", "Secure link"


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    OUTCOME = "outcome", "Outcome recorded"


class Referral(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(ProtectionBody, on_delete=models.PROTECT, related_name="referrals")
    level = models.CharField(max_length=14, choices=Level.choices)
    delivery = models.CharField(max_length=6, choices=Delivery.choices)
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # Who is reminded of the follow-up date: the sender unless changed.
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome_sealed = models.BinaryField(default=b"")
    outcome = Sealed["Referral"]()
    outcome_on = models.DateField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # no more follow-up reminders
    # SHA-256 (hex) of the link's token; the token itself is only in the sealed mail.
    link_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    link_revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "closed_at", "follow_up_on"], name="referral_follow_up"
            ),
            models.Index(fields=["incident", "-sent_at"], name="referral_incident"),
        ]
