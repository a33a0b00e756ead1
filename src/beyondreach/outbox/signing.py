"""The webhook signature, so a receiver can tell our messages from forgeries and replays.

    X-TNR-Signature: t=<unix time>,v1=<hex HMAC-SHA256>

The HMAC key is the webhook secret exactly as shown to the admin (UTF-8 bytes); the signed
bytes are ``<t>.<idempotency key>.<body>``. The time limits replays to a window; the
idempotency key is signed so a captured message cannot be replayed under a fresh key past
the receiver's duplicate check. docs/alerts.md has a receiver's verification code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-TNR-Signature"
KEY_HEADER = "Idempotency-Key"
EVENT_HEADER = "X-TNR-Event"
TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker that a string is a secret, not a secret


def secret_new() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _mac(secret: str, timestamp: int, key: str, body: bytes) -> str:
    signed = f"{timestamp}.{key}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, key: str, body: bytes) -> str:
    return f"t={timestamp},v1={_mac(secret, timestamp, key, body)}"


def signature_valid(
    secret: str,
    header: str,
    key: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver checks: a well-formed header, a recent time, and a matching MAC."""
    parts = dict(item.partition("=")[::2] for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(parts.get("v1", ""), _mac(secret, timestamp, key, body))
