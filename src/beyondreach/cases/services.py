"""Writes on incidents and persons. Each runs in one transaction, keeps a sealed version for
the record's history and appends the audit event, so a crash leaves no half-record."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot, person_snapshot
from beyondreach.cases.inputs import IncidentData, PersonData, incident_validate, person_validate
from beyondreach.cases.names import name_digests
from beyondreach.cases.rows import incident_part_rows, incident_set_columns
from beyondreach.cases.signals import send_incident_saved, send_person_saved
from beyondreach.core.access import writer_org
from beyondreach.core.audit import audit_record, audit_record_many
from beyondreach.core.errors import NotFoundError
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import org_keys


def incident_create(*, actor: User, data: IncidentData) -> m.Incident:
    """Record a new incident with all its parts."""
    org = writer_org(actor)
    incident_validate(data)
    with transaction.atomic():
        incident = m.Incident(
            organisation=org,
            created_by=actor,
            start_date=data.start_date,
        )
        written = _apply(incident, data, actor)
        snapshot = incident_snapshot(incident, written=written)
        _version(incident, actor, "create", "incident", snapshot, None)
        audit_record(
            organisation=org,
            actor=actor,
            action="incident.create",
            record_type="incident",
            record_id=incident.uuid,
        )
        send_incident_saved(incident_id=incident.pk, created=True, actor_id=actor.pk)
    return incident


def incidents_create(*, actor: User, datas: Sequence[IncidentData]) -> list[m.Incident]:
    """Record many new incidents in one transaction (an import's batch). Each gets what
    incident_create writes, its parts, its first version and its own audit event; what the
    batch shares is one insert per kind of row and one lock of the audit chain, which were
    most of an imported row's time (bench/README.md, "Imports")."""
    org = writer_org(actor)
    for data in datas:
        incident_validate(data)
    with transaction.atomic():
        incidents = []
        for data in datas:
            incident = m.Incident(organisation=org, created_by=actor, start_date=data.start_date)
            incident_set_columns(incident, data)
            incident.assignee = _assignee(org, data)
            incidents.append(incident)
        m.Incident.objects.bulk_create(incidents)
        written = [incident_part_rows(i, d) for i, d in zip(incidents, datas, strict=True)]
        by_model: dict[type[Any], list[Any]] = {}
        for parts in written:
            for rows in parts.values():
                for row in rows:
                    by_model.setdefault(type(row), []).append(row)
        for model, rows in by_model.items():
            model.objects.bulk_create(rows)
        versions = []
        for incident, data, parts in zip(incidents, datas, written, strict=True):
            _apply_people(incident, data, actor, parts)
            snapshot = incident_snapshot(incident, written=parts)
            versions.append(_version_row(incident, actor, "create", "incident", snapshot, None))
        m.RecordVersion.objects.bulk_create(versions)
        audit_record_many(
            organisation=org,
            actor=actor,
            action="incident.create",
            record_type="incident",
            records=[(incident.uuid, None) for incident in incidents],
        )
        for incident in incidents:
            send_incident_saved(incident_id=incident.pk, created=True, actor_id=actor.pk)
    return incidents


def incident_update(*, actor: User, incident: m.Incident, data: IncidentData) -> m.Incident:
    """Replace an incident's content with `data`; the former state stays in its history."""
    org = writer_org(actor)
    if incident.organisation_id != org.pk:
        raise NotFoundError("No such incident.")
    incident_validate(data)
    with transaction.atomic():
        before = incident_snapshot(incident)
        for related in (
            incident.origins,
            incident.hosts,
            incident.tactics,
            incident.targets,
            incident.groups,
            incident.target_group_codes,
            incident.organisation_targets,
            incident.actors,
            incident.mechanisms,
            incident.sources,
            incident.responses,
        ):
            related.all().delete()
        incident.version += 1
        written = _apply(incident, data, actor)
        after = incident_snapshot(incident, written=written)
        changed = _version(incident, actor, "update", "incident", after, before)
        audit_record(
            organisation=org,
            actor=actor,
            action="incident.update",
            record_type="incident",
            record_id=incident.uuid,
            detail={"fields": changed},
        )
        send_incident_saved(incident_id=incident.pk, created=False, actor_id=actor.pk)
    return incident


def _apply(incident: m.Incident, data: IncidentData, actor: User) -> dict[str, list[Any]]:
    """Write the incident and its parts; the part rows written (but targets), for its
    snapshot."""
    incident_set_columns(incident, data)
    incident.assignee = _assignee(incident.organisation, data)
    incident.save()
    parts = incident_part_rows(incident, data)
    for rows in parts.values():
        if rows:
            type(rows[0]).objects.bulk_create(rows)
    _apply_people(incident, data, actor, parts)
    return parts


def _apply_people(
    incident: m.Incident, data: IncidentData, actor: User, parts: dict[str, list[Any]]
) -> None:
    """Write the targeted persons and organisations; where there are none, say so in
    `parts`, so the snapshot need not ask the database."""
    _apply_targets(incident, data, actor, groups=parts["groups"])
    _apply_organisations(incident, data, actor)
    if not data.targets:
        parts["targets"] = []
    if not data.organisations:
        parts["organisation_targets"] = []


def _assignee(org: Organisation, data: IncidentData) -> User | None:
    if data.assignee_uuid is None:
        return None
    assignee = User.objects.filter(uuid=data.assignee_uuid, organisation=org).first()
    if assignee is None:
        raise NotFoundError("No such user in your organisation.", field="assignee_uuid")
    return assignee


def _apply_targets(
    incident: m.Incident, data: IncidentData, actor: User, *, groups: list[m.IncidentGroup]
) -> None:
    org = incident.organisation
    seen: set[int] = set()
    for index, target in enumerate(data.targets):
        if target.person_uuid is not None:
            person = m.Person.objects.filter(uuid=target.person_uuid, organisation=org).first()
            if person is None:
                raise NotFoundError(
                    "No such person in your organisation.", field=f"targets.{index}.person_uuid"
                )
        else:
            assert target.person is not None  # checked by incident_validate
            person = _person_new(org, target.person, actor)
        if person.pk in seen:
            continue
        seen.add(person.pk)
        row = m.IncidentTarget(
            organisation=org,
            incident=incident,
            person=person,
            role=target.role,
            target_group=target.target_group,
            relation=target.relation,
            group=None if target.member_of is None else groups[target.member_of],
        )
        row.save()


def _apply_organisations(incident: m.Incident, data: IncidentData, actor: User) -> None:
    org = incident.organisation
    seen: set[int] = set()
    for index, given in enumerate(data.organisations):
        if given.organisation_uuid is not None:
            target = m.TargetedOrganisation.objects.filter(
                uuid=given.organisation_uuid, organisation=org
            ).first()
            if target is None:
                raise NotFoundError(
                    "No such organisation in your records.",
                    field=f"organisations.{index}.organisation_uuid",
                )
            if target.merged_into is not None:  # merged since the form was opened
                target = target.merged_into
        else:
            target = m.TargetedOrganisation(
                organisation=org, kind=given.kind, country=given.country.upper()
            )
            target.name = given.name.strip()
            target.save()
            audit_record(
                organisation=org,
                actor=actor,
                action="targeted_organisation.create",
                record_type="targeted_organisation",
                record_id=target.uuid,
            )
        if target.pk not in seen:
            seen.add(target.pk)
            m.IncidentOrganisation.objects.create(
                organisation=org, incident=incident, target=target
            )


def incident_recount(incident_id: int) -> None:
    """Count an incident's targets again after its person targets changed outside an edit
    of the incident (a merge of two of its persons): as cases/rows.py counts them."""
    incident = m.Incident.objects.get(pk=incident_id)
    persons = m.IncidentTarget.objects.filter(incident=incident, group__isnull=True).count()
    organisations = m.IncidentOrganisation.objects.filter(incident=incident).count()
    sizes = sum(incident.groups.values_list("size", flat=True))
    m.Incident.objects.filter(pk=incident_id).update(target_count=persons + organisations + sizes)


def _person_new(org: Organisation, data: PersonData, actor: User) -> m.Person:
    person = m.Person(organisation=org)
    _person_apply(person, data)
    _version(person, actor, "create", "person", person_snapshot(person), None)
    audit_record(
        organisation=org,
        actor=actor,
        action="person.create",
        record_type="person",
        record_id=person.uuid,
    )
    return person


def _person_apply(person: m.Person, data: PersonData) -> None:
    person.sex, person.residence_status = data.sex, data.residence_status
    person.nationalities = [c.upper() for c in data.nationalities]
    person.residence_country = data.residence_country.upper()
    person.statuses = list(dict.fromkeys(data.statuses))
    person.birth_date, person.contact, person.risk_notes = (
        data.birth_date,
        data.contact,
        data.risk_notes,
    )
    person.consent_share_partners = data.consent_share_partners
    person.consent_share_authorities = data.consent_share_authorities
    person.consent_public_statistics = data.consent_public_statistics
    person.save()
    person.names.all().delete()
    for position, name in enumerate(n for n in data.names if n.value.strip()):
        row = m.PersonName(
            organisation=person.organisation,
            person=person,
            script=name.script,
            language=name.language,
            position=position,
        )
        row.value = name.value.strip()
        row.save()
    _index_names(person, [n.value for n in data.names])
    send_person_saved(person_id=person.pk)


def _index_names(person: m.Person, names: list[str]) -> None:
    index_key = org_keys(person.organisation_id).index
    m.NameToken.objects.filter(person=person).delete()
    digests = name_digests(index_key, names)
    m.NameToken.objects.bulk_create(
        m.NameToken(organisation_id=person.organisation_id, person=person, digest=d)
        for d in sorted(digests)
    )


def person_create(*, actor: User, data: PersonData) -> m.Person:
    org = writer_org(actor)
    person_validate(data)
    with transaction.atomic():
        return _person_new(org, data, actor)


def person_update(*, actor: User, person: m.Person, data: PersonData) -> m.Person:
    org = writer_org(actor)
    if person.organisation_id != org.pk:
        raise NotFoundError("No such person.")
    person_validate(data)
    with transaction.atomic():
        before = person_snapshot(person)
        person.version += 1
        _person_apply(person, data)
        changed = _version(person, actor, "update", "person", person_snapshot(person), before)
        audit_record(
            organisation=org,
            actor=actor,
            action="person.update",
            record_type="person",
            record_id=person.uuid,
            detail={"fields": changed},
        )
    return person


def _version(
    record: m.Incident | m.Person,
    actor: User | None,
    action: str,
    record_type: str,
    after: dict[str, object],
    before: dict[str, object] | None,
) -> list[str]:
    """Keep the record's state, sealed; return the names of the fields that changed."""
    version = _version_row(record, actor, action, record_type, after, before)
    version.save()
    return list(version.changed_fields)


def _version_row(
    record: m.Incident | m.Person,
    actor: User | None,
    action: str,
    record_type: str,
    after: dict[str, object],
    before: dict[str, object] | None,
) -> m.RecordVersion:
    """The record's state as a version row, sealed, not yet saved."""
    changed = sorted(k for k in after if before is None or before.get(k) != after[k])
    version = m.RecordVersion(
        organisation_id=record.organisation_id,
        record_type=record_type,
        record_uuid=record.uuid,
        version=record.version,
        at=timezone.now(),
        actor=actor,
        action=action,
        changed_fields=changed,
    )
    version.snapshot = json.dumps(after, sort_keys=True, default=str)
    return version


def records_listed(
    *,
    actor: User,
    record_type: str,
    records: Sequence[m.Scoped],
) -> None:
    """Log that a user saw a list showing these records' identifying data (titles, names):
    a view of every record on it. Called by the list selectors, so page and API agree."""
    if actor.sees_identities and records and actor.organisation is not None:
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action=f"{record_type}.list",
            record_type=record_type,
            detail={"records": [str(r.uuid) for r in records]},
        )


def record_viewed(*, actor: User, record_type: str, record: m.Scoped) -> None:
    """Log that a user saw a record's identifying data."""
    if actor.sees_identities and actor.organisation is not None:
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action=f"{record_type}.view",
            record_type=record_type,
            record_id=record.uuid,
        )
