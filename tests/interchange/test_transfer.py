"""The `beyondreach` transfer format: an organisation's records, every field, their files and
their history, exported encrypted to another organisation's transfer key and imported there
as the same records (field by field, but for ids); refused whole, writing nothing, when the
key is another's or the file was altered or cut; never any plaintext in the file."""

from __future__ import annotations

import io
import itertools
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from hypothesis import HealthCheck, given, settings
from nacl.signing import SigningKey

from beyondreach.cases import models as m
from beyondreach.cases.names import blind
from beyondreach.cases.selectors import IncidentFilters, record_history
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.cli import main
from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import AuditEvent, Organisation, User
from beyondreach.core.sealed import org_keys
from beyondreach.core.services import api_token_create, organisation_create, user_create
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.imports import import_create, import_plan, import_run, import_start
from beyondreach.interchange.models import ImportedRecord, ImportJob, TransferKey
from beyondreach.interchange.transfer import (
    MAGIC,
    TransferFileError,
    decrypt,
    transfer_key_create,
)
from beyondreach.interchange.transfer_import import private_keys

from ..api.conftest import bearer
from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas, verified_client
from .export_cases import CANARY, SECRETS, rich_incident
from .transfer_builders import Plan, plans, record, whole

_names = itertools.count()


def _org(prefix: str) -> tuple[Organisation, User]:
    n = next(_names)
    org = organisation_create(name=f"{prefix} {n}")
    admin = user_create(
        organisation=org, username=f"{prefix}_admin_{n}", password=PASSWORD, role="admin"
    )
    return org, admin


def _export(admin: User, to: str) -> bytes:
    found = export_incidents(viewer=admin, filters=IncidentFilters(), format="beyondreach", to=to)
    return b"".join(found.chunks)


def _import(admin: User, content: bytes) -> ImportJob:
    job = import_create(actor=admin, fmt="beyondreach", filename="records.brx", content=content)
    import_start(actor=admin, job=job)
    return import_run(job.pk)


def _counterpart(incident: m.Incident, org: Organisation) -> m.Incident:
    key = blind(org_keys(org.pk).index, f"beyondreach\x1f{incident.uuid}")
    return ImportedRecord.objects.get(organisation=org, external_key=key).incident


def _records(org: Organisation) -> tuple[int, int, int]:
    return (
        m.Incident.objects.filter(organisation=org).count(),
        m.Person.objects.filter(organisation=org).count(),
        m.TargetedOrganisation.objects.filter(organisation=org).count(),
    )


def _named(org: Organisation) -> tuple[int, int, int]:
    """Incidents, and the persons and organisations they name (an edit can leave some that
    no incident names any more: those stay with the sender)."""
    targets = m.IncidentTarget.objects.filter(organisation=org)
    named = m.IncidentOrganisation.objects.filter(organisation=org)
    return (
        m.Incident.objects.filter(organisation=org).count(),
        targets.values("person").distinct().count(),
        named.values("target").distinct().count(),
    )


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(plan=plans())
def test_an_export_imported_into_an_empty_organisation_gives_back_the_same_records(
    plan: Plan,
) -> None:
    sender, sender_admin = _org("Sender")
    receiver, receiver_admin = _org("Receiver")
    made = record(sender_admin, plan)
    key = transfer_key_create(actor=receiver_admin, organisation=receiver)

    job = _import(receiver_admin, _export(sender_admin, key.public_key))

    assert (job.status, job.created, job.rejected) == ("done", len(made), 0)
    # One person in several incidents is one person there too; nothing else is made.
    assert _named(receiver) == _named(sender)
    assert _records(receiver) == _named(receiver)
    for incident in made:
        incident = m.Incident.objects.get(pk=incident.pk)
        assert whole(_counterpart(incident, receiver)) == whole(incident)


def test_a_person_in_two_incidents_stays_one_person(personas: Personas) -> None:
    _, receiver_admin = personas.other_org, _admin_of(personas.other_org)
    first = incident_create(actor=personas.admin, data=incident_data())
    person = first.targets.order_by("id").first()
    assert person is not None
    second = incident_data(targets=[incident_data().targets[1]])
    second.targets.append(type(second.targets[0])(role="primary", person_uuid=person.person.uuid))
    incident_create(actor=personas.admin, data=second)
    key = transfer_key_create(actor=receiver_admin, organisation=personas.other_org)

    content = _export(personas.admin, key.public_key)
    job = import_create(actor=receiver_admin, fmt="beyondreach", filename="f", content=content)
    plan = import_plan(job)
    assert (plan.count("create"), plan.linked()) == (2, 1)
    import_start(actor=receiver_admin, job=job)
    import_run(job.pk)

    persons = m.Person.objects.filter(organisation=personas.other_org)
    assert persons.count() == 3
    assert max(p.targetings.count() for p in persons) == 2


def _admin_of(org: Organisation) -> User:
    return user_create(
        organisation=org, username=f"admin_{org.pk}", password=PASSWORD, role="admin"
    )


@pytest.fixture
def sent(personas: Personas) -> tuple[bytes, User]:
    """A file of the rich incident (canaries in every identifying field), for the other org."""
    rich_incident(personas.admin)
    receiver_admin = _admin_of(personas.other_org)
    key = transfer_key_create(actor=receiver_admin, organisation=personas.other_org)
    return _export(personas.admin, key.public_key), receiver_admin


def test_the_file_holds_no_plaintext(sent: tuple[bytes, User]) -> None:
    content, _ = sent
    assert content.startswith(MAGIC)
    assert CANARY.encode() not in content
    for value in SECRETS.values():
        assert value.encode() not in content
    assert b"beyondreach" not in content.lower().replace(b"beyondreach-transfer", b"")


def test_importing_the_same_file_again_changes_nothing(sent: tuple[bytes, User]) -> None:
    content, admin = sent
    first = _import(admin, content)
    before = _records(admin.organisation)  # type: ignore[arg-type]
    again = _import(admin, content)
    assert (first.created, again.created, again.unchanged) == (1, 0, 1)
    assert _records(admin.organisation) == before  # type: ignore[arg-type]


def test_the_history_comes_marked_as_imported(sent: tuple[bytes, User]) -> None:
    content, admin = sent
    _import(admin, content)
    incident = m.Incident.objects.get(organisation=admin.organisation)
    versions = m.RecordVersion.objects.filter(record_uuid=incident.uuid)
    assert [(v.version, v.action, v.actor) for v in versions] == [(1, "imported.create", None)]
    assert SECRETS["title"] in versions[0].snapshot
    assert str(incident.uuid) in versions[0].snapshot  # the sender's id replaced by this one's
    [entry] = record_history(admin, incident.uuid)
    assert entry.action == "Created (imported from another organisation)"


def test_a_file_for_another_key_is_refused_and_writes_nothing(personas: Personas) -> None:
    rich_incident(personas.admin)
    third, third_admin = _org("Third")
    key = transfer_key_create(actor=third_admin, organisation=third)
    content = _export(personas.admin, key.public_key)
    receiver_admin = _admin_of(personas.other_org)
    transfer_key_create(actor=receiver_admin, organisation=personas.other_org)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidInputError) as refused:
        import_create(actor=receiver_admin, fmt="beyondreach", filename="f", content=content)

    assert "encrypted to another key" in refused.value.errors["file"][0]
    assert ImportJob.objects.count() == 0
    assert _records(personas.other_org) == (0, 0, 0)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("damage", ["flipped", "cut", "chunk dropped", "appended"])
def test_an_altered_or_cut_file_is_refused_and_writes_nothing(
    sent: tuple[bytes, User], damage: str
) -> None:
    content, admin = sent
    middle = len(content) // 2
    damaged = {
        "flipped": content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :],
        "cut": content[:-10],
        "chunk dropped": content[: len(content) - 30],
        "appended": content + b"\x00\x00\x00\x00",
    }[damage]
    with pytest.raises(InvalidInputError) as refused:
        import_create(actor=admin, fmt="beyondreach", filename="f", content=damaged)
    assert any(w in refused.value.errors["file"][0] for w in ("altered", "cut short"))
    assert ImportJob.objects.count() == 0
    assert _records(admin.organisation) == (0, 0, 0)  # type: ignore[arg-type]


def test_many_chunks_stream_and_a_reordered_chunk_is_refused(personas: Personas) -> None:
    from beyondreach.interchange.transfer import CHUNK, encrypt, signed_body

    key = transfer_key_create(actor=_admin_of(personas.other_org), organisation=personas.other_org)
    recipient = __import__("base64").b64decode(key.public_key)
    signing = SigningKey.generate()
    plain = [bytes([i % 251]) * 1000 for i in range(200)]  # about three chunks
    pieces = list(encrypt(plain, recipient, signing))
    assert len(pieces) == 1 + -(-200_000 // CHUNK) + 1  # the preamble, chunks, the signature
    keys = private_keys(personas.other_org.pk)
    assert b"".join(decrypt(b"".join(pieces), keys)) == b"".join(plain)
    # Reordered by the holder of the signing key itself, signed again: the chunks refuse it.
    swapped = pieces[0] + pieces[2] + pieces[1] + b"".join(pieces[3:-1])
    swapped += signing.sign(signed_body(swapped)).signature
    with pytest.raises(TransferFileError, match="altered"):
        list(decrypt(swapped, keys))


def test_a_retired_key_still_opens_the_files_made_for_it(personas: Personas) -> None:
    rich_incident(personas.admin)
    admin = _admin_of(personas.other_org)
    old = transfer_key_create(actor=admin, organisation=personas.other_org)
    content = _export(personas.admin, old.public_key)
    transfer_key_create(actor=admin, organisation=personas.other_org)
    assert TransferKey.objects.filter(organisation=personas.other_org, retired_at=None).count() == 1
    assert _import(admin, content).created == 1


def test_only_admins_export_a_transfer_file(personas: Personas) -> None:
    key = transfer_key_create(actor=_admin_of(personas.other_org), organisation=personas.other_org)
    for user in (personas.case_worker, personas.analyst):
        with pytest.raises(PermissionDeniedError):
            export_incidents(
                viewer=user, filters=IncidentFilters(), format="beyondreach", to=key.public_key
            )
    with pytest.raises(InvalidInputError):
        export_incidents(viewer=personas.admin, filters=IncidentFilters(), format="beyondreach")
    with pytest.raises(PermissionDeniedError):
        transfer_key_create(actor=personas.admin, organisation=personas.other_org)


def test_the_export_is_audited_with_the_key_it_was_made_for(personas: Personas) -> None:
    key = transfer_key_create(actor=_admin_of(personas.other_org), organisation=personas.other_org)
    _export(personas.admin, personas.other_org.name)  # by the name of an organisation here
    event = AuditEvent.objects.filter(organisation=personas.org, action="incident.export").get()
    assert event.detail["format"] == "beyondreach"
    assert event.detail["to"] == key.public_key[:12]
    sender = TransferKey.objects.get(organisation=personas.org)  # made for its first export
    assert event.detail["signed_by"] == sender.verify_key[:12]


def _api(user: User) -> Client:
    return Client(headers=bearer(api_token_create(user=user, label="test")))


def test_the_api_refuses_a_case_worker_and_serves_an_admin(personas: Personas) -> None:
    key = transfer_key_create(actor=_admin_of(personas.other_org), organisation=personas.other_org)
    query = {"format": "beyondreach", "to": key.public_key}
    assert _api(personas.case_worker).get("/api/v1/exports", query).status_code == 403
    answer = _api(personas.admin).get("/api/v1/exports", query)
    assert answer.status_code == 200
    assert isinstance(answer, StreamingHttpResponse)
    assert answer.getvalue().startswith(MAGIC)
    no_key = _api(personas.admin).get("/api/v1/exports", {"format": "beyondreach"})
    assert no_key.status_code == 422


def test_the_import_api_says_why_a_file_is_refused(personas: Personas) -> None:
    admin = _admin_of(personas.other_org)
    transfer_key_create(actor=admin, organisation=personas.other_org)
    upload = io.BytesIO(MAGIC + b"\x00" * 400)
    upload.name = "records.brx"
    answer = _api(admin).post("/api/v1/imports", {"format": "beyondreach", "file": upload})
    assert answer.status_code == 422
    assert "another key" in answer.content.decode()


def test_the_command_line_moves_records_between_organisations(
    personas: Personas, tmp_path: Path
) -> None:
    rich_incident(personas.admin)
    _admin_of(personas.other_org)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["transfer-key", "--org", personas.other_org.name]) == 0
    public = out.getvalue().strip()
    path = tmp_path / "records.brx"
    base = ["export", "--org", personas.org.name, "--format", "beyondreach"]
    assert main([*base, "--to", public, "-o", str(path)]) == 0
    assert CANARY.encode() not in path.read_bytes()
    assert (
        main(
            [
                "import",
                "--org",
                personas.other_org.name,
                "--format",
                "beyondreach",
                "--dry-run",
                str(path),
            ]
        )
        == 0
    )
    assert _records(personas.other_org) == (0, 0, 0)
    assert (
        main(["import", "--org", personas.other_org.name, "--format", "beyondreach", str(path)])
        == 0
    )
    assert _records(personas.other_org) == _records(personas.org)
    assert main([*base, "--to", "not a key"]) == 1


def test_the_export_page_offers_a_transfer_file_to_admins_only(personas: Personas) -> None:
    admin_page = verified_client(personas.admin).get("/exports/").content.decode()
    assert 'value="beyondreach"' in admin_page and 'name="to"' in admin_page
    for user in (personas.case_worker, personas.analyst):
        page = verified_client(user).get("/exports/").content.decode()
        assert 'value="beyondreach"' not in page and 'name="to"' not in page
    refused = verified_client(personas.case_worker).get(
        "/exports/file/", {"format": "beyondreach", "to": personas.other_org.name}
    )
    assert refused.status_code == 400


def test_the_export_page_asks_for_a_key_it_can_use(personas: Personas) -> None:
    client = verified_client(personas.admin)
    for to, why in (("", "Give the receiving"), ("Nobody", "No transfer key")):
        answer = client.get("/exports/file/", {"format": "beyondreach", "to": to})
        assert answer.status_code == 400
        assert why in answer.content.decode()


def test_a_transfer_import_has_no_rejected_rows_file(sent: tuple[bytes, User]) -> None:
    content, admin = sent
    job = import_create(actor=admin, fmt="beyondreach", filename="f", content=content)
    client = verified_client(admin)
    page = client.get(f"/imports/{job.uuid}/")
    assert page.status_code == 200 and "nothing to map" in page.content.decode()
    assert client.get(f"/imports/{job.uuid}/rejected.csv").status_code == 404
    assert admin.organisation is not None
    listed = client.get("/imports/").content.decode()
    assert TransferKey.objects.get(organisation=admin.organisation).public_key in listed


def test_a_later_export_updates_what_changed(personas: Personas) -> None:
    incident = rich_incident(personas.admin)
    admin = _admin_of(personas.other_org)
    key = transfer_key_create(actor=admin, organisation=personas.other_org).public_key
    _import(admin, _export(personas.admin, key))
    edited = incident_data(title="Renamed by the sender")
    edited.targets = [
        type(edited.targets[0])(role="primary", person_uuid=t.person.uuid)
        for t in incident.targets.select_related("person").order_by("id")
    ]
    incident_update(actor=personas.admin, incident=incident, data=edited)

    job = _import(admin, _export(personas.admin, key))

    assert (job.created, job.updated, job.unchanged) == (0, 1, 0)
    moved = _counterpart(incident, personas.other_org)
    assert moved.title == "Renamed by the sender"
    last = m.RecordVersion.objects.filter(record_uuid=moved.uuid).order_by("-version").first()
    assert last is not None and (last.version, last.action) == (2, "imported.update")
    assert m.Person.objects.filter(organisation=personas.other_org).count() == 2
