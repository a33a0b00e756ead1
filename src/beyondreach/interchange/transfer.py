"""The `beyondreach` transfer file's encryption and signature, and an organisation's keys.

Design (docs/interchange.md, "beyondreach"):
- Each organisation has transfer keys (`TransferKey`): an X25519 pair to receive and an
  Ed25519 pair to sign. Its admin gives both public keys, as one string (`exchange`), to
  each partner once, out of band; the private keys are sealed with the organisation's data
  key, so a data key rotation re-seals them with the rest.
- A file is encrypted with a random stream key under libsodium's secretstream
  (XChaCha20-Poly1305), in chunks, so it is written and read as it streams: a cut, swapped,
  reordered or altered chunk fails authentication, and a file missing its last chunk (marked
  final) is refused as cut. The stream key is sealed to the recipient's public key with a
  sealed box (X25519, anonymous sender).
- Every chunk authenticates the file's preamble (magic, recipient key, sender's verify key,
  sealed stream key, stream header) as associated data.
- The file is signed by the sender: a sealed box proves nothing of who made it (anyone with
  the recipient's public key can), so the sender's Ed25519 key signs a BLAKE2b hash of
  everything before the signature, computed as the file streams out. The signature is
  checked over the whole file before a byte of it is decrypted, and the preamble binds it
  to the recipient: a signed file cannot be re-addressed, nor re-signed by another key
  (the chunks authenticate the verify key they name).

Layout (version 2): MAGIC, recipient public key (32), sender's verify key (32), sealed
stream key (80), stream header (24), then chunks, each a 4-byte big-endian length and that
many bytes of ciphertext, the last marked final; then the signature (64) of
SIGNED_CONTEXT + BLAKE2b-512(all the bytes before it). Version 1 was not signed: refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
import uuid
from collections.abc import Iterable, Iterator

import nacl.exceptions
import nacl.public
import nacl.signing
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

MAGIC = b"BEYONDREACH-TRANSFER/2\n"
MAGIC_V1 = b"BEYONDREACH-TRANSFER/1\n"  # unsigned: refused
KEY_BYTES = 32
# A sealed box: an ephemeral public key (32), the MAC (16), the sealed stream key (32).
SEALED_KEY_BYTES = 32 + 16 + KEY_BYTES
SENDER_AT = len(MAGIC) + KEY_BYTES
SEALED_AT = SENDER_AT + KEY_BYTES
PREAMBLE_BYTES = SEALED_AT + SEALED_KEY_BYTES + HEADER_BYTES
SIGNATURE_BYTES = 64
# What the sender signs is this, then the file's hash: a signature made for anything else
# with the same key is never a transfer file's.
SIGNED_CONTEXT = b"beyondreach transfer file signature, version 2\n"
CHUNK = 64 * 1024  # plaintext bytes per chunk
MAX_CHUNK = 16 * 1024 * 1024  # a larger length field is a damaged file, not a chunk to read


class TransferFileError(ApplicationError):
    """A transfer file that is not for this organisation, or was altered or cut."""

    status = 422


def public_key_text(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def public_key_parse(text: str, field: str = "to") -> bytes:
    """A public key as given: 44 characters of base64 (standard or URL-safe)."""
    try:
        key = base64.b64decode(text.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError({field: ["Not a transfer key: it is not base64."]}) from exc
    if len(key) != KEY_BYTES:
        raise InvalidInputError({field: [f"Not a transfer key: a key is {KEY_BYTES} bytes."]})
    return key


def exchange_parse(text: str, field: str) -> tuple[bytes, bytes | None]:
    """A partner's keys as its admin gives them (`TransferKey.exchange`): the public key to
    encrypt to and the verify key of its files; or a bare public key (no verify key)."""
    public, _, verify = text.strip().partition(":")
    return public_key_parse(public, field), public_key_parse(verify, field) if verify else None


def fingerprint(key: bytes) -> str:
    """A short name of a public key for logs and pages: its first 12 base64 characters (so
    the key a partner gave begins with it)."""
    return public_key_text(key)[:12]


# --- Keys -----------------------------------------------------------------------------------


def transfer_key_create(*, actor: User | None, organisation: Organisation) -> TransferKey:
    """New transfer keys for `organisation` (to receive, and to sign); the keys made before
    are retired (they still open the files made for them). `actor` None is the command
    line."""
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
        _add_signing_key(key)
        key.save()
        audit_record(
            organisation=organisation,
            actor=actor,
            action="transfer_key.create",
            record_type="transfer_key",
            record_id=key.uuid,
            detail={"fingerprint": key.public_key[:12], "signing": key.verify_key[:12]},
        )
    return key


def _add_signing_key(key: TransferKey) -> None:
    signing = nacl.signing.SigningKey.generate()
    key.verify_key = public_key_text(bytes(signing.verify_key))
    key.signing_key = base64.b64encode(bytes(signing)).decode("ascii")


def transfer_key_current(organisation: Organisation) -> TransferKey | None:
    """The organisation's current keys; one made before files were signed gets its signing
    key here, once (its public key, given to partners already, stays)."""
    key = TransferKey.objects.filter(organisation=organisation, retired_at=None).first()
    if key is not None and not key.verify_key:
        _add_signing_key(key)
        key.save(update_fields=["verify_key", "signing_key_sealed"])
    return key


def signing_key(*, actor: User, organisation: Organisation) -> nacl.signing.SigningKey:
    """The key that signs `organisation`'s transfer files: its current one, made for an
    admin's first export if it has none (the partner then needs its verify key)."""
    key = transfer_key_current(organisation) or transfer_key_create(
        actor=actor if actor.pk else None, organisation=organisation
    )
    return nacl.signing.SigningKey(base64.b64decode(key.signing_key))


def recipient_key(to: str) -> bytes:
    """The public key a file is encrypted to: given as base64 (alone or with its verify key,
    as `exchange`), or as the name or UUID of an organisation of this server that has a
    transfer key."""
    text = to.strip()
    if len(text) in (44, 89) and text[43] == "=":
        return exchange_parse(text, "to")[0]
    found = (
        TransferKey.objects.filter(retired_at=None, organisation__name=text).first()
        or TransferKey.objects.filter(retired_at=None, organisation__uuid=_maybe_uuid(text)).first()
    )
    if found is None:
        raise InvalidInputError(
            {
                "to": [
                    "No transfer key: give the receiving organisation's transfer key, or the "
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


def encrypt(
    plain: Iterable[bytes], recipient: bytes, signing: nacl.signing.SigningKey
) -> Iterator[bytes]:
    """The transfer file of `plain` (any pieces), for `recipient`, signed with `signing`: the
    preamble, one encrypted chunk per CHUNK bytes of plaintext (the last marked final),
    then the signature of all of them."""
    stream_key = crypto_secretstream_xchacha20poly1305_keygen()
    sealed_key = nacl.public.SealedBox(nacl.public.PublicKey(recipient)).encrypt(stream_key)
    state = crypto_secretstream_xchacha20poly1305_state()
    header = crypto_secretstream_xchacha20poly1305_init_push(state, stream_key)
    preamble = MAGIC + recipient + bytes(signing.verify_key) + bytes(sealed_key) + header
    signed = hashlib.blake2b(preamble)
    yield preamble
    pending = bytearray()
    for piece in plain:
        pending += piece
        while len(pending) >= CHUNK:
            chunk = _chunk(state, bytes(pending[:CHUNK]), preamble, TAG_MESSAGE)
            signed.update(chunk)
            yield chunk
            del pending[:CHUNK]
    chunk = _chunk(state, bytes(pending), preamble, TAG_FINAL)
    signed.update(chunk)
    yield chunk
    yield signing.sign(SIGNED_CONTEXT + signed.digest()).signature  # as `signed_body`


def _chunk(
    state: crypto_secretstream_xchacha20poly1305_state, data: bytes, ad: bytes, tag: int
) -> bytes:
    body = crypto_secretstream_xchacha20poly1305_push(state, data, ad, tag)
    return struct.pack(">I", len(body)) + body


def _preamble(content: bytes) -> None:
    if content.startswith(MAGIC_V1):
        raise TransferFileError(
            "This transfer file is of version 1, which is not signed: nothing proves who "
            "made it, so it is refused. Ask the sender to update their server and export "
            "it again."
        )
    if not content.startswith(MAGIC):
        raise TransferFileError("This is not a Beyond Reach transfer file.")
    if len(content) < PREAMBLE_BYTES + SIGNATURE_BYTES:
        raise TransferFileError("The file is cut short: its signature is missing.")


def file_recipient(content: bytes) -> bytes:
    """The public key a file says it is for (it proves nothing until the file opens)."""
    _preamble(content)
    return content[len(MAGIC) : SENDER_AT]


def file_sender(content: bytes) -> bytes:
    """The verify key a file says signed it (it proves nothing until `verify` passes)."""
    _preamble(content)
    return content[SENDER_AT:SEALED_AT]


def signed_body(body: bytes | memoryview) -> bytes:
    """What the sender signs for a file whose bytes before the signature are `body`: the
    context, then their hash (computed a slice at a time, as `encrypt` does while writing)."""
    view, signed = memoryview(body), hashlib.blake2b()
    for at in range(0, len(view), CHUNK):
        signed.update(view[at : at + CHUNK])
    return SIGNED_CONTEXT + signed.digest()


def verify(content: bytes) -> bytes:
    """The verify key of the file's sender, once the signature over everything before it is
    checked (by hashing the file a slice at a time); TransferFileError if it does not hold:
    the file was altered or cut after it was signed, or not signed by the key it names."""
    sender = file_sender(content)
    end = len(content) - SIGNATURE_BYTES
    try:
        nacl.signing.VerifyKey(sender).verify(signed_body(memoryview(content)[:end]), content[end:])
    except (nacl.exceptions.CryptoError, ValueError) as exc:
        raise TransferFileError(
            "The file's signature does not hold: it was altered or cut after it was signed, "
            f"or it was not signed by the key it names (starting {fingerprint(sender)})."
        ) from exc
    return sender


def decrypt(content: bytes, private_keys: dict[bytes, bytes]) -> Iterator[bytes]:
    """The plaintext of a transfer file, chunk by chunk, with the private key (by public key)
    it was made for; TransferFileError before the first chunk if the signature does not
    hold or none of the keys opens it, and at the chunk where it was altered or cut. A
    caller that writes must read it all first."""
    recipient = file_recipient(content)
    private = private_keys.get(recipient)
    if private is None:
        raise TransferFileError(
            "This file was encrypted to another key, not to one of this organisation's "
            f"transfer keys (it is for the key starting {fingerprint(recipient)})."
        )
    verify(content)
    sealed_key = content[SEALED_AT : SEALED_AT + SEALED_KEY_BYTES]
    header = content[SEALED_AT + SEALED_KEY_BYTES : PREAMBLE_BYTES]
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
    at, end = len(preamble), len(content) - SIGNATURE_BYTES
    while at < end:
        if at + 4 > end:
            break
        (size,) = struct.unpack(">I", content[at : at + 4])
        body = content[at + 4 : min(at + 4 + size, end)]
        if size < ABYTES or size > MAX_CHUNK + ABYTES or len(body) != size:
            break
        try:
            data, tag = crypto_secretstream_xchacha20poly1305_pull(state, body, preamble)
        except nacl.exceptions.CryptoError as exc:
            raise TransferFileError("The file was altered: a part of it fails its check.") from exc
        at += 4 + size
        yield data
        if tag == TAG_FINAL:
            if at != end:
                raise TransferFileError("The file has bytes after its end: it was altered.")
            return
    raise TransferFileError("The file is cut short: its last part is missing.")
