"""Which senders of transfer files an organisation knows (docs/imports.md, "beyondreach").

A file is signed by its sender's Ed25519 key (transfer.py); the signature proves the file
was made with that key, not whose the key is. The sender is known when the key is one of an
organisation of this server (its `TransferKey`), or one the importing organisation's admin
saved as a trusted partner under a name (`TrustedSender`), having been given it out of band.
A file from any other key imports only when an admin confirms it, having checked the key's
fingerprint with the sender by another channel; the audit event names the fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import User
from beyondreach.interchange.models import TransferKey, TrustedSender
from beyondreach.interchange.transfer import exchange_parse, fingerprint, public_key_text

NAME_LENGTH = 100


@dataclass(frozen=True)
class Sender:
    """The key a file is signed with, and who it is to the importing organisation."""

    verify_key: str  # base64
    fingerprint: str
    name: str  # "" when unknown
    how: str  # "server" (an organisation here), "partner" (saved by an admin), "" unknown

    @property
    def known(self) -> bool:
        return bool(self.how)


def sender_of(organisation_id: int, verify_key: bytes) -> Sender:
    text, short = public_key_text(verify_key), fingerprint(verify_key)
    own = TransferKey.objects.filter(verify_key=text).select_related("organisation").first()
    if own is not None:
        return Sender(text, short, own.organisation.name, "server")
    partner = TrustedSender.objects.filter(organisation_id=organisation_id, verify_key=text)
    if saved := partner.first():
        return Sender(text, short, saved.name, "partner")
    return Sender(text, short, "", "")


def trusted_senders(organisation_id: int) -> list[TrustedSender]:
    return list(TrustedSender.objects.filter(organisation_id=organisation_id).order_by("id"))


def trusted_sender_save(*, actor: User, key: str, name: str) -> TrustedSender:
    """Trust the partner's verify key (given as its whole transfer key, `exchange`, or alone)
    as a sender of the actor's organisation, under `name`; a key saved before is renamed."""
    organisation = actor.organisation
    if actor.role != "admin" or organisation is None:
        raise PermissionDeniedError("Only admins choose the senders their organisation trusts.")
    public, verify = exchange_parse(key, "trust")
    verify_key = public_key_text(verify or public)
    name = " ".join(name.split())
    if not name or len(name) > NAME_LENGTH:
        raise InvalidInputError({"trust_as": [f"Name the partner (at most {NAME_LENGTH})."]})
    with transaction.atomic():
        saved = TrustedSender.objects.filter(
            organisation=organisation, verify_key=verify_key
        ).first() or TrustedSender(
            organisation=organisation, verify_key=verify_key, created_by=actor
        )
        saved.name = name
        saved.save()
        audit_record(
            organisation=organisation,
            actor=actor,
            action="transfer_sender.trust",
            record_type="trusted_sender",
            record_id=saved.uuid,
            detail={"fingerprint": verify_key[:12]},
        )
    return saved
