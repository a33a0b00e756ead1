"""Generated incidents for the `beyondreach` transfer tests: hypothesis strategies for every
part of an incident (built on tests/cases/factories.py's valid input), recorded through the
real services with edits (so each record has a history), a person named by two incidents,
and files; and the comparison of two organisations' records field by field."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from beyondreach.cases import models as m
from beyondreach.cases.documents import incident_document_add
from beyondreach.cases.export import incident_snapshot, person_snapshot
from beyondreach.cases.inputs import (
    SCRIPTS,
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
)
from beyondreach.cases.services import incident_create, incident_update, person_update
from beyondreach.core import crypto
from beyondreach.core.attachments.prepare import Attachment
from beyondreach.core.models import User
from beyondreach.core.sealed import aad_for, org_keys
from beyondreach.vocab.loader import vocabulary

from ..cases.factories import incident_data

COUNTRIES = ["CN", "TR", "RU", "TJ", "EG", "IR", "BY", "RW", "DE", "FR", "GB", "US", "KZ"]
PRECISIONS = [p.value for p in m.DatePrecision]
KNOWN_PRECISIONS = [p for p in PRECISIONS if p != m.DatePrecision.UNKNOWN]

# Text as people type it: any script, punctuation, newlines; no control characters (the
# forms refuse NUL, and a name is one line).
_chars = st.characters(blacklist_categories=("Cs", "Cc"))
text = st.text(_chars, max_size=40)
line = st.text(_chars, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
long_text = st.text(st.one_of(_chars, st.just("\n")), max_size=200)
days = st.dates(date(1990, 1, 1), date(2025, 12, 31))


def codes(name: str) -> list[str]:
    return sorted(vocabulary(name).terms)


@st.composite
def persons(draw: st.DrawFn) -> PersonData:
    names = draw(
        st.lists(
            st.builds(
                NameData,
                value=line,
                script=st.sampled_from(["", *SCRIPTS]),
                language=st.sampled_from(["", "ug", "ru", "zh", "fa", "tr"]),
            ),
            min_size=1,
            max_size=3,
        )
    )
    return PersonData(
        names=names,
        birth_date=draw(st.sampled_from(["", "1984", "1990-07-02"])),
        sex=draw(st.sampled_from([s.value for s in m.Sex])),
        nationalities=draw(st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)),
        residence_country=draw(st.sampled_from(["", *COUNTRIES])),
        residence_status=draw(st.sampled_from([s.value for s in m.ResidenceStatus])),
        statuses=draw(st.lists(st.sampled_from(codes("person_statuses")), max_size=2, unique=True)),
        contact=draw(text),
        risk_notes=draw(long_text),
        consent_share_partners=draw(st.booleans()),
        consent_share_authorities=draw(st.booleans()),
        consent_public_statistics=draw(st.booleans()),
    )


def _maybe_day(draw: st.DrawFn) -> date | None:
    return draw(st.one_of(st.none(), days))


def _dated(draw: st.DrawFn, *, required: bool = False) -> tuple[date | None, str]:
    """A date and its precision: "unknown" comes with no date, any other with one (or, for
    a date that may be left out, none)."""
    precision = draw(st.sampled_from(PRECISIONS))
    if precision == m.DatePrecision.UNKNOWN:
        return None, precision
    return (draw(days) if required else _maybe_day(draw)), precision


@st.composite
def incidents(draw: st.DrawFn) -> IncidentData:
    """A valid incident with any of its parts: the factory's, with every field drawn."""
    origins = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2, unique=True))
    hosts = draw(
        st.lists(
            st.sampled_from([c for c in COUNTRIES if c not in origins]), max_size=2, unique=True
        )
    )
    start, start_precision = _dated(draw, required=True)
    # A date not known has no end date to give, but may still be going on.
    span = draw(st.sampled_from(["day", "ongoing", "ended"] if start else ["day", "ongoing"]))
    groups = draw(
        st.lists(
            st.builds(
                GroupData,
                size=st.integers(2, 400),
                target_group=st.sampled_from(["", *codes("target_groups")]),
                country=st.sampled_from(["", *COUNTRIES]),
                description=text,
            ),
            max_size=2,
        )
    )
    targets = [
        TargetData(
            role=draw(st.sampled_from([r.value for r in m.TargetRole])),
            person=draw(persons()),
            target_group=draw(st.sampled_from(["", *codes("target_groups")])),
            relation=draw(st.sampled_from(["", *[r.value for r in m.TargetRelation]])),
            member_of=draw(st.sampled_from([None, *range(len(groups))])),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    override = draw(st.sampled_from(["", *[v.value for v in m.Verification]]))
    scope = draw(st.sampled_from([s.value for s in m.Scope]))
    return incident_data(
        title=draw(line),
        narrative=draw(long_text),
        start_date=start,
        start_precision=start_precision,
        end_date=start + timedelta(days=draw(st.integers(1, 900)))
        if start and span == "ended"
        else None,
        end_precision=draw(st.sampled_from(KNOWN_PRECISIONS)) if span == "ended" else "",
        ongoing=span == "ongoing",
        origin_states=origins,
        host_countries=hosts,
        host_reason="" if hosts else draw(st.sampled_from([r.value for r in m.HostReason])),
        tactics=draw(
            st.lists(st.sampled_from(codes("tactics")), min_size=1, max_size=3, unique=True)
        ),
        place=draw(text),
        coordinates=draw(st.sampled_from(["", "41.2753,28.7519", "-33.9,18.4"])),
        targets=targets,
        groups=groups,
        organisations=[
            OrganisationData(
                name=draw(line),
                kind=draw(st.sampled_from([k.value for k in m.OrganisationKind])),
                country=draw(st.sampled_from(["", *COUNTRIES])),
            )
            for _ in range(draw(st.integers(0, 2)))
        ],
        actors=[
            ActorData(
                role=draw(st.sampled_from([r.value for r in m.ActorRole])),
                actor_type=draw(st.sampled_from(codes("actor_types"))),
                country=draw(st.sampled_from(["", *COUNTRIES])),
                name=draw(text),
            )
            for _ in range(draw(st.integers(0, 3)))
        ],
        mechanisms=[
            MechanismData(
                kind=draw(st.sampled_from([k.value for k in m.MechanismKind])),
                reference=draw(text),
                issued_by=draw(st.sampled_from(["", "CN", "EU", "UN"])),
                issued_on=(issued := _dated(draw))[0],
                issued_precision=issued[1],
                status=draw(st.sampled_from([s.value for s in m.MechanismStatus])),
                status_on=_maybe_day(draw),
            )
            for _ in range(draw(st.integers(0, 2)))
        ],
        sources=[
            SourceData(
                reference=draw(line),
                kind=draw(st.sampled_from([k.value for k in m.SourceKind])),
                publisher=draw(text),
                published_on=_maybe_day(draw),
                reliability=draw(st.sampled_from([r.value for r in m.Reliability])),
                independent=draw(st.booleans()),
            )
            for _ in range(draw(st.integers(0, 3)))
        ],
        responses=[
            ResponseData(
                kind=draw(st.sampled_from([k.value for k in m.ResponseKind])),
                description=draw(text),
                started_on=(started := _dated(draw))[0],
                started_precision=started[1],
                outcome=draw(st.sampled_from([o.value for o in m.Outcome])),
                outcome_on=_maybe_day(draw),
            )
            for _ in range(draw(st.integers(0, 2)))
        ],
        tlp=draw(st.sampled_from([t.value for t in m.Tlp])),
        status=draw(st.sampled_from([s.value for s in m.CaseStatus])),
        due_date=_maybe_day(draw),
        verification_override=override,
        verification_reason=draw(line) if override else "",
        scope=scope,
        scope_criteria=draw(
            st.lists(st.sampled_from([c.value for c in m.ScopeCriterion]), unique=True)
        ),
        scope_reason="" if scope == m.Scope.IN_SCOPE else draw(line),
    )


@dataclass(frozen=True)
class Plan:
    """What to record: incidents, and for each whether it is edited after (a second
    version), names the first incident's first person too, and keeps a file."""

    incidents: list[IncidentData]
    edits: list[IncidentData | None]
    share_person: bool
    files: list[bytes]
    person_edit: PersonData | None


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    count = draw(st.integers(1, 3))
    return Plan(
        incidents=[draw(incidents()) for _ in range(count)],
        edits=[draw(st.one_of(st.none(), incidents())) for _ in range(count)],
        share_person=draw(st.booleans()),
        files=draw(st.lists(st.binary(min_size=1, max_size=300), max_size=2)),
        person_edit=draw(st.one_of(st.none(), persons())),
    )


def record(actor: User, plan: Plan) -> list[m.Incident]:
    """Record the plan in `actor`'s organisation through the services."""
    made: list[m.Incident] = []
    shared: m.Person | None = None
    for data, edit in zip(plan.incidents, plan.edits, strict=True):
        if plan.share_person and shared is not None:
            data.targets.append(TargetData(role="associate", person_uuid=shared.uuid))
        incident = incident_create(actor=actor, data=data)
        if edit is not None:
            edit.targets = [*edit.targets, *_kept(incident)]
            incident = incident_update(actor=actor, incident=incident, data=edit)
        first = incident.targets.select_related("person").order_by("id").first()
        if shared is None and first is not None:
            shared = first.person
        made.append(incident)
    if shared is not None and plan.person_edit is not None:
        person_update(actor=actor, person=shared, data=plan.person_edit)
    for index, content in enumerate(plan.files):
        attachment = Attachment(
            name=f"evidence-{index}.txt",
            media_type="text/plain",
            original=content,
            clean=content[::-1],
            sha256=hashlib.sha256(content).hexdigest(),
        )
        incident_document_add(actor=actor, incident=made[0], attachment=attachment)
    return made


def _kept(incident: m.Incident) -> list[TargetData]:
    # An edit keeps the persons named before, so a person's history spans two versions.
    return [
        TargetData(role=t.role, person_uuid=t.person.uuid)
        for t in incident.targets.select_related("person").filter(group=None)[:1]
    ]


# --- Comparing two organisations' records ----------------------------------------------------

# Ids and what is derived from the organisation's own keys or users: the only differences.
_LOCAL = {"id", "person", "pseudonym", "organisation", "assignee"}


def without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in _LOCAL}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def history(record_uuid: Any, org_id: int) -> list[dict[str, Any]]:
    versions = m.RecordVersion.objects.filter(
        organisation_id=org_id, record_uuid=record_uuid
    ).order_by("version")
    return [
        {
            "version": v.version,
            "at": v.at,
            "action": v.action.removeprefix("imported."),
            "changed_fields": v.changed_fields,
            "snapshot": without_ids(json.loads(v.snapshot)),
        }
        for v in versions
    ]


def files(incident: m.Incident) -> list[tuple[Any, ...]]:
    key = org_keys(incident.organisation_id).data
    return [
        (
            d.name,
            d.media_type,
            d.size,
            d.added_on,
            crypto.unseal(key, bytes(d.original_sealed), aad_for(d, "original")),
            crypto.unseal(key, bytes(d.clean_sealed), aad_for(d, "clean")),
        )
        for d in incident.documents.order_by("id")
    ]


def whole(incident: m.Incident) -> dict[str, Any]:
    """An incident, its persons, its files and every history, without ids."""
    targets = list(incident.targets.select_related("person").order_by("id"))
    return {
        "incident": without_ids(incident_snapshot(incident)),
        "history": history(incident.uuid, incident.organisation_id),
        "persons": [
            {
                "person": without_ids(person_snapshot(t.person)),
                "history": history(t.person.uuid, incident.organisation_id),
            }
            for t in targets
        ],
        "files": files(incident),
    }
