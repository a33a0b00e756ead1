"""The reporter's follow-up session, kept in the reporter's browser and nowhere else.

A server-side session row would carry its creation and expiry time, which would date the
reporter's visit to the second. So the report id and the reporter's key travel in one
cookie, encrypted and authenticated with a key derived from the master key, expiring after
two hours (the expiry time exists only inside the cookie).

Not from SECRET_KEY: that key signs sessions and CSRF tokens, sits in every web process's
environment and is easier to leak; one leaked alongside a seized phone must not open the
reporter's cookie, nor let anyone forge one. The master key lives outside the database and
the environment (docs/security.md). Rotating it ends open reporter sessions: the reporter
types the codename again.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass

import nacl.exceptions
import nacl.secret
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from beyondreach.core import crypto

COOKIE = "tnr_reporter"
PURPOSE = b"reporter-cookie-v2"  # v1 was derived from SECRET_KEY
LIFETIME_SECONDS = 2 * 60 * 60


@dataclass(frozen=True)
class ReporterSession:
    report_id: uuid.UUID
    private_key: bytes
    # Only after a submission, so the receipt page can be reloaded (POST/redirect/GET); the
    # private key beside it opens the same report, so it adds nothing to what a seized
    # cookie gives, and it goes with the cookie.
    codename: str | None = None


def _box() -> nacl.secret.SecretBox:
    return nacl.secret.SecretBox(crypto.derive_subkey(crypto.load_master_key(), PURPOSE))


def reporter_session_set(
    response: HttpResponse,
    report_id: uuid.UUID,
    private_key: bytes,
    *,
    codename: str | None = None,
) -> None:
    fields = {
        "r": str(report_id),
        "k": base64.b64encode(private_key).decode(),
        "e": int(time.time()) + LIFETIME_SECONDS,
    }
    if codename:
        fields["c"] = codename
    payload = json.dumps(fields).encode()
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(_box().encrypt(payload)).decode(),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def reporter_session_get(request: HttpRequest) -> ReporterSession | None:
    text = request.COOKIES.get(COOKIE)
    if not text:
        return None
    try:
        payload = json.loads(_box().decrypt(base64.urlsafe_b64decode(text)))
        if payload["e"] < time.time():
            return None
        return ReporterSession(
            uuid.UUID(payload["r"]), base64.b64decode(payload["k"]), payload.get("c")
        )
    except (nacl.exceptions.CryptoError, ValueError, KeyError, TypeError):
        return None


def reporter_session_end(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Strict")
