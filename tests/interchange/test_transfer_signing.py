"""Transfer files are signed by their sender (issue 11): a file forged with the recipient's
public key (it is given out) but another signing key is refused or needs an admin's
confirmation, and writes nothing before; a file whose signature was altered, or of the
unsigned version 1, is refused; an honest file imports, and the audit names its signer."""

from __future__ import annotations

import base64
import io
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from django.test import Client
from nacl.signing import SignedMessage, SigningKey, VerifyKey

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.cli import main
from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import AuditEvent, Organisation, User
from beyondreach.core.services import api_token_create, user_create
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.imports import import_create, import_run, import_start
from beyondreach.interchange.models import ImportJob, TransferKey, TrustedSender
from beyondreach.interchange.transfer import (
    MAGIC,
    MAGIC_V1,
    PREAMBLE_BYTES,
    SEALED_AT,
    SENDER_AT,
    decrypt,
    encrypt,
    signed_body,
    transfer_key_create,
    transfer_key_current,
)
from beyondreach.interchange.transfer_import import private_keys

from ..api.conftest import bearer
from ..conftest import PASSWORD, Personas, verified_client
from .export_cases import rich_incident


@dataclass
class Sent:
    content: bytes  # an honest file from personas.org to personas.other_org
    receiver: User  # the other organisation's admin
    recipient: bytes  # its public key, which anyone may hold

    @property
    def org(self) -> Organisation:
        assert self.receiver.organisation is not None
        return self.receiver.organisation


@pytest.fixture
def sent(personas: Personas) -> Sent:
    rich_incident(personas.admin)
    receiver = user_create(
        organisation=personas.other_org, username="rhea", password=PASSWORD, role="admin"
    )
    key = transfer_key_create(actor=receiver, organisation=personas.other_org)
    found = export_incidents(
        viewer=personas.admin, filters=IncidentFilters(), format="beyondreach", to=key.exchange
    )
    return Sent(b"".join(found.chunks), receiver, base64.b64decode(key.public_key))


def _plain(sent: Sent) -> bytes:
    """The records of the honest file: what a forger would write fake ones like."""
    return b"".join(decrypt(sent.content, private_keys(sent.org.pk)))


class Impostor:
    """A forger's signing key that names another's verify key in the file it signs."""

    def __init__(self, claimed: VerifyKey) -> None:
        self.verify_key = claimed
        self._own = SigningKey.generate()

    def sign(self, message: bytes) -> SignedMessage:
        return self._own.sign(message)


def _nothing_written(sent: Sent, events: int) -> None:
    assert ImportJob.objects.filter(organisation=sent.org).count() == 0
    assert AuditEvent.objects.count() == events


def _refused(sent: Sent, content: bytes) -> str:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInputError) as refused:
        import_create(actor=sent.receiver, fmt="beyondreach", filename="f", content=content)
    _nothing_written(sent, events)
    return refused.value.errors["file"][0]


def _sender_key(personas: Personas) -> TransferKey:
    return TransferKey.objects.get(organisation=personas.org, retired_at=None)


def test_a_file_forged_in_a_partners_name_is_refused_and_writes_nothing(
    personas: Personas, sent: Sent
) -> None:
    partner = VerifyKey(base64.b64decode(_sender_key(personas).verify_key))
    impostor = cast(SigningKey, Impostor(partner))
    forged = b"".join(encrypt([_plain(sent)], sent.recipient, impostor))
    assert forged[SENDER_AT:SEALED_AT] == bytes(partner)

    why = _refused(sent, forged)

    assert "signature does not hold" in why
    assert _sender_key(personas).verify_key[:12] in why


def test_a_file_signed_with_a_strangers_key_waits_for_an_admin_and_writes_nothing(
    personas: Personas, sent: Sent
) -> None:
    forged = b"".join(encrypt([_plain(sent)], sent.recipient, SigningKey.generate()))
    job = import_create(actor=sent.receiver, fmt="beyondreach", filename="f", content=forged)
    upload = AuditEvent.objects.get(action="import.upload", organisation=sent.org)
    assert upload.detail["sender_known"] == "unknown"

    with pytest.raises(InvalidInputError) as refused:
        import_start(actor=sent.receiver, job=job)
    assert "does not know" in refused.value.errors["unknown_sender"][0]
    with pytest.raises(PermissionDeniedError):  # a case worker of the receiver
        import_start(actor=personas.outsider, job=job, unknown_sender=True)

    job.refresh_from_db()
    assert job.status == "mapping"
    assert not AuditEvent.objects.filter(action="import.start").exists()
    assert not TrustedSender.objects.exists()


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_file_whose_signature_was_altered_is_refused_and_writes_nothing(
    sent: Sent, where: str
) -> None:
    at = len(sent.content) - (64 if where == "first" else 1)
    altered = sent.content[:at] + bytes([sent.content[at] ^ 1]) + sent.content[at + 1 :]
    assert "signature does not hold" in _refused(sent, altered)


def test_a_file_without_its_signature_is_refused(sent: Sent) -> None:
    assert "altered" in _refused(sent, sent.content[:-64])
    assert "signature is missing" in _refused(sent, sent.content[: PREAMBLE_BYTES + 10])


def test_a_signed_file_cannot_be_signed_again_by_another_key(sent: Sent) -> None:
    """A forger who swaps in its own verify key and signature: the chunks authenticate the
    preamble, so they no longer open."""
    other = SigningKey.generate()
    body = bytearray(sent.content[:-64])
    body[SENDER_AT:SEALED_AT] = bytes(other.verify_key)
    resigned = bytes(body) + other.sign(signed_body(bytes(body))).signature
    assert "altered" in _refused(sent, resigned)


def test_a_file_of_the_unsigned_version_1_is_refused(sent: Sent) -> None:
    old = MAGIC_V1 + sent.content[len(MAGIC) :]
    assert "version 1, which is not signed" in _refused(sent, old)


def test_an_honest_file_imports_and_the_audit_names_its_signer(
    personas: Personas, sent: Sent
) -> None:
    fingerprint = _sender_key(personas).verify_key[:12]
    job = import_create(actor=sent.receiver, fmt="beyondreach", filename="f", content=sent.content)
    import_start(actor=sent.receiver, job=job)
    assert import_run(job.pk).created == 1

    for action in ("import.upload", "import.start"):
        event = AuditEvent.objects.get(action=action, organisation=sent.org)
        assert (event.detail["sender"], event.detail["sender_known"]) == (fingerprint, "server")


def test_an_admin_confirms_an_unknown_sender_and_may_trust_it(
    personas: Personas, sent: Sent
) -> None:
    stranger = SigningKey.generate()
    forged = b"".join(encrypt([_plain(sent)], sent.recipient, stranger))
    first = import_create(actor=sent.receiver, fmt="beyondreach", filename="f", content=forged)

    import_start(actor=sent.receiver, job=first, trust_as="  Exile  Voice ")
    assert import_run(first.pk).created == 1
    started = AuditEvent.objects.get(action="import.start", organisation=sent.org)
    fingerprint = base64.b64encode(bytes(stranger.verify_key)).decode()[:12]
    assert started.detail == {
        "format": "beyondreach",
        "rows": 1,
        "sender": fingerprint,
        "sender_known": "partner, saved now",
    }
    assert TrustedSender.objects.get(organisation=sent.org).name == "Exile Voice"

    # Its next file is known: a case worker imports it without an admin.
    again = b"".join(encrypt([_plain(sent)], sent.recipient, stranger))
    second = import_create(actor=personas.outsider, fmt="beyondreach", filename="f", content=again)
    import_start(actor=personas.outsider, job=second)
    assert import_run(second.pk).unchanged == 1


def test_only_an_admin_trusts_a_sender(personas: Personas, sent: Sent) -> None:
    forged = b"".join(encrypt([_plain(sent)], sent.recipient, SigningKey.generate()))
    job = import_create(actor=personas.outsider, fmt="beyondreach", filename="f", content=forged)
    with pytest.raises(PermissionDeniedError):
        import_start(actor=personas.outsider, job=job, trust_as="Anyone")
    assert not TrustedSender.objects.exists()


def test_a_key_made_before_files_were_signed_gets_a_signing_key_once(sent: Sent) -> None:
    TransferKey.objects.filter(organisation=sent.org).update(verify_key="", signing_key_sealed=b"")
    key = transfer_key_current(sent.org)
    assert key is not None and len(key.verify_key) == 44 and key.signing_key
    again = transfer_key_current(sent.org)
    assert again is not None and again.exchange == key.exchange
    assert key.exchange.startswith(key.public_key + ":")


def _stranger_file(sent: Sent) -> bytes:
    return b"".join(encrypt([_plain(sent)], sent.recipient, SigningKey.generate()))


def test_the_plan_page_asks_an_admin_to_confirm_an_unknown_sender(
    personas: Personas, sent: Sent
) -> None:
    job = import_create(
        actor=sent.receiver, fmt="beyondreach", filename="f", content=_stranger_file(sent)
    )
    client = verified_client(sent.receiver)
    page = client.get(f"/imports/{job.uuid}/").content.decode()
    assert "does not know" in page and 'name="unknown_sender"' in page
    worker_page = verified_client(personas.outsider).get(f"/imports/{job.uuid}/")
    assert "Only an admin can import" in worker_page.content.decode()

    refused = client.post(f"/imports/{job.uuid}/", {"action": "start"})
    assert refused.status_code == 400 and "does not know" in refused.content.decode()
    started = client.post(f"/imports/{job.uuid}/", {"action": "start", "unknown_sender": "yes"})
    assert started.status_code == 302
    job.refresh_from_db()
    assert job.status == "queued"


def test_the_plan_page_names_a_known_sender(personas: Personas, sent: Sent) -> None:
    job = import_create(actor=sent.receiver, fmt="beyondreach", filename="f", content=sent.content)
    page = verified_client(sent.receiver).get(f"/imports/{job.uuid}/").content.decode()
    assert personas.org.name in page and "an organisation of this server" in page
    assert 'name="unknown_sender"' not in page
    listed = verified_client(sent.receiver).get("/imports/").content.decode()
    assert transfer_key_current(sent.org).exchange in listed  # type: ignore[union-attr]


def test_the_api_needs_the_unknown_sender_flag(sent: Sent) -> None:
    client = Client(headers=bearer(api_token_create(user=sent.receiver, label="test")))

    def post(**extra: str) -> tuple[int, dict[str, object]]:
        upload = io.BytesIO(_stranger_file(sent))
        upload.name = "records.brx"
        answer = client.post("/api/v1/imports", {"format": "beyondreach", "file": upload, **extra})
        return answer.status_code, answer.json()

    status, body = post()
    assert status == 422 and "unknown_sender" in str(body)
    status, body = post(unknown_sender="true")
    assert status == 201
    sender = body["sender"]
    assert (
        isinstance(sender, dict) and sender["known"] is False and len(sender["fingerprint"]) == 12
    )


def test_the_command_line_exchanges_keys_and_checks_the_sender(
    personas: Personas, sent: Sent, tmp_path: Path
) -> None:
    path = tmp_path / "records.brx"
    stranger = SigningKey.generate()
    path.write_bytes(b"".join(encrypt([_plain(sent)], sent.recipient, stranger)))
    org = sent.org.name
    base = ["import", "--org", org, "--format", "beyondreach", str(path)]
    assert main(base) == 1  # unknown: refused without the flag
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([*base, "--unknown-sender"]) == 0
    assert "UNKNOWN sender" in out.getvalue()

    verify = base64.b64encode(bytes(stranger.verify_key)).decode()
    with redirect_stdout(io.StringIO()):
        assert (
            main(["transfer-key", "--org", org, "--trust", f"{'A' * 43}=:{verify}", "--name", "EV"])
            == 0
        )
    assert TrustedSender.objects.get(organisation=sent.org).verify_key == verify
    with redirect_stdout(out):
        assert main(["transfer-key", "--org", org]) == 0
    assert out.getvalue().strip().endswith(transfer_key_current(sent.org).exchange)  # type: ignore[union-attr]
