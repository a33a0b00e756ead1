"""Writes of the reporting channel. Staff actions write an audit event; a reporter's do not,
because an audit event carries a precise time and the reporter's times are not kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from nacl.signing import SigningKey

from beyondreach.core import crypto
from beyondreach.core.attachments import Attachment
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError, InvalidInputError, PermissionDeniedError
from beyondreach.core.models import Role, User
from beyondreach.reports import keys
from beyondreach.reports.codenames import codename_new
from beyondreach.reports.dates import read_reported_date
from beyondreach.reports.models import (
    Author,
    KeyGrant,
    MemberKey,
    Report,
    ReportFile,
    ReportingChannel,
    ReportMessage,
    ReportStatus,
)
from beyondreach.reports.proof import Proof, proof_sign

PASSPHRASE_MIN = 12
TEXT_MAX = 20_000


class ChannelBusyError(ApplicationError):
    status = 429


def _today() -> dt.date:
    return timezone.localdate()


def channel_aad(channel: ReportingChannel, field: str) -> bytes:
    """Associated data of a value the channel seals with the data key (core.rotation too)."""
    return f"reportingchannel.{field}:{channel.uuid}".encode()


# --- Keys -------------------------------------------------------------------------------


def member_key_create(*, user: User, passphrase: str) -> MemberKey:
    if len(passphrase) < PASSPHRASE_MIN:
        raise InvalidInputError(
            {"passphrase": [f"Use at least {PASSPHRASE_MIN} characters; a few words are best."]}
        )
    if MemberKey.objects.filter(user=user).exists():
        raise ApplicationError("You already have a reporting passphrase.")
    private, public = keys.new_key_pair()
    salt = secrets.token_bytes(keys.SALT_BYTES)
    cost = keys.passphrase_cost()
    wrapping = keys.stretch(passphrase, salt, cost)
    with transaction.atomic():
        member_key = MemberKey.objects.create(
            user=user,
            public_key=public,
            salt=salt,
            opslimit=cost.opslimit,
            memlimit=cost.memlimit,
            private_key_wrapped=keys.wrap_with(wrapping, private),
        )
        _audit(user, "reports.passphrase_set", "user", user.uuid)
    return member_key


def channel_open(*, actor: User, slug: str) -> tuple[ReportingChannel, str]:
    """Open the organisation's channel; returns it and the recovery key, shown only once."""
    if actor.role != Role.ADMIN or actor.organisation is None:
        raise PermissionDeniedError("Only an admin can open the reporting channel.")
    member_key = MemberKey.objects.filter(user=actor).first()
    if member_key is None:
        raise ApplicationError("Set your reporting passphrase first.")
    if ReportingChannel.objects.filter(organisation=actor.organisation).exists():
        raise ApplicationError("The reporting channel is already open.")
    if ReportingChannel.objects.filter(slug=slug).exists():
        raise InvalidInputError({"slug": ["That address is taken; choose another."]})
    private, public = keys.new_key_pair()
    signing = SigningKey.generate()
    recovery_key, recovery_text = keys.recovery_key_new()
    with transaction.atomic():
        channel = ReportingChannel(
            organisation=actor.organisation,
            slug=slug,
            public_key=public,
            verify_key=bytes(signing.verify_key),
            codename_salt=secrets.token_bytes(keys.SALT_BYTES),
        )
        channel.signing_key_sealed = crypto.seal(
            actor.organisation.keys.data, bytes(signing), channel_aad(channel, "signing_key")
        )
        channel.save()
        KeyGrant.objects.create(
            channel=channel,
            member_key=member_key,
            private_key_sealed=keys.seal_to(bytes(member_key.public_key), private),
        )
        KeyGrant.objects.create(
            channel=channel,
            member_key=None,
            private_key_sealed=keys.wrap_with(recovery_key, private),
        )
        _audit(actor, "reports.channel_open", "reporting_channel", channel.uuid)
    return channel, recovery_text


def channel_unlock(*, user: User, passphrase: str) -> bytes:
    """The channel's private key, opened with the member's passphrase (never stored)."""
    channel = _channel_of(user)
    grant = KeyGrant.objects.filter(channel=channel, member_key__user=user).first()
    if grant is None or grant.member_key is None:
        raise PermissionDeniedError("An admin has not given you access to reports yet.")
    mk = grant.member_key
    wrapping = keys.stretch(passphrase, bytes(mk.salt), keys.Cost(mk.opslimit, mk.memlimit))
    member_private = keys.unwrap_with(wrapping, bytes(mk.private_key_wrapped), "passphrase")
    private = keys.open_sealed(member_private, bytes(grant.private_key_sealed))
    _audit(user, "reports.unlock", "reporting_channel", channel.uuid)
    return private


def channel_recover(*, actor: User, recovery_text: str) -> bytes:
    """The channel's private key from the recovery key, for an admin whose members are gone."""
    if actor.role != Role.ADMIN:
        raise PermissionDeniedError("Only an admin can use the recovery key.")
    channel = _channel_of(actor)
    grant = KeyGrant.objects.get(channel=channel, member_key=None)
    recovery_key = keys.recovery_key_parse(recovery_text)
    private = keys.unwrap_with(recovery_key, bytes(grant.private_key_sealed), "recovery key")
    _audit(actor, "reports.recover", "reporting_channel", channel.uuid)
    return private


def access_grant(*, actor: User, channel_private_key: bytes, member: User) -> KeyGrant:
    """Give a member the channel's key, sealed to their own key: only their passphrase opens it."""
    if actor.role != Role.ADMIN or member.organisation_id != actor.organisation_id:
        raise PermissionDeniedError("Only an admin can give access, and only to a member.")
    if member.role not in (Role.ADMIN, Role.CASE_WORKER):
        raise PermissionDeniedError("Only admins and case workers may read reports.")
    channel = _channel_of(actor)
    member_key = MemberKey.objects.filter(user=member).first()
    if member_key is None:
        raise ApplicationError("That member has not set a reporting passphrase yet.")
    if keys.reporter_public_key(channel_private_key) != bytes(channel.public_key):
        raise ApplicationError("Unlock the reports key before giving access.")
    with transaction.atomic():
        grant, _created = KeyGrant.objects.update_or_create(
            channel=channel,
            member_key=member_key,
            defaults={
                "private_key_sealed": keys.seal_to(
                    bytes(member_key.public_key), channel_private_key
                )
            },
        )
        _audit(actor, "reports.access_grant", "user", member.uuid)
    return grant


def channel_settings_update(*, actor: User, retention_days: int) -> ReportingChannel:
    if actor.role != Role.ADMIN:
        raise PermissionDeniedError("Only an admin can change the reporting channel.")
    if not 7 <= retention_days <= 3650:
        raise InvalidInputError({"retention_days": ["Choose between 7 and 3650 days."]})
    channel = _channel_of(actor)
    with transaction.atomic():
        channel.retention_days = retention_days
        channel.save(update_fields=["retention_days"])
        _audit(
            actor, "reports.settings", "reporting_channel", channel.uuid, {"days": retention_days}
        )
    return channel


# --- Reporter side (no audit events: they would carry the time) --------------------------


@dataclass(frozen=True)
class Receipt:
    report: Report
    codename: str | None  # None: a repeated submission whose receipt was shown already
    proof: str


def _submission_keys(token: str, plaintext_answers: bytes) -> tuple[str, bytes]:
    """The lookup of one submission and the key sealing its codename, both from the form's
    one-off token. Without the token (which never reaches the database) neither says
    anything. The lookup covers the answers too, so the same form sent again with other
    answers (the back button, then a second report) is a new report, not a repeat."""
    secret = hashlib.blake2b(token.encode(), digest_size=32, person=b"tnr-submit").digest()
    lookup = hashlib.blake2b(
        plaintext_answers, key=secret, digest_size=32, person=b"tnr-sub-lookup"
    ).hexdigest()  # 64 hex digits: the column's width
    return lookup, crypto.derive_subkey(secret, b"submission-codename")


def _canonical(answers: dict[str, Any], attachments: list[Attachment]) -> bytes:
    files = sorted(a.sha256 for a in attachments)
    return json.dumps({"a": answers, "f": files}, sort_keys=True, ensure_ascii=False).encode()


def _repeated_receipt(report: Report, codename_key: bytes) -> Receipt:
    sealed = report.submission_codename_sealed
    codename = None
    if sealed:
        codename = crypto.unseal(codename_key, bytes(sealed), b"submission").decode()
    return Receipt(report=report, codename=codename, proof=report_proof(report))


def report_submit(
    *,
    channel: ReportingChannel,
    language: str,
    answers: dict[str, Any],
    attachments: list[Attachment],
    submission_token: str | None = None,
) -> Receipt:
    """Seal the report at once and store it in one transaction; only then is there a receipt.

    The same form sent twice (a double click, a reload of the answer to the POST) with the
    same `submission_token` and answers stores one report: the second call returns the first
    receipt, with its codename while the reporter has not been shown it yet.
    """
    token = submission_token or secrets.token_urlsafe(32)
    lookup, codename_key = _submission_keys(token, _canonical(answers, attachments))
    try:
        return _report_store(channel, language, answers, attachments, lookup, codename_key)
    except IntegrityError:
        # The same submission arrived twice at once; the other request stored it first.
        existing = Report.objects.filter(channel=channel, submission_lookup=lookup).first()
        if existing is None:
            raise
        return _repeated_receipt(existing, codename_key)


def _report_store(
    channel: ReportingChannel,
    language: str,
    answers: dict[str, Any],
    attachments: list[Attachment],
    lookup: str,
    codename_key: bytes,
) -> Receipt:
    with transaction.atomic():
        existing = Report.objects.filter(channel=channel, submission_lookup=lookup).first()
        if existing is not None:
            return _repeated_receipt(existing, codename_key)
        today = _today()
        if Report.objects.filter(channel=channel, received_on=today).count() >= channel.daily_limit:
            raise ChannelBusyError(
                _("The channel has received very many reports today. Please try again tomorrow.")
            )
        codename = codename_new()
        ck = keys.codename_keys(codename, bytes(channel.codename_salt))
        content = {
            "v": 1,
            "nonce": secrets.token_hex(16),  # so the hash in the proof cannot be guessed
            "answers": answers,
            "files": [
                {"name": a.name, "media_type": a.media_type, "sha256": a.sha256}
                for a in attachments
            ],
        }
        plaintext = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
        public = bytes(channel.public_key)
        report = Report.objects.create(
            organisation_id=channel.organisation_id,
            channel=channel,
            received_on=today,
            language=language,
            content_sealed=keys.seal_to(public, plaintext),
            content_sha256=hashlib.sha256(plaintext).hexdigest(),
            codename_lookup=ck.lookup,
            reporter_public_key=keys.reporter_public_key(ck.private_key),
            last_activity_on=today,
            submission_lookup=lookup,
            submission_codename_sealed=crypto.seal(codename_key, codename.encode(), b"submission"),
        )
        _store_files(report, attachments, today)
    return Receipt(report=report, codename=codename, proof=report_proof(report))


def report_receipt_shown(report: Report) -> None:
    """The reporter has seen the receipt: the codename sealed for a repeated submission is
    no longer needed, and is erased."""
    Report.objects.filter(pk=report.pk).exclude(submission_codename_sealed=None).update(
        submission_codename_sealed=None
    )


def report_proof(report: Report) -> str:
    channel = report.channel
    seed = crypto.unseal(
        channel.organisation.keys.data,
        bytes(channel.signing_key_sealed),
        channel_aad(channel, "signing_key"),
    )
    proof = Proof(
        organisation=channel.organisation.name,
        channel=str(channel.uuid),
        received=report.received_on.isoformat(),
        report_sha256=report.content_sha256,
    )
    return proof_sign(proof, seed)


def _store_files(report: Report, attachments: list[Attachment], today: dt.date) -> None:
    public = bytes(report.channel.public_key)
    for a in attachments:
        manifest = json.dumps(
            {"name": a.name, "media_type": a.media_type, "sha256": a.sha256}, ensure_ascii=False
        ).encode()
        ReportFile.objects.create(
            report=report,
            manifest_sealed=keys.seal_to(public, manifest),
            original_sealed=keys.seal_to(public, a.original),
            clean_sealed=keys.seal_to(public, a.clean),
            added_on=today,
        )


def reporter_find(*, channel: ReportingChannel, codename: str) -> tuple[Report, bytes] | None:
    """The report and the reporter's key, or None. Unknown and wrong codenames cost the same
    Argon2id run and one indexed lookup, so neither the answer nor its time tells them apart."""
    ck = keys.codename_keys(codename, bytes(channel.codename_salt))
    report = Report.objects.filter(channel=channel, codename_lookup=ck.lookup).first()
    return (report, ck.private_key) if report else None


def reporter_add(*, report: Report, text: str, attachments: list[Attachment]) -> None:
    """The reporter answers or adds files; sealed to the channel and to the reporter."""
    text = text.strip()[:TEXT_MAX]
    if not text and not attachments:
        raise InvalidInputError({"text": [_("Write an answer or add a file.")]})
    today = _today()
    with transaction.atomic():
        if text:
            _message(report, Author.REPORTER, text, today, sender=None)
        _store_files(report, attachments, today)
        Report.objects.filter(pk=report.pk).update(last_activity_on=today)


def _message(
    report: Report, author: str, text: str, today: dt.date, sender: User | None
) -> ReportMessage:
    body = text.encode()
    return ReportMessage.objects.create(
        report=report,
        author=author,
        for_organisation=keys.seal_to(bytes(report.channel.public_key), body),
        for_reporter=keys.seal_to(bytes(report.reporter_public_key), body),
        sent_on=today,
        sender=sender,
    )


# --- Case worker side -------------------------------------------------------------------


def report_reply(*, actor: User, report: Report, text: str) -> ReportMessage:
    text = text.strip()
    if not text:
        raise InvalidInputError({"text": ["Write the question or answer first."]})
    if len(text) > TEXT_MAX:
        raise InvalidInputError({"text": [f"At most {TEXT_MAX} characters."]})
    today = _today()
    with transaction.atomic():
        message = _message(report, Author.ORGANISATION, text, today, sender=actor)
        Report.objects.filter(pk=report.pk).update(last_activity_on=today)
        _audit(actor, "report.reply", "report", report.uuid)
    return message


def report_mark(*, actor: User, report: Report, status: str) -> Report:
    allowed = {ReportStatus.NEW, ReportStatus.GENUINE, ReportStatus.SPAM, ReportStatus.DUPLICATE}
    if status not in allowed:
        raise InvalidInputError({"status": ["Choose new, genuine, spam or duplicate."]})
    with transaction.atomic():
        report.status = status
        report.save(update_fields=["status"])
        _audit(actor, "report.mark", "report", report.uuid, {"status": status})
    return report


def report_link_incident(*, actor: User, report: Report, incident: Any) -> None:
    with transaction.atomic():
        report.incident = incident
        report.status = ReportStatus.INCIDENT
        report.save(update_fields=["incident", "status"])
        _audit(actor, "report.to_incident", "report", report.uuid, {"incident": str(incident.uuid)})


def reports_destroy_expired(*, today: dt.date | None = None) -> int:
    """Destroy reports that never became incidents once their channel's retention has passed:
    the sealed content, files and messages are deleted with the report row."""
    today = today or _today()
    destroyed = 0
    for channel in ReportingChannel.objects.all():
        cutoff = today - dt.timedelta(days=channel.retention_days)
        with transaction.atomic():
            expired = Report.objects.filter(
                channel=channel, incident__isnull=True, last_activity_on__lt=cutoff
            )
            count = expired.count()
            if count:
                expired.delete()
                audit_record(
                    organisation=channel.organisation,
                    actor=None,
                    action="reports.destroy_expired",
                    record_type="reporting_channel",
                    record_id=channel.uuid,
                    detail={"reports": count},
                )
        destroyed += count
    return destroyed


# --- Helpers ----------------------------------------------------------------------------


def _channel_of(user: User) -> ReportingChannel:
    if user.organisation_id is None:
        raise PermissionDeniedError("You are not a member of an organisation.")
    channel = ReportingChannel.objects.filter(organisation_id=user.organisation_id).first()
    if channel is None:
        raise ApplicationError("Your organisation has not opened its reporting channel yet.")
    return channel


def _audit(
    actor: User, action: str, record_type: str, record_id: Any, detail: dict[str, Any] | None = None
) -> None:
    assert actor.organisation is not None
    audit_record(
        organisation=actor.organisation,
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        detail=detail,
    )


def report_viewed(*, actor: User, report: Report) -> None:
    _audit(actor, "report.view", "report", report.uuid)


def report_file_viewed(*, actor: User, report: Report, variant: str) -> None:
    _audit(actor, "report.file_view", "report", report.uuid, {"variant": variant})


def plain_tactic_labels() -> list[tuple[str, str]]:
    from beyondreach.reports.forms import PLAIN_TACTICS

    return [(code, str(text)) for code, text in PLAIN_TACTICS]


def incident_initial_from_report(
    view: Any,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The incident form, filled from a report as far as it maps; the report is its source."""
    a = view.answers
    report = view.report
    narrative = "\n\n".join(
        f"{label}: {a[key]}"
        for key, label in [
            ("what_happened", "What happened"),
            ("when", "When"),
            ("behind_who", "Who they think did it"),
            ("family_details", "Family back home"),
            ("deadline_what", "Coming date"),
        ]
        if a.get(key)
    )
    tactics = list(a.get("tactics", []))
    if a.get("family_targeted") == "yes" and "family_coercion" not in tactics:
        tactics.append("family_coercion")
    # The date the reporter wrote, where it can be read; else empty for the case worker.
    # Never the day the report arrived: that would count the incident in the wrong period.
    when = read_reported_date(a.get("when", ""), received=report.received_on)
    head: dict[str, Any] = {
        "title": f"Report received {report.received_on.isoformat()}",
        "narrative": narrative,
        "start_date": when.start if when else None,
        "start_precision": when.precision if when else "approximate",
        "origin_states": [a["behind_country"]] if a.get("behind_country") else [],
        "host_countries": [a["where_country"]] if a.get("where_country") else [],
        "place": a.get("where_place", ""),
        "tactics": tactics,
        "due_date": a.get("deadline_date") or None,
    }
    source = {
        "reference": f"Report {report.uuid} (reporting channel)",
        "kind": "testimony",
        "published_on": report.received_on,
        "reliability": "unknown",
        "independent": False,
    }
    return head, {"sources": [source], **_parts_named_in(a, tactics)}


# Tactics the report form asks about that name a legal mechanism of the same kind.
MECHANISM_OF_TACTIC = {
    "extradition_request": "extradition_request",
    "terrorist_designation": "terrorist_designation",
    "denationalisation": "denationalisation",
    # A Red Notice or a Diffusion: the reporter cannot tell, so the kind is left for the case
    # worker to choose, and the row cannot be saved until they do.
    "interpol_abuse": "",
}


def _parts_named_in(a: dict[str, Any], tactics: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows for the relatives and legal mechanisms the report names. What the reporter could
    not say (a relative's name, which INTERPOL notice) stays empty: the form asks for it."""
    parts: dict[str, list[dict[str, Any]]] = {}
    if a.get("family_targeted") == "yes":
        parts["targets"] = [{"role": "relative", "relation": "other_family"}]
    mechanisms = [
        {"kind": kind, "issued_by": a.get("behind_country", ""), "status": "unknown"}
        for tactic, kind in MECHANISM_OF_TACTIC.items()
        if tactic in tactics
    ]
    if mechanisms:
        parts["mechanisms"] = mechanisms
    return parts
