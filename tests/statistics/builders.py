"""Incidents for the statistics tests, made by the real services (so audited and valid)."""

from __future__ import annotations

from datetime import date

from beyondreach.cases import models as m
from beyondreach.cases.inputs import (
    ActorData,
    IncidentData,
    MechanismData,
    NameData,
    PersonData,
    TargetData,
)
from beyondreach.cases.services import incident_create
from beyondreach.core.models import User


def target(group: str = "") -> TargetData:
    person = PersonData(names=[NameData("Aziz Karimov", "Latn")])
    return TargetData(role="primary", target_group=group, person=person)


def record(
    actor: User,
    *,
    origins: list[str],
    tactics: list[str],
    start: date | None = date(2024, 3, 1),
    precision: str = m.DatePrecision.DAY,
    hosts: list[str] | None = None,
    targets: int = 1,
    group: str = "journalist",
    actor_types: list[str] | None = None,
    mechanisms: list[str] | None = None,
    scope: str = m.Scope.IN_SCOPE,
) -> m.Incident:
    data = IncidentData(
        title="Statistics test incident",
        start_date=start,
        start_precision=precision,
        origin_states=origins,
        tactics=tactics,
        host_countries=["DE"] if hosts is None else hosts,
        host_reason="" if hosts != [] else m.HostReason.ONLINE_ONLY,
        targets=[target(group) for _ in range(targets)],
        actors=[ActorData(role="perpetrator", actor_type=t) for t in actor_types or []],
        mechanisms=[MechanismData(kind=k) for k in mechanisms or []],
        scope=scope,
        scope_reason="" if scope == m.Scope.IN_SCOPE else "No state behind it, on what we know.",
    )
    return incident_create(actor=actor, data=data)
