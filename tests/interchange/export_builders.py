"""Incidents for the export tests, made by the real services (so valid and audited)."""

from __future__ import annotations

from datetime import date

from beyondreach.cases import models as m
from beyondreach.cases.inputs import (
    GroupData,
    IncidentData,
    MechanismData,
    NameData,
    PersonData,
    SourceData,
    TargetData,
)
from beyondreach.cases.services import incident_create
from beyondreach.core.models import User

CANARY = "Zarina Canarybekova"  # a target's name: must never reach a role that does not see it
NARRATIVE = "Canary narrative: followed from the mosque to her flat."


def recorded(
    actor: User,
    *,
    title: str = "Detention of an exiled journalist",
    origins: tuple[str, ...] = ("TJ",),
    hosts: tuple[str, ...] = ("TR", "RU"),
    tactics: tuple[str, ...] = ("host_detention", "interpol_abuse", "family_coercion"),
    start: date = date(2023, 6, 1),
    group: str = "journalist",
    crowd: int = 0,
    verified: bool = False,
    terrorism: bool = False,
) -> m.Incident:
    data = IncidentData(
        title=title,
        narrative=NARRATIVE,
        start_date=start,
        origin_states=list(origins),
        host_countries=list(hosts),
        host_reason="" if hosts else m.HostReason.ONLINE_ONLY,
        tactics=list(tactics),
        place="Istanbul, Fatih",
        targets=[
            TargetData(
                role="primary",
                target_group=group,
                person=PersonData(names=[NameData(CANARY, "Latn")]),
            )
        ],
        groups=[GroupData(size=crowd, target_group=group)] if crowd else [],
        mechanisms=[MechanismData(kind="terrorist_designation", issued_by=origins[0])]
        if terrorism
        else [],
        sources=[
            SourceData(
                reference=f"https://news.example.org/{n}", reliability="reliable", independent=True
            )
            for n in range(2 if verified else 0)
        ],
    )
    return incident_create(actor=actor, data=data)
