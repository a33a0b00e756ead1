"""Alerts: who wants to hear about which incidents, and deadlines that produce reminders.

A subscription belongs either to a user of the organisation (internal: the alert says what
the user's role sees) or to a focal point (external: a host-state authority or an
international body, who gets coded facts only and never a TLP:RED incident). A focal
point's contact details and webhook secret are sealed: a stolen database must not tell an
adversary whom an organisation alerts, nor let it forge our webhooks.
"""

from __future__ import annotations

import uuid

from django.db import models

from beyondreach.cases.models import Incident
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import Sealed


class FocalPoint(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name_sealed = models.BinaryField(default=b"")
    name = Sealed["FocalPoint"]()  # "Asylum unit, Ministry of the Interior"
    email_sealed = models.BinaryField(default=b"")
    email = Sealed["FocalPoint"]()
    webhook_url_sealed = models.BinaryField(default=b"")
    webhook_url = Sealed["FocalPoint"]()
    webhook_secret_sealed = models.BinaryField(default=b"")
    webhook_secret = Sealed["FocalPoint"]()  # shown once, when made; needed to sign
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Subscription(models.Model):
    """A rule: empty lists match anything; a non-empty list matches any of its codes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    focal_point = models.ForeignKey(
        FocalPoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    origin_states = models.JSONField(default=list)  # ISO 3166-1 alpha-2
    host_countries = models.JSONField(default=list)
    tactics = models.JSONField(default=list)  # vocab "tactics"
    target_groups = models.JSONField(default=list)  # vocab "target_groups"
    urgent_only = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, focal_point__isnull=True)
                | models.Q(user__isnull=True, focal_point__isnull=False),
                name="subscription_one_owner",
            )
        ]
        indexes = [models.Index(fields=["organisation", "active"], name="subscription_org")]

    @property
    def external(self) -> bool:
        return self.focal_point_id is not None


class DigestItem(models.Model):
    """An incident waiting for the subscriber's next daily digest (one line per incident)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "incident"], name="digest_item_once")
        ]


class UrgentAlert(models.Model):
    """The urgent reasons a subscriber was last alerted about for an incident: an update that
    brings no new reason goes to the digest instead of alerting again."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    reasons = models.JSONField(default=list)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "incident"], name="urgent_alert_once")
        ]


class DeadlineKind(models.TextChoices):
    HEARING = "hearing", "Hearing"
    APPEAL = "appeal", "Appeal or challenge deadline"
    FOLLOW_UP = "follow_up", "Follow-up"


class Deadline(models.Model):
    """A date on an incident: a hearing, an appeal deadline (a challenge before INTERPOL's
    Commission for the Control of Files, say), a follow-up. The incident's own due date is a
    deadline too, read from the incident (deadlines.py), not copied here."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DeadlineKind.choices)
    due_on = models.DateField()
    # Who is reminded; the incident's assignee when empty.
    assignee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_sealed = models.BinaryField(default=b"")
    note = Sealed["Deadline"]()  # "Appeal to the CCF": it can point to the person
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "done_at", "due_on"], name="deadline_org_due")
        ]
