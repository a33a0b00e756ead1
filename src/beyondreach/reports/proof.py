"""Signed proof of submission: an Ed25519 signature over the report's hash and date.

A reporter can show the proof to a lawyer or an authority, who checks it against the
organisation's published verification key (the channel's key page, /r/<slug>/key/):

    beyondreach verify-proof proof.txt --key <published key>

The proof reveals nothing of the report: only its SHA-256 (the report carries a random
nonce, so the hash cannot be matched against guessed texts), the day and the organisation.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import nacl.exceptions
from nacl.signing import SigningKey, VerifyKey

from beyondreach.core import legacy

HEADER = "Beyond Reach proof of submission"
_FIELDS = ("organisation", "channel", "received", "report-sha256")


class ProofError(Exception):
    pass


@dataclass(frozen=True)
class Proof:
    organisation: str
    channel: str
    received: str  # YYYY-MM-DD
    report_sha256: str
    header: str = HEADER  # legacy.OLD_PROOF_HEADER for proofs signed before the rename

    def message(self) -> bytes:
        lines = [
            self.header,
            f"organisation: {self.organisation}",
            f"channel: {self.channel}",
            f"received: {self.received}",
            f"report-sha256: {self.report_sha256}",
        ]
        return ("\n".join(lines) + "\n").encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def proof_sign(proof: Proof, signing_seed: bytes) -> str:
    """The proof as a text file: the signed lines, then the signature and the key."""
    key = SigningKey(signing_seed)
    signature = key.sign(proof.message()).signature
    return (
        proof.message().decode()
        + f"signature: {b64(signature)}\n"
        + f"key: {b64(bytes(key.verify_key))}\n"
    )


def proof_verify(text: str, published_key: str | None = None) -> Proof:
    """The proof it holds, or ProofError naming what is wrong. Any changed byte fails."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 7 or lines[0] not in (HEADER, legacy.OLD_PROOF_HEADER):
        raise ProofError("This is not a Beyond Reach proof of submission (wrong layout).")
    values = _fields(lines[1:5])
    signature_line, key_line = lines[5], lines[6]
    if not signature_line.startswith("signature: ") or not key_line.startswith("key: "):
        raise ProofError("The proof has no signature or no key line.")
    key_text = key_line.removeprefix("key: ")
    if published_key is not None and key_text != published_key.strip():
        raise ProofError("The proof was not signed with the published key you gave.")
    organisation, channel, received, report_sha256 = values
    proof = Proof(organisation, channel, received, report_sha256, header=lines[0])
    try:
        VerifyKey(_canonical_b64(key_text)).verify(
            proof.message(), _canonical_b64(signature_line.removeprefix("signature: "))
        )
    except (ValueError, nacl.exceptions.BadSignatureError, nacl.exceptions.CryptoError) as exc:
        raise ProofError("The signature does not match: the proof was altered.") from exc
    return proof


def _canonical_b64(text: str) -> bytes:
    """Base64 exactly as the proof writes it. The last character of a padded value carries
    unused bits, so several spellings decode alike: accepting them would let a changed
    byte of the proof pass."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise ValueError("not canonical base64")
    return raw


def _fields(lines: list[str]) -> list[str]:
    values = []
    for line, name in zip(lines, _FIELDS, strict=True):
        prefix = f"{name}: "
        if not line.startswith(prefix):
            raise ProofError(f"The proof's line '{name}' is missing or altered.")
        values.append(line.removeprefix(prefix))
    return values
