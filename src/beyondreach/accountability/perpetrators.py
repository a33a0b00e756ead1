"""Perpetrators: writes (each audited, `perpetrator.*`) and reads (`access_perpetrator`).

Names are indexed with the persons' functions (cases/names.py) under the organisation's
index key, in PerpetratorNameToken; a search by name hashes the query the same way, so no
name is ever compared in the clear in the database. Roles that see no identities (analysts,
viewers) read the coded parts only and cannot search by name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from beyondreach.accountability import perpetrator_models as am
from beyondreach.accountability.sanctions import perpetrator_sanctions
from beyondreach.cases import models as cm
from beyondreach.cases.inputs import SCRIPTS, FieldErrors
from beyondreach.cases.names import blind, name_digests, query_alternatives
from beyondreach.core.access import member_org_id, writer_org
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import (
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    parse_record_id,
)
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys

NAME_MAX, NAMES_MAX, POSITION_MAX, NOTES_MAX, EVIDENCE_MAX = 200, 8, 300, 4000, 4000
_BIRTH = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass
class PerpetratorNameData:
    value: str
    script: str = ""


@dataclass
class PerpetratorData:
    kind: str
    state: str
    names: list[PerpetratorNameData] = field(default_factory=list)
    nationality: str = ""
    position: str = ""
    birth_date: str = ""  # "1965-04-01", "1965-04" or "1965"
    notes: str = ""


@dataclass
class LinkData:
    incident_uuid: uuid.UUID
    role: str
    period_from: dt.date | None = None
    from_precision: str = ""
    period_to: dt.date | None = None
    to_precision: str = ""
    evidence: str = ""
    source_uuids: list[uuid.UUID] = field(default_factory=list)


def _audit(actor: User, action: str, perpetrator: am.Perpetrator, **detail: str) -> None:
    audit_record(
        organisation=perpetrator.organisation,
        actor=actor,
        action=f"perpetrator.{action}",
        record_type="perpetrator",
        record_id=perpetrator.uuid,
        detail=detail or None,
    )


def perpetrator_validate(data: PerpetratorData) -> None:
    errors = FieldErrors()
    errors.choice(data.kind, am.PerpetratorKind, "kind")
    errors.country(data.state, "state")
    errors.country(data.nationality, "nationality", blank=True)
    names = [n for n in data.names if n.value.strip()]
    errors.check(bool(names), "names", "Give at least one name.")
    errors.check(len(names) <= NAMES_MAX, "names", f"At most {NAMES_MAX} names.")
    for i, name in enumerate(names):
        errors.check(len(name.value) <= NAME_MAX, f"names.{i}.value", "Too long.")
        errors.choice(name.script, list(SCRIPTS), f"names.{i}.script", blank=True)
    birth = data.birth_date.strip()
    errors.check(not birth or bool(_BIRTH.fullmatch(birth)), "birth_date", "As 1965-04-01 or 1965.")
    errors.check(len(data.position) <= POSITION_MAX, "position", "Too long.")
    errors.check(len(data.notes) <= NOTES_MAX, "notes", "Too long.")
    errors.raise_found()


def _apply(perpetrator: am.Perpetrator, data: PerpetratorData) -> None:
    perpetrator.kind, perpetrator.state = data.kind, data.state.upper()
    perpetrator.nationality = data.nationality.upper()
    perpetrator.position = data.position.strip()
    perpetrator.birth_date = data.birth_date.strip()
    perpetrator.notes = data.notes.strip()
    perpetrator.save()
    perpetrator.names.all().delete()
    names = [n for n in data.names if n.value.strip()]
    for position, name in enumerate(names):
        row = am.PerpetratorName(
            organisation=perpetrator.organisation,
            perpetrator=perpetrator,
            script=name.script,
            position=position,
        )
        row.value = name.value.strip()
        row.save()
    perpetrator_index(perpetrator, [n.value for n in names])


def perpetrator_index(perpetrator: am.Perpetrator, names: list[str]) -> None:
    """The blind index of the names, replaced (also used by the key rotation)."""
    digests = name_digests(org_keys(perpetrator.organisation_id).index, names)
    am.PerpetratorNameToken.objects.filter(perpetrator=perpetrator).delete()
    am.PerpetratorNameToken.objects.bulk_create(
        am.PerpetratorNameToken(
            organisation_id=perpetrator.organisation_id, perpetrator=perpetrator, digest=d
        )
        for d in sorted(digests)
    )


def perpetrator_create(*, actor: User, data: PerpetratorData) -> am.Perpetrator:
    """An agency, official, proxy or company, recorded once with its names in any script."""
    org = writer_org(actor)
    perpetrator_validate(data)
    with transaction.atomic():
        perpetrator = am.Perpetrator(organisation=org, created_by=actor)
        _apply(perpetrator, data)
        _audit(actor, "create", perpetrator, kind=data.kind)
    return perpetrator


def perpetrator_edit(
    *, actor: User, perpetrator: am.Perpetrator, data: PerpetratorData
) -> am.Perpetrator:
    if perpetrator.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such perpetrator.")
    perpetrator_validate(data)
    with transaction.atomic():
        _apply(perpetrator, data)
        _audit(actor, "update", perpetrator)
    return perpetrator


def perpetrator_link(
    *, actor: User, perpetrator: am.Perpetrator, data: LinkData
) -> am.PerpetratorLink:
    """Record that the perpetrator acted in an incident: role, period, evidence, and which of
    the incident's sources support it. Linking again the same incident updates the link."""
    org = writer_org(actor)
    if perpetrator.organisation_id != org.pk:
        raise NotFoundError("No such perpetrator.")
    incident = cm.Incident.objects.filter(organisation=org, uuid=data.incident_uuid).first()
    errors = FieldErrors()
    errors.check(incident is not None, "incident", "No such incident in your records.")
    errors.choice(data.role, cm.ActorRole, "role")
    errors.choice(data.from_precision, cm.DatePrecision, "from_precision", blank=True)
    errors.choice(data.to_precision, cm.DatePrecision, "to_precision", blank=True)
    if data.period_from and data.period_to and data.period_to < data.period_from:
        errors.add("period_to", "Ends before it starts: check the dates.")
    errors.check(len(data.evidence) <= EVIDENCE_MAX, "evidence", "Too long.")
    errors.check("\x00" not in data.evidence, "evidence", "Contains a NUL character.")
    sources = list(incident.sources.filter(uuid__in=data.source_uuids)) if incident else []
    errors.check(
        len(sources) == len(set(data.source_uuids)), "sources", "Not a source of the incident."
    )
    errors.raise_found()
    assert incident is not None
    with transaction.atomic():
        link = am.PerpetratorLink.objects.filter(perpetrator=perpetrator, incident=incident).first()
        link = link or am.PerpetratorLink(
            organisation=org, perpetrator=perpetrator, incident=incident
        )
        link.role = data.role
        link.period_from, link.period_to = data.period_from, data.period_to
        link.from_precision = data.from_precision if data.period_from else ""
        link.to_precision = data.to_precision if data.period_to else ""
        link.evidence = data.evidence.strip()
        link.sources = json.dumps([s.reference for s in sources]) if sources else ""
        link.save()
        _audit(actor, "link", perpetrator, incident=str(incident.uuid), role=data.role)
    return link


def perpetrator_unlink(
    *, actor: User, perpetrator: am.Perpetrator, incident_uuid: uuid.UUID
) -> bool:
    """Remove the link to an incident; False when there was none (nothing changes)."""
    if perpetrator.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such perpetrator.")
    with transaction.atomic():
        link = perpetrator.links.filter(incident__uuid=incident_uuid).first()
        if link is None:
            return False
        link.delete()
        _audit(actor, "unlink", perpetrator, incident=str(incident_uuid))
    return True


# --- Reads --------------------------------------------------------------------------------


def perpetrators_of(user: User) -> QuerySet[am.Perpetrator]:
    """The organisation's perpetrators, with their names (opened only for roles that see
    identities: the templates ask `user.sees_identities`)."""
    return (
        am.Perpetrator.objects.filter(organisation_id=member_org_id(user))
        .prefetch_related("names")
        .order_by("-created_at", "-id")
    )


def access_perpetrator(user: User, perpetrator_id: str | uuid.UUID) -> am.Perpetrator:
    found = (
        perpetrators_of(user)
        .filter(uuid=parse_record_id(perpetrator_id, "No such perpetrator."))
        .first()
    )
    if found is None:
        raise NotFoundError("No such perpetrator.")
    return found


def access_perpetrator_link(user: User, link_id: str | uuid.UUID) -> am.PerpetratorLink:
    found = (
        am.PerpetratorLink.objects.select_related("perpetrator", "incident")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(link_id, "No such link."))
        .first()
    )
    if found is None:
        raise NotFoundError("No such link.")
    return found


def perpetrator_ids_matching(user: User, query: str) -> list[int]:
    """Perpetrators whose names match `query` across scripts (blind index), as persons'."""
    if not user.sees_identities:
        raise PermissionDeniedError("Your role does not see names, so it cannot search by them.")
    org = member_org_id(user)
    index_key = org_keys(org).index
    alternatives = [
        [{blind(index_key, k) for k in group} for group in alt] for alt in query_alternatives(query)
    ]
    wanted = {d for alt in alternatives for group in alt for d in group}
    hits: dict[int, set[str]] = {}
    for pid, digest in am.PerpetratorNameToken.objects.filter(
        organisation_id=org, digest__in=wanted
    ).values_list("perpetrator_id", "digest"):
        hits.setdefault(pid, set()).add(digest)
    return sorted(
        pid
        for pid, found in hits.items()
        if any(all(group & found for group in alt) for alt in alternatives)
    )


def perpetrator_links(perpetrator: am.Perpetrator) -> list[am.PerpetratorLink]:
    return list(
        perpetrator.links.select_related("incident")
        .prefetch_related("incident__sources", "incident__targets__person")
        .order_by("period_from", "incident__start_date", "id")
    )


def incident_perpetrators(incident: cm.Incident) -> list[am.PerpetratorLink]:
    return list(
        am.PerpetratorLink.objects.filter(incident=incident)
        .select_related("perpetrator")
        .prefetch_related("perpetrator__names")
        .order_by("id")
    )


def link_sources(link: am.PerpetratorLink) -> list[tuple[str, cm.Source | None]]:
    """The supporting sources as recorded, each with the incident's current Source row, or
    None when the incident no longer cites it."""
    refs: list[str] = json.loads(link.sources) if link.sources else []
    by_ref = {s.reference: s for s in link.incident.sources.all()}
    return [(ref, by_ref.get(ref)) for ref in refs]


def perpetrator_list_decide(
    *, actor: User, perpetrator: am.Perpetrator, entity_ref: str, decision: str
) -> am.PerpetratorListDecision | None:
    """Record that a list entity the perpetrator's names match is the perpetrator ("match")
    or a namesake ("not_match", set aside: it no longer makes the perpetrator sanctioned,
    on the page or in the dossier), or take the decision back ("open"). Audited."""
    org = writer_org(actor)
    if perpetrator.organisation_id != org.pk or not actor.sees_identities:
        raise NotFoundError("No such perpetrator.")
    if decision not in {*am.ListDecision.values, "open"}:
        raise InvalidInputError({"decision": ["Choose match, not a match, or open."]})
    hit = next(
        (h for h in perpetrator_sanctions(perpetrator) if h.found.ftm_id == entity_ref), None
    )
    if hit is None:
        raise InvalidInputError(
            {"entity": ["This entity no longer matches the perpetrator on the loaded lists."]}
        )
    with transaction.atomic():
        # One decision per entity, also when two case workers decide at once.
        am.Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
        for earlier in perpetrator.list_decisions.all():
            if earlier.entity_ref == entity_ref:
                earlier.delete()
        made = None
        if decision != "open":
            made = am.PerpetratorListDecision(
                organisation=org,
                perpetrator=perpetrator,
                list_name=hit.found.list_name,
                decision=decision,
                decided_by=actor,
            )
            made.entity_ref = entity_ref
            made.save()
        _audit(actor, "list_decision", perpetrator, decision=decision, list=hit.found.list_name)
    return made
