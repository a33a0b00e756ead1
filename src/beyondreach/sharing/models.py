"""Sharing incidents between organisations under agreements (docs/sharing.md).

An `Agreement` is the handshake of two organisations' admins: one proposes, the other accepts,
either ends it. Under an active agreement a case worker gives the partner a `Share` of one
incident at one level. A share is a permission, never a copy: the partner reads the owner's
live record through it, so the owner's later updates reach the partner, and a revoked share
(or an ended agreement) closes the record to the partner on the very next request.
"""

from __future__ import annotations

import uuid

from django.db import models

from beyondreach.core.models import Organisation, User


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Agreement(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The two organisations' UUIDs in sorted order: one live agreement per pair, whichever
    # side proposed, enforced by the database rather than by a check that can race.
    pair = models.CharField(max_length=73)
    status = models.CharField(
        max_length=8, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField()
    accepted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair"],
                condition=~models.Q(status="ended"),
                name="one_live_agreement_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(proposer=models.F("partner")), name="agreement_two_parties"
            ),
        ]

    def other(self, organisation_id: int) -> Organisation:
        """The party that is not `organisation_id`."""
        return self.partner if self.proposer_id == organisation_id else self.proposer


class ShareLevel(models.TextChoices):
    FULL = "full", "Full"
    PSEUDONYMISED = "pseudonymised", "Pseudonymised"
    COUNTED = "counted", "Counted only"


class Share(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="shares")
    incident = models.ForeignKey("cases.Incident", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=13, choices=ShareLevel.choices)
    shared_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField()
    revoked_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "recipient"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_share_per_partner",
            ),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("recipient")), name="share_to_another_org"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "revoked_at"], name="share_recipient_live")]


class ShareReader(models.Model):
    """A named person of the recipient: when a share has any, only they see the record
    (TLP:RED requires them). A share without any is for the whole recipient organisation."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["share", "user"], name="reader_once")]
