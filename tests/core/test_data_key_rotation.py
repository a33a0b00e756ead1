"""Rotating one organisation's data key: every record reads the same, nothing opens with the
old key, the other organisation is untouched, and a failure changes nothing.

The sealed fields are found here by walking the models, independently of the rotation's own
discovery, and read back through the application's own paths (the `Sealed` attributes, the
document service, the proof of submission), so a field the rotation forgot shows up as a
record that no longer reads.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from beyondreach.accountability import perpetrator_models as pm
from beyondreach.accountability.dossier import DossierData, dossier_save
from beyondreach.accountability.perpetrators import (
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
    perpetrator_create,
    perpetrator_ids_matching,
    perpetrator_link,
)
from beyondreach.accountability.services import (
    CaseData,
    DesignationData,
    designation_create,
    interpol_case_create,
    national_step_add,
)
from beyondreach.alerts.services import (
    DeadlineData,
    FocalPointData,
    deadline_create,
    focal_point_create,
)
from beyondreach.cases import models as m
from beyondreach.cases.documents import incident_document_add, incident_document_open
from beyondreach.cases.export import pseudonym
from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    NameData,
    OrganisationData,
    PersonData,
    ResponseData,
    TargetData,
)
from beyondreach.cases.selectors import person_ids_matching
from beyondreach.cases.services import incident_create
from beyondreach.cli import main
from beyondreach.core import crypto, rotation
from beyondreach.core.attachments import prepare_attachment
from beyondreach.core.audit import audit_verify
from beyondreach.core.errors import DecryptionError
from beyondreach.core.models import AuditEvent, Organisation
from beyondreach.core.rotation import data_key_rotate, sealed_columns
from beyondreach.core.sealed import Sealed, forget_wrapped_keys
from beyondreach.interchange.imports import import_create, import_run, import_start
from beyondreach.interchange.transfer import transfer_key_create
from beyondreach.interchange.transfer_trust import trusted_sender_save
from beyondreach.referrals.services import (
    BodyData,
    OutcomeData,
    protection_body_create,
    referral_record_outcome,
    referral_send,
)
from beyondreach.reports.models import Report, ReportingChannel
from beyondreach.reports.services import (
    channel_open,
    member_key_create,
    report_proof,
    report_submit,
)
from beyondreach.screening.lists import ParsedEntity, entities_store
from beyondreach.screening.models import PublicList
from beyondreach.screening.services import screening_run

from ..cases.factories import incident_data
from ..conftest import Personas

# Sealed to the reporting channel's X25519 key or to members' keys, never to the data key.
SEALED_TO_OTHER_KEYS = {
    "reports.report.content_sealed",
    "reports.reportfile.manifest_sealed",
    "reports.reportfile.original_sealed",
    "reports.reportfile.clean_sealed",
    "reports.keygrant.private_key_sealed",
    # Sealed under a key from the report form's one-off token (reports/services.py), which
    # the server never keeps; erased once the reporter has seen the receipt.
    "reports.report.submission_codename_sealed",
}
Key = tuple[str, str, str]  # (model label, column, row uuid)


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(data, "PNG")
    return data.getvalue()


def _incident(personas: Personas) -> m.Incident:
    primary = PersonData(
        names=[NameData("Gulnara Tokhtieva", "Latn"), NameData("Гульнара Тохтиева", "Cyrl")],
        birth_date="1984-03-02",
        contact="+90 555 010 0101",
        risk_notes="Moves flat every month.",
    )
    return incident_create(
        actor=personas.case_worker,
        data=incident_data(
            place="Kadikoy",
            coordinates="41.0,29.0",
            verification_override="disputed",
            verification_reason="The consulate denies it.",
            scope="borderline",
            scope_reason="The host police acted on their own initiative.",
            targets=[TargetData(role="primary", target_group="journalist", person=primary)],
            actors=[ActorData(role="perpetrator", actor_type="police", name="Officer Li")],
            groups=[GroupData(size=12, description="Students of one faculty")],
            organisations=[OrganisationData(name="Exile Voice Radio", kind="media_outlet")],
            responses=[ResponseData(kind="referral", description="Sent to the Rapporteur.")],
        ),
    )


@dataclass
class World:
    personas: Personas
    incident: m.Incident
    primary: m.Person
    document: m.IncidentDocument
    other_incident: m.Incident


@pytest.fixture
def world(personas: Personas) -> World:
    """A record in every model that holds sealed values, made through the real services."""
    incident = _incident(personas)
    document = incident_document_add(
        actor=personas.case_worker,
        incident=incident,
        attachment=prepare_attachment("summons.png", _png()),
    )
    focal_point_create(
        actor=personas.admin,
        data=FocalPointData(
            name="Asylum unit", email="unit@interior.example", webhook_url="https://x.example/h"
        ),
    )
    deadline_create(
        actor=personas.case_worker,
        incident=incident,
        data=DeadlineData(
            kind="appeal", due_on=timezone.localdate() + timedelta(days=9), note="CCF"
        ),
    )
    body = protection_body_create(
        actor=personas.admin,
        data=BodyData(kind="relocation", name="Shelter City", email="shelter@protect.example"),
    )
    referral = referral_send(actor=personas.case_worker, incident=incident, body=body)
    referral_record_outcome(
        actor=personas.case_worker, referral=referral, data=OutcomeData(outcome="Relocated.")
    )
    member_key_create(user=personas.admin, passphrase="admin reporting passphrase")
    channel, _ = channel_open(actor=personas.admin, slug="safeguard")
    report_submit(
        channel=channel, language="en", answers={"what_happened": "Followed"}, attachments=[]
    )
    sheet = b"incident_id,year,origin_country,tactic,target_name\nI-1,2099,China,Assault,Aygul\n"
    job = import_create(actor=personas.case_worker, fmt="csv", filename="m.csv", content=sheet)
    import_start(actor=personas.case_worker, job=job)
    import_run(job.pk)  # its one row rejected (2099 is to come): the errors are sealed too
    transfer_key_create(actor=personas.admin, organisation=personas.org)  # and its signing key
    trusted_sender_save(actor=personas.admin, key=f"{'A' * 43}=", name="Exile Voice Radio")
    notices = PublicList.objects.create(name="red", sha256="-", loaded_at=timezone.now())
    name = "Гульнара Тохтиева"
    entities_store(notices, [ParsedEntity("red-1", "Person", name, [name], [], [], [], [])])
    assert screening_run(organisation=personas.org).new_matches  # a sealed ScreeningMatch
    case = interpol_case_create(
        actor=personas.case_worker,
        person=incident.targets.get(role="primary").person,
        data=CaseData(
            kind="red_notice",
            issuing_state="CN",
            incident_uuids=[incident.uuid],
            reference="A-1/2024",
            charge="Separatism",
        ),
    )
    national_step_add(
        actor=personas.case_worker, case=case, country="TR", kind="arrest", on=None, note="Held"
    )
    designation_create(
        actor=personas.case_worker,
        person=incident.targets.get(role="primary").person,
        data=DesignationData(
            listing_state="TR", incident_uuids=[incident.uuid], grounds="Terrorism financing"
        ),
    )
    perpetrator = perpetrator_create(
        actor=personas.case_worker,
        data=PerpetratorData(
            kind="official",
            state="CN",
            names=[PerpetratorNameData("Li Wei", "Latn"), PerpetratorNameData("李伟", "Hans")],
            position="Deputy head of the Urumqi police",
            birth_date="1970",
            notes="Seen at the consulate.",
        ),
    )
    perpetrator_link(
        actor=personas.case_worker,
        perpetrator=perpetrator,
        data=LinkData(
            incident_uuid=incident.uuid,
            role="perpetrator",
            evidence="Named by the witness.",
            source_uuids=[incident.sources.all()[0].uuid],
        ),
    )
    dossier_save(
        actor=personas.case_worker,
        perpetrator=perpetrator,
        data=DossierData(
            legal_basis="eu_ghrsr",
            link_to_case="We represent her.",
            impact="In hiding.",
            exculpatory="He denies it.",
        ),
    )
    # A namesake set aside: made as the service makes it, without a list entity to match.
    decision = pm.PerpetratorListDecision(
        organisation=personas.org, perpetrator=perpetrator, list_name="red", decision="not_match"
    )
    decision.entity_ref = "red-1"
    decision.save()
    other = incident_create(actor=personas.outsider, data=incident_data())
    return World(
        personas=personas,
        incident=incident,
        primary=incident.targets.get(role="primary").person,
        document=document,
        other_incident=other,
    )


# --- Reading everything, independently of the rotation module -----------------------------


def _sealed_attributes() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        names = {n for k in model.__mro__ for n, v in vars(k).items() if isinstance(v, Sealed)}
        found += [(model, name) for name in sorted(names)]
    return found


def _data_key_columns() -> list[tuple[type[models.Model], str]]:
    """Every `*_sealed` BinaryField of every model, except those sealed to other keys."""
    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.BinaryField) and f.name.endswith("_sealed")
        if f"{model._meta.label_lower}.{f.name}" not in SEALED_TO_OTHER_KEYS
    ]


def _rows(model: type[models.Model], org: Organisation) -> list[Any]:
    return list(model._default_manager.filter(organisation_id=org.pk).order_by("pk"))


def _plaintexts(world: World, org: Organisation) -> dict[Key, object]:
    """What the application reads for every sealed value of the organisation."""
    forget_wrapped_keys()
    read: dict[Key, object] = {}
    for model, name in _sealed_attributes():
        for row in _rows(model, org):
            read[(model._meta.label_lower, name, str(row.uuid))] = getattr(row, name)
    worker = world.personas.case_worker if org == world.personas.org else world.personas.outsider
    for doc in _rows(m.IncidentDocument, org):
        for clean in (True, False):
            opened = incident_document_open(actor=worker, doc=doc, clean=clean)
            read[("cases.incidentdocument", f"clean={clean}", str(doc.uuid))] = opened.data
    for report in Report.objects.filter(organisation=org):
        read[("reports.report", "proof", str(report.uuid))] = report_proof(report)
    return read


def _ciphertexts(org: Organisation) -> dict[Key, bytes]:
    """The raw stored bytes of every non-empty data-key column of the organisation."""
    raw: dict[Key, bytes] = {}
    for model, column in _data_key_columns():
        for row in _rows(model, org):
            blob = bytes(getattr(row, column) or b"")
            if blob:
                raw[(model._meta.label_lower, column, str(row.uuid))] = blob
    return raw


def _aad(label: str, column: str, row_uuid: str) -> bytes:
    field_name = column.removesuffix("_sealed")
    if label == "reports.reportingchannel":  # the channel's own layout (reports/services.py)
        return f"reportingchannel.{field_name}:{row_uuid}".encode()
    return f"{label}.{field_name}:{row_uuid}".encode()


def _tokens(org: Organisation) -> list[tuple[int, str]]:
    persons = m.NameToken.objects.filter(organisation=org).values_list("person_id", "digest")
    perpetrators = pm.PerpetratorNameToken.objects.filter(organisation=org).values_list(
        "perpetrator_id", "digest"
    )
    return sorted([*persons, *((-pk, d) for pk, d in perpetrators)])


def _keys(org: Organisation) -> crypto.OrgKeys:
    org.refresh_from_db()
    return org.keys


# --- Tests --------------------------------------------------------------------------------


def test_the_world_holds_a_value_in_every_sealed_column(world: World) -> None:
    raw = _ciphertexts(world.personas.org)
    missing = {
        f"{model._meta.label_lower}.{column}"
        for model, column in _data_key_columns()
        if not any(k[:2] == (model._meta.label_lower, column) for k in raw)
    }
    assert not missing, "add a record with these columns to the fixture"


def test_it_rotates_every_column_sealed_with_a_data_key(db: None) -> None:
    rotated = {
        f"{model._meta.label_lower}.{c.column}"
        for model, columns in sealed_columns().items()
        for c in columns
    }
    assert rotated == {f"{model._meta.label_lower}.{c}" for model, c in _data_key_columns()}


def test_every_record_reads_the_same_after_rotation(world: World) -> None:
    org = world.personas.org
    before = _plaintexts(world, org)
    result = data_key_rotate(organisation=org)
    assert _plaintexts(world, org) == before
    assert result.records["cases.incident"] == 1
    assert result.records["cases.personname"] == 2
    assert result.records["reports.reportingchannel"] == 1
    assert result.values == len(_ciphertexts(org))


def test_it_works_through_many_small_pages(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(2):
        incident = _incident(world.personas)
        incident_document_add(
            actor=world.personas.case_worker,
            incident=incident,
            attachment=prepare_attachment("photo.png", _png()),
        )
    monkeypatch.setattr(rotation, "BATCH_ROWS", 2)
    monkeypatch.setattr(rotation, "BATCH_FILES", 1)
    org = world.personas.org
    before, tokens = _plaintexts(world, org), _tokens(org)
    result = data_key_rotate(organisation=org)
    assert result.records["cases.incident"] == 3
    assert result.records["cases.incidentdocument"] == 3
    assert _plaintexts(world, org) == before
    assert len(_tokens(org)) == len(tokens)
    assert person_ids_matching(world.personas.case_worker, "Гульнара") == sorted(
        m.Person.objects.filter(organisation=org).values_list("pk", flat=True)
    )


def test_its_queries_grow_with_pages_not_records(world: World) -> None:
    with CaptureQueriesContext(connection) as one:
        data_key_rotate(organisation=world.personas.org)
    for _ in range(3):
        _incident(world.personas)
    with CaptureQueriesContext(connection) as four:
        data_key_rotate(organisation=world.personas.org)
    assert len(four) == len(one)


def test_a_name_search_still_finds_the_person_across_scripts(world: World) -> None:
    data_key_rotate(organisation=world.personas.org)
    for query in ("Гульнара", "gulnara", "Gulnora Tokhtieva"):
        assert person_ids_matching(world.personas.case_worker, query) == [world.primary.pk]


def test_a_perpetrator_is_still_found_by_name_in_either_script(world: World) -> None:
    before = perpetrator_ids_matching(world.personas.case_worker, "李伟")
    assert len(before) == 1
    data_key_rotate(organisation=world.personas.org)
    for query in ("李伟", "Li Wei"):
        assert perpetrator_ids_matching(world.personas.case_worker, query) == before


def test_the_index_is_rebuilt_under_the_new_key(world: World) -> None:
    org = world.personas.org
    before = _tokens(org)
    data_key_rotate(organisation=org)
    after = _tokens(org)
    assert len(after) == len(before)
    assert {p for p, _ in after} == {p for p, _ in before}
    assert not {d for _, d in after} & {d for _, d in before}


def test_no_ciphertext_is_left_that_the_old_key_opens(world: World) -> None:
    org = world.personas.org
    old, before = _keys(org), _ciphertexts(org)
    data_key_rotate(organisation=org)
    new, after = _keys(org), _ciphertexts(org)
    assert after.keys() == before.keys()
    for where, blob in after.items():
        assert blob != before[where], where
        with pytest.raises(DecryptionError):
            crypto.unseal(old.data, blob, _aad(*where))
        crypto.unseal(new.data, blob, _aad(*where))  # the right associated data, the new key


def test_pseudonyms_change_with_the_key(world: World) -> None:
    other = world.other_incident.targets.get(role="primary").person
    mine, theirs = pseudonym(world.primary), pseudonym(other)
    data_key_rotate(organisation=world.personas.org)
    forget_wrapped_keys()
    assert pseudonym(world.primary) != mine
    assert pseudonym(other) == theirs


def test_the_other_organisation_is_untouched(world: World) -> None:
    other = world.personas.other_org
    wrapped, raw, tokens = bytes(other.wrapped_data_key), _ciphertexts(other), _tokens(other)
    read = _plaintexts(world, other)
    data_key_rotate(organisation=world.personas.org)
    other.refresh_from_db()
    assert bytes(other.wrapped_data_key) == wrapped
    assert _ciphertexts(other) == raw
    assert _tokens(other) == tokens
    assert _plaintexts(world, other) == read


def test_it_writes_an_audit_event_with_counts_only(world: World) -> None:
    result = data_key_rotate(organisation=world.personas.org)
    event = AuditEvent.objects.get(organisation=world.personas.org, action="data_key.rotate")
    assert event.actor is None
    assert event.record_id == world.personas.org.uuid
    assert event.detail == json.loads(json.dumps(result.detail()))
    assert "Gulnara" not in json.dumps(event.detail)
    assert audit_verify() == []


def test_a_value_that_does_not_open_leaves_everything_as_it_was(world: World) -> None:
    org = world.personas.org
    channel = ReportingChannel.objects.get(organisation=org)
    blob = bytearray(bytes(channel.signing_key_sealed))
    blob[30] ^= 1
    ReportingChannel.objects.filter(pk=channel.pk).update(signing_key_sealed=bytes(blob))
    wrapped, raw, tokens = bytes(org.wrapped_data_key), _ciphertexts(org), _tokens(org)
    # The channel's key is the last value re-sealed: everything else was re-sealed first.
    with pytest.raises(
        DecryptionError, match=f"reports.reportingchannel.signing_key of {channel.uuid}"
    ):
        data_key_rotate(organisation=org)
    org.refresh_from_db()
    assert bytes(org.wrapped_data_key) == wrapped
    assert _ciphertexts(org) == raw
    assert _tokens(org) == tokens
    assert not AuditEvent.objects.filter(action="data_key.rotate").exists()
    forget_wrapped_keys()
    for model, name in _sealed_attributes():
        for row in _rows(model, org):
            getattr(row, name)  # still opens with the old key
    doc = m.IncidentDocument.objects.get(pk=world.document.pk)
    incident_document_open(actor=world.personas.case_worker, doc=doc, clean=False)
    assert person_ids_matching(world.personas.case_worker, "Гульнара") == [world.primary.pk]


def test_the_command_rotates_by_name_or_uuid(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    org = world.personas.org
    before = _plaintexts(world, org)
    assert main(["rotate-data-key", "--org", "Safeguard Exiles"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Data key of Safeguard Exiles rotated: ")
    assert "  cases.incident: 1\n" in out
    assert "pseudonyms" in out
    assert main(["rotate-data-key", "--org", str(org.uuid)]) == 0
    assert _plaintexts(world, org) == before
    assert AuditEvent.objects.filter(organisation=org, action="data_key.rotate").count() == 2
    assert audit_verify() == []


def test_the_command_refuses_an_unknown_organisation(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    wrapped = bytes(personas.org.wrapped_data_key)
    assert main(["rotate-data-key", "--org", "Nobody"]) == 1
    assert capsys.readouterr().err == ("error: No organisation named 'Nobody' or with that UUID.\n")
    personas.org.refresh_from_db()
    assert bytes(personas.org.wrapped_data_key) == wrapped


def test_the_command_names_the_row_that_does_not_open(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = world.incident
    blob = bytearray(bytes(m.Incident.objects.get(pk=incident.pk).title_sealed))
    blob[30] ^= 1
    m.Incident.objects.filter(pk=incident.pk).update(title_sealed=bytes(blob))
    assert main(["rotate-data-key", "--org", "Safeguard Exiles"]) == 1
    assert capsys.readouterr().err == (
        f"error: Cannot read cases.incident.title of {incident.uuid}: "
        "Encrypted value failed authentication: it was altered.\n"
    )
    assert not AuditEvent.objects.filter(action="data_key.rotate").exists()
