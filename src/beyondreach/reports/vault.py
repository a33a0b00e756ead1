"""Secrets held for one browser session only, split between the server and the browser.

An unlocked report key (a member's) or a reporter's codename key must last a few page
views, yet must never sit readable on the server: the session row holds the secret
encrypted, the key to it lives only in a cookie of that browser. A stolen database (or
session table) without the browser's cookie opens nothing; logging out deletes the row.
"""

from __future__ import annotations

import base64
import secrets

import nacl.exceptions
import nacl.secret
from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "tnr_vault"
_PREFIX = "vault:"


def _cookie_key(request: HttpRequest) -> bytes | None:
    text = request.COOKIES.get(COOKIE, "")
    try:
        key = base64.urlsafe_b64decode(text)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def vault_put(request: HttpRequest, response: HttpResponse, name: str, secret: bytes) -> None:
    key = _cookie_key(request) or secrets.token_bytes(32)
    box = nacl.secret.SecretBox(key)
    request.session[_PREFIX + name] = base64.b64encode(box.encrypt(secret)).decode()
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(key).decode(),
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/",
    )
    request.COOKIES[COOKIE] = base64.urlsafe_b64encode(key).decode()


def vault_get(request: HttpRequest, name: str) -> bytes | None:
    sealed = request.session.get(_PREFIX + name)
    key = _cookie_key(request)
    if not sealed or key is None:
        return None
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(base64.b64decode(sealed)))
    except (nacl.exceptions.CryptoError, ValueError):
        return None


def vault_drop(request: HttpRequest, name: str) -> None:
    request.session.pop(_PREFIX + name, None)
