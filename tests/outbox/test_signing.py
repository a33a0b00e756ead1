"""The webhook signature as a receiver checks it (docs/alerts.md shows the same check)."""

from __future__ import annotations

import hashlib
import hmac
import time

from beyondreach.outbox.signing import secret_new, signature_header, signature_valid

BODY = b'{"event":"incident.urgent"}'


def test_a_receiver_recomputes_the_documented_hmac() -> None:
    header = signature_header("whsec_s", 1700000000, "key-1", BODY)
    expected = hmac.new(b"whsec_s", b"1700000000.key-1." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_genuine_signature_is_valid() -> None:
    now = int(time.time())
    assert signature_valid("whsec_s", signature_header("whsec_s", now, "k", BODY), "k", BODY)


def test_it_rejects_another_body_key_secret_or_an_old_time() -> None:
    now = int(time.time())
    header = signature_header("whsec_s", now, "k", BODY)
    assert not signature_valid("whsec_s", header, "k", BODY + b" ")
    assert not signature_valid("whsec_s", header, "another-key", BODY)
    assert not signature_valid("whsec_other", header, "k", BODY)
    old = signature_header("whsec_s", now - 301, "k", BODY)
    assert not signature_valid("whsec_s", old, "k", BODY)
    assert signature_valid("whsec_s", old, "k", BODY, now=now - 290)


def test_it_rejects_malformed_headers() -> None:
    for header in ("", "t=abc,v1=00", "v1=00", "t=1700000000", "garbage"):
        assert not signature_valid("whsec_s", header, "k", BODY, now=1700000000)


def test_secrets_are_random_and_long() -> None:
    a, b = secret_new(), secret_new()
    assert a != b and a.startswith("whsec_") and len(a) >= 48
