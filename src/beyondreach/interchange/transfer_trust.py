"""Which senders of transfer files an organisation knows (docs/imports.md, "beyondreach").

A file is signed by its sender's Ed25519 key (transfer.py); the signature proves the file
was made with that key, not whose the key is. The sender is known when the key is one of an
organisation of this server (its `TransferKey`), or one the importing organisation's admin
saved as a trusted partner under a name (`TrustedSender`), having been given it out of band.
A file from any other key imports only when an admin confirms it, having checked the key's
fingerprint with the sender by another channel; the audit event names the fingerprint.

The admin keeps the partners on their own page (partner_views.py): added from the string the
partner's admin gives, renamed, removed; a partner removed is an unknown sender again, from
its next file on. Each write is audited by fingerprint only: the name stays sealed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from beyondreach.core.audit import audit_record
from beyondreach.core.errors import (
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    parse_record_id,
)
from beyondreach.core.models import Organisation, User
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


MISSING = "No such trusted partner."
ONE_KEY = (
    "This is one key, not a transfer key: paste the whole string the partner's admin gives, "
    "two keys joined by a colon, as their Import page shows it."
)


def _admin_org(user: User) -> Organisation:
    organisation = user.organisation
    if user.role != "admin" or organisation is None or not user.is_active:
        raise PermissionDeniedError("Only admins choose the senders their organisation trusts.")
    return organisation


def trusted_senders_of(user: User) -> list[TrustedSender]:
    """The partners the admin's organisation trusts, by name (sealed, so sorted here)."""
    rows = TrustedSender.objects.filter(organisation=_admin_org(user)).select_related("created_by")
    return sorted(rows, key=lambda t: (t.name.casefold(), t.pk))


def access_trusted_sender(user: User, sender_id: str | uuid.UUID) -> TrustedSender:
    """One partner, for an admin of its organisation. The role is checked first, so a member
    who is not an admin learns nothing (403 whatever the id); an admin of another
    organisation gets the 404 of an id that names nothing."""
    organisation = _admin_org(user)
    found = (
        TrustedSender.objects.select_related("created_by")
        .filter(organisation=organisation, uuid=parse_record_id(sender_id, MISSING))
        .first()
    )
    if found is None:
        raise NotFoundError(MISSING)
    return found


def _clean_name(name: str, field: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_LENGTH:
        raise InvalidInputError({field: [f"Name the partner (at most {NAME_LENGTH} characters)."]})
    return name


def _audit(actor: User, organisation: Organisation, sender: TrustedSender, action: str) -> None:
    # By fingerprint only: the name is sealed, and the audit log is not.
    audit_record(
        organisation=organisation,
        actor=actor,
        action=action,
        record_type="trusted_sender",
        record_id=sender.uuid,
        detail={"fingerprint": sender.verify_key[:12]},
    )


def trusted_sender_save(*, actor: User, key: str, name: str) -> TrustedSender:
    """Trust the partner's verify key (given as its whole transfer key, `exchange`, or alone)
    as a sender of the actor's organisation, under `name`; a key saved before is renamed.
    The plan page's "trust this sender" and `transfer-key --trust`."""
    organisation = _admin_org(actor)
    public, verify = exchange_parse(key, "trust")
    verify_key = public_key_text(verify or public)
    name = _clean_name(name, "trust_as")
    with transaction.atomic():
        saved = TrustedSender.objects.filter(
            organisation=organisation, verify_key=verify_key
        ).first() or TrustedSender(
            organisation=organisation, verify_key=verify_key, created_by=actor
        )
        saved.name = name
        saved.save()
        _audit(actor, organisation, saved, "transfer_sender.trust")
    return saved


def trusted_sender_add(*, actor: User, key: str, name: str) -> TrustedSender:
    """Trust a partner from its transfer key as its admin gave it: the one string
    `PUBLIC:VERIFY` (`TransferKey.exchange`), whose second half checks the files it signs.

    Unlike `trusted_sender_save`, a bare key is refused: nothing tells which half it is, and a
    partner's public key saved as its signing key would match none of its files. So are this
    organisation's own key, a key of another organisation of this server (its files are
    known by its name already) and a partner saved before (renamed on its own page). Every
    error is on its field, `key` or `name`, both at once."""
    organisation = _admin_org(actor)
    verify_key, key_errors = _partner_key(organisation, key)
    errors = {"key": key_errors} if key_errors else {}
    try:
        name = _clean_name(name, "name")
    except InvalidInputError as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInputError(errors)
    try:
        with transaction.atomic():
            saved = TrustedSender(
                organisation=organisation, verify_key=verify_key, created_by=actor
            )
            saved.name = name
            saved.save()
            _audit(actor, organisation, saved, "transfer_sender.trust")
    except IntegrityError as exc:  # the same key, added meanwhile by another admin
        raise InvalidInputError({"key": ["This partner is trusted already."]}) from exc
    return saved


def _partner_key(organisation: Organisation, key: str) -> tuple[str, list[str]]:
    """The partner's verify key, or why the string is not one to trust."""
    if not key.strip():
        return "", ["Paste the partner's transfer key."]
    try:
        # A pasted string may have been wrapped across lines on the way: no key has a space.
        public, verify = exchange_parse("".join(key.split()), "key")
    except InvalidInputError as exc:
        return "", exc.errors["key"]
    if verify is None:
        return "", [ONE_KEY]
    verify_key, public_key = public_key_text(verify), public_key_text(public)
    ours = TransferKey.objects.filter(organisation=organisation)
    if ours.filter(verify_key=verify_key).exists() or ours.filter(public_key=public_key).exists():
        return "", ["This is this organisation's own transfer key: paste the partner's."]
    if TransferKey.objects.filter(verify_key=verify_key).exists():
        return "", [
            "This key is of an organisation of this server: its files are known already, by "
            "its name, without saving it."
        ]
    saved = TrustedSender.objects.filter(organisation=organisation, verify_key=verify_key).first()
    if saved is not None:
        return "", [f"This partner is trusted already, as “{saved.name}”: rename it on its page."]
    return verify_key, []


def trusted_sender_rename(*, actor: User, sender: TrustedSender, name: str) -> TrustedSender:
    """Name the partner anew (the name the import page shows for its files)."""
    organisation = _admin_org(actor)
    if organisation.pk != sender.organisation_id:
        raise NotFoundError(MISSING)
    name = _clean_name(name, "name")
    with transaction.atomic():
        sender.name = name
        sender.save(update_fields=["name_sealed"])
        _audit(actor, organisation, sender, "transfer_sender.rename")
    return sender


def trusted_sender_remove(*, actor: User, sender: TrustedSender) -> None:
    """Stop trusting the partner: its next file is from an unknown sender again, which only an
    admin imports, once they have checked its key with the sender. What it sent before stays."""
    organisation = _admin_org(actor)
    if organisation.pk != sender.organisation_id:
        raise NotFoundError(MISSING)
    with transaction.atomic():
        _audit(actor, organisation, sender, "transfer_sender.remove")
        sender.delete()
