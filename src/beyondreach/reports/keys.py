"""Key handling for the reporting channel, all with libsodium (PyNaCl).

- Sealed boxes (X25519 + XSalsa20-Poly1305) to the channel's public key: anyone may
  encrypt a report, only a holder of the private key can open it.
- Argon2id (libsodium's crypto_pwhash) turns a passphrase or a codename into a key.
- Ed25519 signs proofs of submission (see proof.py).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash
import nacl.secret
from django.conf import settings
from nacl.public import PrivateKey, PublicKey, SealedBox

from beyondreach.core.errors import DecryptionError

SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES


@dataclass(frozen=True)
class Cost:
    """Argon2id work factors; tests lower them through settings, production keeps these."""

    opslimit: int
    memlimit: int


def passphrase_cost() -> Cost:
    return Cost(*settings.REPORTS_PASSPHRASE_COST)


def codename_cost() -> Cost:
    return Cost(*settings.REPORTS_CODENAME_COST)


def stretch(secret: str, salt: bytes, cost: Cost, size: int = 32) -> bytes:
    return bytes(
        nacl.pwhash.argon2id.kdf(
            size, secret.encode(), salt, opslimit=cost.opslimit, memlimit=cost.memlimit
        )
    )


def seal_to(public_key: bytes, plaintext: bytes) -> bytes:
    return bytes(SealedBox(PublicKey(public_key)).encrypt(plaintext))


def open_sealed(private_key: bytes, blob: bytes) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(private_key)).decrypt(bytes(blob)))
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError("A report could not be opened: wrong key or altered data.") from exc


def new_key_pair() -> tuple[bytes, bytes]:
    """(private, public) X25519 key pair."""
    private = PrivateKey.generate()
    return bytes(private), bytes(private.public_key)


def wrap_with(key: bytes, secret: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(key).encrypt(secret))


def unwrap_with(key: bytes, blob: bytes, what: str) -> bytes:
    try:
        return bytes(nacl.secret.SecretBox(key).decrypt(bytes(blob)))
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError(f"The {what} is not right.") from exc


@dataclass(frozen=True)
class CodenameKeys:
    lookup: str  # stored: finds the report
    private_key: bytes  # never stored: opens the replies sealed to the reporter


def codename_keys(codename: str, salt: bytes) -> CodenameKeys:
    """One Argon2id run gives both halves, so every codename attempt costs the same time."""
    material = stretch(normalise_codename(codename), bytes(salt), codename_cost(), size=64)
    lookup = hashlib.blake2b(material[:32], digest_size=32, person=b"tnr-codename").hexdigest()
    return CodenameKeys(lookup=lookup, private_key=material[32:])


def reporter_public_key(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


def normalise_codename(codename: str) -> str:
    """Forgive case and spacing: "Apple  banana" and "apple banana" are the same codename."""
    return " ".join(codename.lower().split())


def recovery_key_new() -> tuple[bytes, str]:
    """A random 32-byte recovery key and the text printed for the admin (base32, grouped)."""
    key = secrets.token_bytes(32)
    text = base64.b32encode(key).decode().rstrip("=")
    return key, "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_key_parse(text: str) -> bytes:
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except ValueError as exc:
        raise DecryptionError("That is not a recovery key.") from exc
    if len(key) != 32:
        raise DecryptionError("That is not a recovery key.")
    return key
