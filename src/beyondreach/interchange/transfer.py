"""The `beyondreach` transfer file's encryption, and the receiving organisation's keys.

Design (docs/interchange.md, "beyondreach"):
- The receiving organisation's admin makes a transfer key pair (X25519) here or with
  `beyondreach transfer-key`, and gives the public key to the sender. The private key is
  sealed with the organisation's data key (`TransferKey.private_key`), so only the receiving
  server opens what is sent to it, and a data key rotation re-seals it with the rest.
- A file is encrypted with a random stream key under libsodium's secretstream
  (XChaCha20-Poly1305), in chunks, so it is written and read as it streams: a cut, swapped,
  reordered or altered chunk fails authentication, and a file missing its last chunk (marked
  final) is refused as cut. The stream key is sealed to the recipient's public key with a
  sealed box (X25519, anonymous sender).
- Every chunk authenticates the file's preamble (magic, recipient key, sealed stream key,
  stream header) as associated data.

Layout: MAGIC, recipient public key (32), sealed stream key (80), stream header (24), then
chunks, each a 4-byte big-endian length and that many bytes of ciphertext.

Not signed: the file does not prove who sent it (a sealed box is anonymous), only that
nobody but the recipient reads it and nobody altered it after the sender's key was sealed;
the importing admin knows the sender by the channel it came through.
"""

from __future__ import annotations

import base64
import binascii
import struct
import uuid
from collections.abc import Iterable, Iterator

import nacl.exceptions
import nacl.public
from django.db import transaction
from django.utils import timezone
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES as ABYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_HEADERBYTES as HEADER_BYTES,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_init_pull,
    crypto_secretstream_xchacha20poly1305_init_push,
    crypto_secretstream_xchacha20poly1305_keygen,
    crypto_secretstream_xchacha20poly1305_pull,
    crypto_secretstream_xchacha20poly1305_push,
    crypto_secretstream_xchacha20poly1305_state,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_TAG_FINAL as TAG_FINAL,
)
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE as TAG_MESSAGE,
)

from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError, InvalidInputError, PermissionDeniedError
from beyondreach.core.models import Organisation, User
from beyondreach.interchange.models import TransferKey

MAGIC = b"BEYONDREACH-TRANSFER/1\n"
KEY_BYTES = 32
# A sealed box: an ephemeral public key (32), the MAC (16), the sealed stream key (32).
SEALED_KEY_BYTES = 32 + 16 + KEY_BYTES
PREAMBLE_BYTES = len(MAGIC) + KEY_BYTES + SEALED_KEY_BYTES + HEADER_BYTES
CHUNK = 64 * 1024  # plaintext bytes per chunk
MAX_CHUNK = 16 * 1024 * 1024  # a larger length field is a damaged file, not a chunk to read


class TransferFileError(ApplicationError):
    """A transfer file that is not for this organisation, or was altered or cut."""

    status = 422


def public_key_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def public_key_parse(text: str) -> bytes:
    """A public key as given to the sender: 44 characters of base64 (standard or URL-safe)."""
    try:
        key = base64.b64decode(text.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError({"to": ["Not a transfer key: it is not base64."]}) from exc
    if len(key) != KEY_BYTES:
        raise InvalidInputError({"to": [f"Not a transfer key: a key is {KEY_BYTES} bytes."]})
    return key


def fingerprint(key: bytes) -> str:
    """A short name of a public key for logs and pages: its first 12 base64 characters."""
    return public_key_text(key)[:12]


# --- Keys -----------------------------------------------------------------------------------


def transfer_key_create(*, actor: User | None, organisation: Organisation) -> TransferKey:
    """A new transfer key pair for `organisation`; the keys made before are retired (they
    still open the files made for them). `actor` None is the command line."""
    if actor is not None and (actor.role != "admin" or actor.organisation_id != organisation.pk):
        raise PermissionDeniedError("Only the organisation's admins make its transfer keys.")
    private = nacl.public.PrivateKey.generate()
    with transaction.atomic():
        TransferKey.objects.filter(organisation=organisation, retired_at=None).update(
            retired_at=timezone.now()
        )
        key = TransferKey(
            organisation=organisation,
            public_key=public_key_text(bytes(private.public_key)),
            created_by=actor,
        )
        key.private_key = base64.b64encode(bytes(private)).decode("ascii")
        key.save()
        audit_record(
            organisation=organisation,
            actor=actor,
            action="transfer_key.create",
            record_type="transfer_key",
            record_id=key.uuid,
            detail={"fingerprint": key.public_key[:12]},
        )
    return key


def transfer_key_current(organisation: Organisation) -> TransferKey | None:
    return TransferKey.objects.filter(organisation=organisation, retired_at=None).first()


def recipient_key(to: str) -> bytes:
    """The public key a file is encrypted to: given as base64, or as the name or UUID of an
    organisation of this server that has a transfer key."""
    text = to.strip()
    if len(text) == 44 and text.endswith("="):
        return public_key_parse(text)
    found = (
        TransferKey.objects.filter(retired_at=None, organisation__name=text).first()
        or TransferKey.objects.filter(retired_at=None, organisation__uuid=_maybe_uuid(text)).first()
    )
    if found is None:
        raise InvalidInputError(
            {
                "to": [
                    "No transfer key: give the receiving organisation's public key, or the "
                    "name of an organisation of this server that has made one."
                ]
            }
        )
    return public_key_parse(found.public_key)


def _maybe_uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.UUID(int=0)  # no organisation has it


# --- The stream -----------------------------------------------------------------------------


def encrypt(plain: Iterable[bytes], recipient: bytes) -> Iterator[bytes]:
    """The transfer file of `plain` (any pieces), for `recipient`: the preamble, then one
    encrypted chunk per CHUNK bytes of plaintext, the last marked final."""
    stream_key = crypto_secretstream_xchacha20poly1305_keygen()
    sealed_key = nacl.public.SealedBox(nacl.public.PublicKey(recipient)).encrypt(stream_key)
    state = crypto_secretstream_xchacha20poly1305_state()
    header = crypto_secretstream_xchacha20poly1305_init_push(state, stream_key)
    preamble = MAGIC + recipient + bytes(sealed_key) + header
    yield preamble
    pending = bytearray()
    for piece in plain:
        pending += piece
        while len(pending) >= CHUNK:
            yield _chunk(state, bytes(pending[:CHUNK]), preamble, TAG_MESSAGE)
            del pending[:CHUNK]
    yield _chunk(state, bytes(pending), preamble, TAG_FINAL)


def _chunk(
    state: crypto_secretstream_xchacha20poly1305_state, data: bytes, ad: bytes, tag: int
) -> bytes:
    body = crypto_secretstream_xchacha20poly1305_push(state, data, ad, tag)
    return struct.pack(">I", len(body)) + body


def file_recipient(content: bytes) -> bytes:
    """The public key a file says it is for (it proves nothing until the file opens)."""
    if len(content) < PREAMBLE_BYTES or not content.startswith(MAGIC):
        raise TransferFileError("This is not a Beyond Reach transfer file.")
    return content[len(MAGIC) : len(MAGIC) + KEY_BYTES]


def decrypt(content: bytes, private_keys: dict[bytes, bytes]) -> Iterator[bytes]:
    """The plaintext of a transfer file, chunk by chunk, with the private key (by public key)
    it was made for; TransferFileError before the first chunk if none of them opens it, and
    at the chunk where it was altered or cut. A caller that writes must read it all first."""
    recipient = file_recipient(content)
    private = private_keys.get(recipient)
    if private is None:
        raise TransferFileError(
            "This file was encrypted to another key, not to one of this organisation's "
            f"transfer keys (it is for the key starting {fingerprint(recipient)})."
        )
    start = len(MAGIC) + KEY_BYTES
    sealed_key = content[start : start + SEALED_KEY_BYTES]
    header = content[start + SEALED_KEY_BYTES : PREAMBLE_BYTES]
    try:
        stream_key = nacl.public.SealedBox(nacl.public.PrivateKey(private)).decrypt(sealed_key)
    except nacl.exceptions.CryptoError as exc:
        raise TransferFileError("The file's key does not open: it was altered.") from exc
    state = crypto_secretstream_xchacha20poly1305_state()
    crypto_secretstream_xchacha20poly1305_init_pull(state, header, stream_key)
    return _chunks(content, state, content[:PREAMBLE_BYTES])


def _chunks(
    content: bytes, state: crypto_secretstream_xchacha20poly1305_state, preamble: bytes
) -> Iterator[bytes]:
    at = len(preamble)
    while at < len(content):
        if at + 4 > len(content):
            break
        (size,) = struct.unpack(">I", content[at : at + 4])
        body = content[at + 4 : at + 4 + size]
        if size < ABYTES or size > MAX_CHUNK + ABYTES or len(body) != size:
            break
        try:
            data, tag = crypto_secretstream_xchacha20poly1305_pull(state, body, preamble)
        except nacl.exceptions.CryptoError as exc:
            raise TransferFileError("The file was altered: a part of it fails its check.") from exc
        at += 4 + size
        yield data
        if tag == TAG_FINAL:
            if at != len(content):
                raise TransferFileError("The file has bytes after its end: it was altered.")
            return
    raise TransferFileError("The file is cut short: its last part is missing.")
