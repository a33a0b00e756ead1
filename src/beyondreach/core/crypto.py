"""Encryption at rest with libsodium (PyNaCl).

Design (see docs/security.md):
- A 32-byte *master key* lives outside the database (BEYONDREACH_MASTER_KEY, a file named by
  BEYONDREACH_MASTER_KEY_FILE, or var/master.key in development).
- Each organisation has a random 32-byte *data key*, stored only wrapped (SecretBox,
  XSalsa20-Poly1305) by the master key. Rotating the master key re-wraps data keys; no
  record has to be re-encrypted.
- Values are sealed with XChaCha20-Poly1305 (AEAD) under the data key, with associated data
  naming the record and field, so a ciphertext moved to another row or column is refused.
- Only authenticated encryption: a flipped or cut byte raises DecryptionError, never
  garbage plaintext.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.secret
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
)

from beyondreach.core import legacy
from beyondreach.core.errors import DecryptionError, MasterKeyError

KEY_BYTES = 32
FORMAT_V1 = b"\x01"
NONCE_BYTES = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
TAG_BYTES = 16


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError) as exc:
        raise MasterKeyError("The master key is not valid base64.") from exc
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"The master key must be {KEY_BYTES} bytes, got {len(key)}.")
    return key


def load_master_key() -> bytes:
    """The master key from the environment or its file; never from the database."""
    from django.conf import settings

    if settings.MASTER_KEY:
        return decode_key(settings.MASTER_KEY)
    path = Path(settings.MASTER_KEY_PATH)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise MasterKeyError(
            f"No master key: set BEYONDREACH_MASTER_KEY or create {path} with `beyondreach init`."
        ) from None
    return _read_key_file(str(path), mtime)


@lru_cache(maxsize=4)
def _read_key_file(path: str, mtime_ns: int) -> bytes:
    # Keyed by modification time, so a rotated key file is read again without a restart.
    return decode_key(Path(path).read_text())


def wrap_key(master: bytes, data_key: bytes) -> bytes:
    return bytes(nacl.secret.SecretBox(master).encrypt(data_key))


def unwrap_key(master: bytes, wrapped: bytes) -> bytes:
    try:
        return nacl.secret.SecretBox(master).decrypt(wrapped)
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError(
            "A data key could not be unwrapped: wrong master key or altered key record."
        ) from exc


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, FORMAT_V1 + aad, nonce, key)
    return FORMAT_V1 + nonce + body


def unseal(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[:1] != FORMAT_V1:
        raise DecryptionError("Encrypted value is truncated or of an unknown format.")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return bytes(crypto_aead_xchacha20poly1305_ietf_decrypt(body, FORMAT_V1 + aad, nonce, key))
    except nacl.exceptions.CryptoError as exc:
        raise DecryptionError("Encrypted value failed authentication: it was altered.") from exc


def derive_subkey(key: bytes, purpose: bytes) -> bytes:
    """A key for one purpose (blind index, pseudonyms) that reveals nothing of the data key."""
    return bytes(
        nacl.hash.blake2b(purpose, key=key, digest_size=KEY_BYTES, encoder=nacl.encoding.RawEncoder)
    )


@dataclass(frozen=True)
class OrgKeys:
    data: bytes
    index: bytes
    pseudonym: bytes


@lru_cache(maxsize=256)
def _keys_for(wrapped: bytes, master: bytes) -> OrgKeys:
    data = unwrap_key(master, wrapped)
    return OrgKeys(
        data=data,
        index=derive_subkey(data, legacy.BLIND_INDEX_LABEL),
        pseudonym=derive_subkey(data, legacy.PSEUDONYM_LABEL),
    )


def keys_from_wrapped(wrapped: bytes) -> OrgKeys:
    return _keys_for(bytes(wrapped), load_master_key())
