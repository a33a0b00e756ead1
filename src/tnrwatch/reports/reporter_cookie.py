"""The reporter's follow-up session, kept in the reporter's browser and nowhere else.

A server-side session row would carry its creation and expiry time, which would date the
reporter's visit to the second. So the report id and the reporter's key travel in one
cookie, encrypted and authenticated with a key derived from SECRET_KEY, expiring after two
hours (the expiry time exists only inside the cookie).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass

import nacl.exceptions
import nacl.secret
from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "tnr_reporter"
LIFETIME_SECONDS = 2 * 60 * 60


@dataclass(frozen=True)
class ReporterSession:
    report_id: uuid.UUID
    private_key: bytes


def _box() -> nacl.secret.SecretBox:
    key = hashlib.blake2b(
        settings.SECRET_KEY.encode(), digest_size=32, person=b"tnr-reporter"
    ).digest()
    return nacl.secret.SecretBox(key)


def reporter_session_set(response: HttpResponse, report_id: uuid.UUID, private_key: bytes) -> None:
    payload = json.dumps(
        {
            "r": str(report_id),
            "k": base64.b64encode(private_key).decode(),
            "e": int(time.time()) + LIFETIME_SECONDS,
        }
    ).encode()
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
        return ReporterSession(uuid.UUID(payload["r"]), base64.b64decode(payload["k"]))
    except (nacl.exceptions.CryptoError, ValueError, KeyError, TypeError):
        return None


def reporter_session_end(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Strict")
