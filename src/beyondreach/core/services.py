"""Writes on organisations, users and API tokens. Each writes its audit event."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beyondreach.core import crypto
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import ApiToken, Organisation, Role, User
from beyondreach.core.sealed import forget_wrapped_keys


def organisation_create(*, name: str) -> Organisation:
    """A new organisation with its own random data key, wrapped by the master key."""
    if Organisation.objects.filter(name=name).exists():
        raise ApplicationError(f"An organisation named {name!r} exists.", field="name")
    wrapped = crypto.wrap_key(crypto.load_master_key(), crypto.new_key())
    with transaction.atomic():
        org = Organisation.objects.create(name=name, wrapped_data_key=wrapped)
        audit_record(
            organisation=org,
            actor=None,
            action="organisation.create",
            record_type="organisation",
            record_id=org.uuid,
        )
    return org


def user_create(
    *,
    organisation: Organisation,
    username: str,
    password: str,
    role: str,
    actor: User | None = None,
) -> User:
    if role not in Role.values:
        raise ApplicationError(
            f"Unknown role {role!r}; one of {', '.join(Role.values)}.", field="role"
        )
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"The username {username!r} is taken.", field="username")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, organisation=organisation, role=role
        )
        audit_record(
            organisation=organisation,
            actor=actor,
            action="user.create",
            record_type="user",
            record_id=user.uuid,
            detail={"role": role},
        )
    return user


def api_token_create(*, user: User, label: str = "") -> str:
    """Create a token and return it; only its digest is kept, so it is shown once."""
    assert user.organisation is not None
    token = "tnr_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, label=label, digest=hashlib.sha256(token.encode()).hexdigest()
        )
        audit_record(
            organisation=user.organisation,
            actor=user,
            action="api_token.create",
            record_type="api_token",
            record_id=row.uuid,
        )
    return token


def master_key_rotate(*, old_key: bytes, new_key: bytes) -> int:
    """Re-wrap every organisation's data key under a new master key, all or nothing.

    Records stay as they are: they are sealed with the data keys, which do not change.
    """
    with transaction.atomic():
        orgs = list(Organisation.objects.select_for_update().order_by("pk"))
        for org in orgs:
            data_key = crypto.unwrap_key(old_key, bytes(org.wrapped_data_key))
            org.wrapped_data_key = crypto.wrap_key(new_key, data_key)
            org.save(update_fields=["wrapped_data_key"])
            forget_wrapped_keys()  # so the audit write below does not see its old copy as stale
            audit_record(
                organisation=org,
                actor=None,
                action="master_key.rotate",
                record_type="organisation",
                record_id=org.uuid,
            )
    forget_wrapped_keys()
    return len(orgs)


def login_failed(*, user: User, failures_allowed: int, lock_seconds: int) -> None:
    """Count a failed login; lock the account, not an address, after too many."""
    user.failed_logins += 1
    if user.failed_logins >= failures_allowed:
        user.locked_until = timezone.now() + timedelta(seconds=lock_seconds)
        user.failed_logins = 0
    user.save(update_fields=["failed_logins", "locked_until"])
    if user.organisation:
        audit_record(
            organisation=user.organisation,
            actor=user,
            action="login.failed",
            record_type="user",
            record_id=user.uuid,
            detail={"locked": user.locked_until is not None},
        )
