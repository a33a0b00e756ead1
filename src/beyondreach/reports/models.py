"""The safe reporting channel: anonymous reports from targets, encrypted on receipt.

What the server keeps, and why it cannot read it (docs/reporting.md has the whole design):

- A channel holds the organisation's report *public* key (X25519). Reports, messages from
  reporters and files are sealed to it (libsodium sealed boxes) the moment they arrive.
- The matching private key is stored only wrapped: once per member, sealed to the member's
  own key pair, whose private half is wrapped by a key derived (Argon2id) from the member's
  reporting passphrase; and once under a recovery key shown a single time to the admin.
- A reporter is known only by a codename. Argon2id of the codename yields both a lookup
  value (stored, hashed once more) and the reporter's own key pair, to which the case
  workers' replies are sealed. Nothing else about the reporter is stored: no address, no
  user agent, and the day of receipt rather than the time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from beyondreach.core.models import Organisation


class ReportingChannel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="reporting_channel"
    )
    slug = models.SlugField(max_length=60, unique=True)  # the public address: /r/<slug>/
    public_key = models.BinaryField()  # X25519, reports are sealed to it
    # Ed25519 key that signs proofs of submission: the server must sign without any member
    # present, so its seed is sealed with the organisation's data key, not a passphrase.
    verify_key = models.BinaryField()
    signing_key_sealed = models.BinaryField()
    codename_salt = models.BinaryField()  # Argon2id salt for this channel's codenames
    retention_days = models.PositiveIntegerField(default=180)
    daily_limit = models.PositiveIntegerField(default=500)
    created_at = models.DateTimeField(auto_now_add=True)


class MemberKey(models.Model):
    """A member's own key pair for reports; the private half wrapped by their passphrase."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_key"
    )
    public_key = models.BinaryField()
    salt = models.BinaryField()
    opslimit = models.PositiveIntegerField()
    memlimit = models.PositiveBigIntegerField()
    private_key_wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class KeyGrant(models.Model):
    """The channel's private key sealed to one member's key, or (no member) the recovery key."""

    channel = models.ForeignKey(ReportingChannel, on_delete=models.CASCADE, related_name="grants")
    member_key = models.ForeignKey(
        MemberKey, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    private_key_sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "member_key"], name="grant_once"),
            models.UniqueConstraint(
                fields=["channel"],
                condition=models.Q(member_key__isnull=True),
                name="one_recovery_grant",
            ),
        ]


class ReportStatus(models.TextChoices):
    NEW = "new", "New"
    GENUINE = "genuine", "Genuine"
    SPAM = "spam", "Spam"
    DUPLICATE = "duplicate", "Duplicate"
    INCIDENT = "incident", "Became an incident"


class Report(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(ReportingChannel, on_delete=models.PROTECT, related_name="reports")
    received_on = models.DateField()  # the day only: a time could identify the reporter
    language = models.CharField(max_length=8)
    content_sealed = models.BinaryField()  # JSON answers, sealed to the channel's public key
    content_sha256 = models.CharField(max_length=64)  # what the proof of submission signs
    codename_lookup = models.CharField(max_length=64, unique=True)
    reporter_public_key = models.BinaryField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default="new")
    incident = models.ForeignKey(
        "cases.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    last_activity_on = models.DateField()  # retention counts from here
    # One submission of the form (services.report_submit): a keyed hash of the form's one-off
    # token and the answers, and the codename sealed under a key from that token, so that a
    # double click or a reload returns the first receipt instead of a second report. Without
    # the token, which is never stored, both are noise; the codename is erased once shown.
    # NULL, not "": reports from before this field have none, and NULLs never collide.
    submission_lookup = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    submission_codename_sealed = models.BinaryField(null=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status", "received_on"])]


class ReportFile(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    # Name, type and hash, sealed together; then the original and the metadata-free copy.
    manifest_sealed = models.BinaryField()
    original_sealed = models.BinaryField()
    clean_sealed = models.BinaryField()
    added_on = models.DateField()

    class Meta:
        ordering = ["id"]


class Author(models.TextChoices):
    REPORTER = "reporter", "Reporter"
    ORGANISATION = "organisation", "Organisation"


class ReportMessage(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=12, choices=Author.choices)
    # Sealed twice: to the channel (the case workers read it) and to the reporter's key
    # (the reporter reads it with the codename).
    for_organisation = models.BinaryField()
    for_reporter = models.BinaryField()
    sent_on = models.DateField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
