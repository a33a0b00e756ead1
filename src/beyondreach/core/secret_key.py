"""Django's SECRET_KEY: made by `beyondreach init`, required by everything that serves or works.

There is no built-in fallback. A constant in the source is public, and anything signed with
it (sessions, CSRF tokens, password-reset links) could be forged by anyone who reads the code.
Settings leave SECRET_KEY empty when none is configured; `require_secret_key` is what the web
server, the WSGI entry point and the background worker call before they start, and a system
check (core/apps.py) makes every management command that runs checks, `db_worker` included,
refuse the same way.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from beyondreach.core.errors import ApplicationError
from beyondreach.core.owner_only import owner_only_create

MIN_LENGTH = 32
HOW_TO_SET = (
    "set BEYONDREACH_SECRET_KEY (or BEYONDREACH_SECRET_KEY_FILE) to 50 or more random characters, "
    "or run `beyondreach init` to create {path}"
)


class MissingSecretKeyError(ApplicationError):
    pass


def secret_key_path() -> Path:
    return Path(settings.VAR_DIR) / "secret.key"


def secret_key_problem() -> str | None:
    """Why the configured SECRET_KEY cannot be used, or None when it can."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    how = HOW_TO_SET.format(path=secret_key_path())
    if not key:
        return f"No secret key: {how}."
    if key.startswith("django-insecure-") or len(key) < MIN_LENGTH:
        return f"The secret key is a placeholder or shorter than {MIN_LENGTH} characters: {how}."
    return None


def require_secret_key() -> None:
    """Raise MissingSecretKeyError, saying what to set, unless a real secret key is set."""
    problem = secret_key_problem()
    if problem:
        raise MissingSecretKeyError(problem)


def secret_key_check(**kwargs: object) -> list[CheckMessage]:
    problem = secret_key_problem()
    return [Error(problem, id="beyondreach.E001")] if problem else []


def secret_key_create() -> Path | None:
    """Write a new secret key file readable by its owner only; None if one exists already."""
    path = secret_key_path()
    return path if owner_only_create(path, secrets.token_urlsafe(50) + "\n") else None
