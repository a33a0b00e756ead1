"""The rows of an incident, built from its input in one place: for the services, which save
them one incident at a time, and for the demo's bulk loader, which inserts thousands at once.
An incident's new field is then added here once, not once per writer (issue 9, item 7)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from beyondreach.cases import models as m
from beyondreach.cases.inputs import IncidentData, SourceData, host_origin_overlap


def verification_derive(sources: Iterable[SourceData | m.Source]) -> str:
    """The UN rule: corroborated when two independent, reliable sources confirm it."""
    sources = list(sources)
    confirming = [s for s in sources if s.independent and s.reliability in m.RELIABLE_ENOUGH]
    if len(confirming) >= 2:
        return m.Verification.CORROBORATED
    return m.Verification.REPORTED if sources else m.Verification.UNVERIFIED


def incident_columns(data: IncidentData) -> dict[str, Any]:
    """The incident's own columns, sealed ones included (set through their `Sealed`
    attribute); the assignee, looked up by the caller, is not among them."""
    override = data.verification_override
    return {
        "start_date": data.start_date,
        "start_precision": data.start_precision,
        "end_date": data.end_date,
        "end_precision": data.end_precision,
        "ongoing": data.ongoing,
        "host_reason": data.host_reason,
        # Stored only where it was needed, so the flag says "confirmed", never "clicked".
        "host_origin_confirmed": bool(host_origin_overlap(data.host_countries, data.origin_states)),
        "tlp": data.tlp,
        "status": data.status,
        "due_date": data.due_date,
        "title": data.title.strip(),
        "narrative": data.narrative,
        "place": data.place,
        "coordinates": data.coordinates,
        "verification_overridden": bool(override),
        "verification": override or verification_derive(data.sources),
        "verification_reason": data.verification_reason if override else "",
        "scope": data.scope,
        "scope_criteria": sorted(data.scope_criteria),
        "scope_reason": data.scope_reason,
        "target_count": target_count(data),
    }


def target_count(data: IncidentData) -> int:
    """People and organisations targeted: each person once (a group's known members are in
    its size), each organisation once, each group by its size."""
    persons = {
        t.person_uuid or index for index, t in enumerate(data.targets) if t.member_of is None
    }
    organisations = {o.organisation_uuid or index for index, o in enumerate(data.organisations)}
    return len(persons) + len(organisations) + sum(g.size for g in data.groups)


def incident_set_columns(incident: m.Incident, data: IncidentData) -> None:
    for name, value in incident_columns(data).items():
        setattr(incident, name, value)


def incident_part_rows(incident: m.Incident, data: IncidentData) -> dict[str, list[Any]]:
    """The rows of every part but the targets (whose persons the caller finds or makes),
    unsaved, by the incident's related name; the incident has its id and start date."""
    org_id, day = incident.organisation_id, incident.start_date

    def coded(model: type[models.Model], column: str, codes: list[str]) -> list[Any]:
        return [
            model(organisation_id=org_id, incident=incident, start_date=day, **{column: code})
            for code in dict.fromkeys(codes)
        ]

    def row(model: type[models.Model], **values: Any) -> Any:
        made = model(organisation_id=org_id, incident=incident)
        for name, value in values.items():
            setattr(made, name, value)  # sealed values through their Sealed attribute
        return made

    return {
        "origins": coded(m.IncidentOrigin, "country", [c.upper() for c in data.origin_states]),
        "hosts": coded(m.IncidentHost, "country", [c.upper() for c in data.host_countries]),
        "tactics": coded(m.IncidentTactic, "tactic", data.tactics),
        "target_group_codes": coded(
            m.IncidentTargetGroup,
            "target_group",
            [
                *(t.target_group for t in data.targets if t.target_group),
                *(g.target_group for g in data.groups if g.target_group),
            ],
        ),
        "groups": [
            row(m.IncidentGroup, **{**vars(g), "country": g.country.upper()}) for g in data.groups
        ],
        "actors": [
            row(m.IncidentActor, **{**vars(a), "country": a.country.upper()}) for a in data.actors
        ],
        "mechanisms": [row(m.LegalMechanism, **vars(x)) for x in data.mechanisms],
        "sources": [row(m.Source, **vars(s)) for s in data.sources],
        "responses": [row(m.Response, **vars(r)) for r in data.responses],
    }
