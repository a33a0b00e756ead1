"""Organisations, users and roles, API tokens, and the hash-chained audit log."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from beyondreach.core.crypto import OrgKeys, keys_from_wrapped


class Organisation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    # The organisation's data key, wrapped by the master key (never stored in the clear).
    wrapped_data_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def keys(self) -> OrgKeys:
        return keys_from_wrapped(bytes(self.wrapped_data_key))


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    CASE_WORKER = "case_worker", "Case worker"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer"


# Roles that see names, contacts and narratives; the others see pseudonymised records.
ROLES_SEEING_IDENTITIES = frozenset({Role.ADMIN, Role.CASE_WORKER})
# Roles that may create and change records.
ROLES_WRITING = frozenset({Role.ADMIN, Role.CASE_WORKER})
# Roles for which two-factor authentication is mandatory.
ROLES_REQUIRING_2FA = frozenset({Role.ADMIN, Role.CASE_WORKER})


class User(AbstractUser):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    # Lockout is by account, never by IP address: every Tor user shares one address.
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    @property
    def sees_identities(self) -> bool:
        return self.role in ROLES_SEEING_IDENTITIES

    @property
    def can_write(self) -> bool:
        return self.role in ROLES_WRITING

    @property
    def needs_2fa(self) -> bool:
        return self.role in ROLES_REQUIRING_2FA


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class AuditEvent(models.Model):
    """One append-only, hash-chained entry per organisation.

    hash = SHA-256(prev_hash || canonical JSON of the other fields). Database triggers
    (migration 0002) refuse UPDATE and DELETE; `beyondreach verify-audit` recomputes the chain.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField(max_length=40)
    record_type = models.CharField(max_length=40)
    record_id = models.UUIDField(null=True, blank=True)
    detail = models.JSONField(default=dict)  # coded facts only: field names, never values
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="audit_seq_per_org")
        ]
        indexes = [models.Index(fields=["record_type", "record_id"])]
