"""Writing one incident of a `beyondreach` transfer file (transfer_import.py reads the file
and runs the import): the document turned into the services' inputs, its persons and
organisations made once (`ImportedPart`), its files added, its history carried over.

The history: each record's versions as the sender saved them, numbered as they were, their
action marked `imported.<action>` and their actor left empty (a user of another
organisation); in their snapshots the sender's UUIDs and pseudonyms of the records imported
are replaced by this organisation's. An incident imported before and changed since is
updated through `incident_update`, that version marked `imported.update`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import transaction

from beyondreach.cases import models as m
from beyondreach.cases.documents import incident_document_add
from beyondreach.cases.export import pseudonym
from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    IncidentData,
    MechanismData,
    NameData,
    OrganisationData,
    PersonData,
    ResponseData,
    SourceData,
    TargetData,
    incident_validate,
)
from beyondreach.cases.names import blind
from beyondreach.cases.services import (
    incident_create,
    incident_update,
    person_create,
    person_update,
)
from beyondreach.core.attachments.prepare import Attachment
from beyondreach.core.errors import InvalidInputError
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys
from beyondreach.interchange.models import ImportedPart, ImportedRecord, ImportJob
from beyondreach.interchange.rows import RowError

Doc = Mapping[str, Any]
# Wrong shapes a document of another version, or a damaged one, could have.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


# --- Keys of what was imported --------------------------------------------------------------


def part_key(org_id: int, kind: str, original: str) -> str:
    return blind(org_keys(org_id).index, f"beyondreach{kind}\x1f{original}")


def incident_key(org_id: int, doc: Doc) -> str:
    return part_key(org_id, "", str(doc["incident"]["id"]))


def digest_of(org_id: int, value: Any) -> str:
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return blind(org_keys(org_id).index, hashlib.sha256(text).hexdigest())


# --- From a document to inputs ---------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def person_data(p: Doc) -> PersonData:
    consent = p["consent"]
    return PersonData(
        names=[NameData(n["value"], n["script"], n["language"]) for n in p["names"]],
        birth_date=p["birth_date"],
        sex=p["sex"],
        nationalities=list(p["nationalities"]),
        residence_country=p["residence_country"],
        residence_status=p["residence_status"],
        statuses=list(p["statuses"]),
        contact=p["contact"],
        risk_notes=p["risk_notes"],
        consent_share_partners=bool(consent["share_partners"]),
        consent_share_authorities=bool(consent["share_authorities"]),
        consent_public_statistics=bool(consent["public_statistics"]),
    )


def incident_data(s: Doc, targets: list[TargetData], orgs: list[OrganisationData]) -> IncidentData:
    """The incident of snapshot `s`, with its targets and organisations resolved by the
    caller (a person or organisation of this organisation, or a new one)."""
    return IncidentData(
        title=s["title"],
        start_date=_date(s["start_date"]),  # None with the precision "unknown"
        start_precision=s["start_precision"],
        end_date=_date(s["end_date"]),
        end_precision=s["end_precision"],
        ongoing=bool(s["ongoing"]),
        origin_states=list(s["origin_states"]),
        host_countries=list(s["host_countries"]),
        host_reason=s["host_reason"],
        host_origin_confirmed=bool(s["host_origin_confirmed"]),
        tactics=list(s["tactics"]),
        narrative=s["narrative"],
        place=s["place"],
        coordinates=s["coordinates"],
        targets=targets,
        groups=[GroupData(**g) for g in s["groups"]],
        organisations=orgs,
        actors=[ActorData(**a) for a in s["actors"]],
        mechanisms=[
            MechanismData(
                **{**x, "issued_on": _date(x["issued_on"]), "status_on": _date(x["status_on"])}
            )
            for x in s["legal_mechanisms"]
        ],
        sources=[
            SourceData(
                **{k: v for k, v in x.items() if k != "id"},
            )
            for x in ({**x, "published_on": _date(x["published_on"])} for x in s["sources"])
        ],
        responses=[
            ResponseData(
                **{**r, "started_on": _date(r["started_on"]), "outcome_on": _date(r["outcome_on"])}
            )
            for r in s["responses"]
        ],
        tlp=s["tlp"],
        status=s["status"],
        due_date=_date(s["due_date"]),
        verification_override=s["verification"] if s["verification_overridden"] else "",
        verification_reason=s["verification_reason"] if s["verification_overridden"] else "",
        scope=s["scope"],
        scope_criteria=list(s["scope_criteria"]),
        scope_reason=s["scope_reason"],
    )


def _target(t: Doc, person_uuid: uuid.UUID | None, person: PersonData | None) -> TargetData:
    return TargetData(
        role=t["role"],
        person_uuid=person_uuid,
        person=person,
        target_group=t["target_group"],
        relation=t["relation"],
        member_of=t["member_of"],
    )


def _persons_by_id(doc: Doc) -> dict[str, Doc]:
    return {str(p["person"]["id"]): p for p in doc["persons"]}


def document_check(doc: Doc) -> None:
    """Raise InvalidInputError (or a MALFORMED error) if the document would not import."""
    persons = _persons_by_id(doc)
    s = doc["incident"]
    targets = [_target(t, None, person_data(persons[t["person"]]["person"])) for t in s["targets"]]
    orgs = [
        OrganisationData(name=o["name"], kind=o["kind"], country=o["country"])
        for o in s["organisations"]
    ]
    incident_validate(incident_data(s, targets, orgs))
    for d in doc["documents"]:
        base64.b64decode(d["original"], validate=True)
        base64.b64decode(d["clean"], validate=True)


def check_errors(number: int, doc: Doc) -> list[RowError]:
    """What is wrong with document `number` (1 for the first incident), as row errors: the
    path and why, never the value (it may be a name)."""
    try:
        document_check(doc)
    except InvalidInputError as exc:
        return [RowError(number, path, "", w) for path, ws in exc.errors.items() for w in ws]
    except MALFORMED as exc:
        why = f"Not a record this server reads ({type(exc).__name__})."
        return [RowError(number, "", "", why)]
    return []


# --- Writing ----------------------------------------------------------------------------------


@dataclass
class Written:
    """The sender's ids and pseudonyms of the records written, mapped to this organisation's,
    for the snapshots of the history."""

    ids: dict[str, str] = field(default_factory=dict)


def _remapped(value: Any, ids: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_remapped(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _remapped(v, ids) for k, v in value.items()}
    return value


def _carry_history(
    record: m.Incident | m.Person, record_type: str, versions: list[Doc], ids: Mapping[str, str]
) -> None:
    """Replace the version the service just saved by the sender's versions, marked as
    imported; the record takes the number of the last."""
    if not versions:
        return
    m.RecordVersion.objects.filter(
        organisation_id=record.organisation_id, record_uuid=record.uuid
    ).delete()
    rows = []
    for v in versions:
        row = m.RecordVersion(
            organisation_id=record.organisation_id,
            record_type=record_type,
            record_uuid=record.uuid,
            version=int(v["version"]),
            at=dt.datetime.fromisoformat(v["at"]),
            actor=None,
            action=f"imported.{v['action']}"[:20],
            changed_fields=list(v["changed_fields"]),
        )
        row.snapshot = json.dumps(_remapped(v["snapshot"], ids), sort_keys=True, default=str)
        rows.append(row)
    m.RecordVersion.objects.bulk_create(rows)
    last = max(int(v["version"]) for v in versions)
    type(record).objects.filter(pk=record.pk).update(version=last)
    record.version = last


def _mark_last_version_imported(record: m.Incident | m.Person) -> None:
    m.RecordVersion.objects.filter(
        organisation_id=record.organisation_id, record_uuid=record.uuid, version=record.version
    ).update(action="imported.update")


def _live(person: m.Person) -> m.Person:
    # Merged into another here since it came: the survivor stands for it.
    while person.merged_into_id is not None:
        person = m.Person.objects.get(pk=person.merged_into_id)
    return person


def _person(actor: User, entry: Doc, written: Written) -> m.Person:
    org_id = actor.organisation_id
    assert org_id is not None
    p = entry["person"]
    key, digest = person_key(org_id, entry), digest_of(org_id, entry)
    part = ImportedPart.objects.filter(organisation_id=org_id, external_key=key).first()
    if part is not None and part.person is not None:
        person = _live(part.person)
        if part.digest != digest:
            person = person_update(actor=actor, person=person, data=person_data(p))
            _mark_last_version_imported(person)
            ImportedPart.objects.filter(pk=part.pk).update(digest=digest)
    else:
        person = person_create(actor=actor, data=person_data(p))
        written.ids.update({str(p["id"]): str(person.uuid), p["pseudonym"]: pseudonym(person)})
        _carry_history(person, "person", list(entry["history"]), written.ids)
        ImportedPart.objects.create(
            organisation_id=org_id, external_key=key, digest=digest, person=person
        )
    written.ids.update({str(p["id"]): str(person.uuid), p["pseudonym"]: pseudonym(person)})
    return person


def _organisation(org_id: int, o: Doc) -> tuple[OrganisationData, str]:
    key = part_key(org_id, "-organisation", str(o["organisation"]))
    part = ImportedPart.objects.filter(organisation_id=org_id, external_key=key).first()
    if part is not None and part.target is not None:
        target = part.target.merged_into or part.target
        return OrganisationData(organisation_uuid=target.uuid), key
    return OrganisationData(name=o["name"], kind=o["kind"], country=o["country"]), key


def _record_organisations(incident: m.Incident, keys: list[str]) -> None:
    """The organisations the incident made, in the order given, kept by their sender's id."""
    rows = list(incident.organisation_targets.select_related("target").order_by("id"))
    known = set(
        ImportedPart.objects.filter(
            organisation_id=incident.organisation_id, external_key__in=keys
        ).values_list("external_key", flat=True)
    )
    for key, row in zip(keys, rows, strict=False):
        if key not in known:
            ImportedPart.objects.create(
                organisation_id=incident.organisation_id,
                external_key=key,
                digest="",
                target=row.target,
            )


def _documents(actor: User, incident: m.Incident, files: list[Doc]) -> None:
    for d in files:
        original = base64.b64decode(d["original"])
        attachment = Attachment(
            name=d["name"],
            media_type=d["media_type"],
            original=original,
            clean=base64.b64decode(d["clean"]),
            sha256=hashlib.sha256(original).hexdigest(),
        )
        doc = incident_document_add(actor=actor, incident=incident, attachment=attachment)
        added_on = _date(d["added_on"]) or doc.added_on
        m.IncidentDocument.objects.filter(pk=doc.pk).update(added_on=added_on)


def document_write(*, actor: User, job: ImportJob, doc: Doc, record: ImportedRecord | None) -> str:
    """Write one incident of the file in one transaction; return which counter it adds to
    ("created", "updated" or "unchanged"). InvalidInputError leaves nothing written."""
    org_id = job.organisation_id
    key, digest = incident_key(org_id, doc), digest_of(org_id, doc)
    if record is not None and record.digest == digest:
        ImportedRecord.objects.filter(pk=record.pk).update(job=job)
        return "unchanged"
    with transaction.atomic():
        written = Written()
        s = doc["incident"]
        persons = _persons_by_id(doc)
        targets = [
            _target(t, _person(actor, persons[t["person"]], written).uuid, None)
            for t in s["targets"]
        ]
        resolved = [_organisation(org_id, o) for o in s["organisations"]]
        data = incident_data(s, targets, [o for o, _ in resolved])
        if record is None:
            incident = incident_create(actor=actor, data=data)
            _record_organisations(incident, [k for _, k in resolved])
            written.ids.update(_part_ids(s, incident))
            _carry_history(incident, "incident", list(doc["history"]), written.ids)
            _documents(actor, incident, list(doc["documents"]))
            ImportedRecord.objects.create(
                organisation_id=org_id, external_key=key, digest=digest, incident=incident, job=job
            )
            return "created"
        incident = m.Incident.objects.select_for_update().get(pk=record.incident_id)
        incident = incident_update(actor=actor, incident=incident, data=data)
        _record_organisations(incident, [k for _, k in resolved])
        _mark_last_version_imported(incident)
        ImportedRecord.objects.filter(pk=record.pk).update(digest=digest, job=job)
        return "updated"


def _part_ids(s: Doc, incident: m.Incident) -> dict[str, str]:
    """The sender's ids of the incident, its sources and its organisations, to this one's."""
    ids = {str(s["id"]): str(incident.uuid)}
    sources = incident.sources.order_by("id").values_list("uuid", flat=True)
    ids.update({str(x["id"]): str(u) for x, u in zip(s["sources"], sources, strict=False)})
    targets = incident.organisation_targets.order_by("id").values_list("target__uuid", flat=True)
    ids.update(
        {str(o["organisation"]): str(u) for o, u in zip(s["organisations"], targets, strict=False)}
    )
    return ids


def person_key(org_id: int, entry: Doc) -> str:
    return part_key(org_id, "-person", str(entry["person"]["id"]))
