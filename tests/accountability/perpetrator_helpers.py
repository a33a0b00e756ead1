"""Perpetrators and incidents for the tests, made through the real services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from beyondreach.accountability.perpetrator_models import Perpetrator
from beyondreach.accountability.perpetrators import (
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
    perpetrator_create,
    perpetrator_link,
)
from beyondreach.cases import models as cm
from beyondreach.cases.inputs import NameData, PersonData, SourceData, TargetData
from beyondreach.cases.services import incident_create
from beyondreach.core.models import User

from ..cases.factories import incident_data

# The persons of OpenSanctions' yente "zala" fixture (reference/ftm/yente_zala_entities) and
# their 13 FtM Sanction records, as published: one of them is the official below.
ZALA = Path(__file__).parent / "data" / "zala_persons.ftm.json"
LATIN, CYRILLIC = "Alexander Vyacheslavovich Zakharov", "Александр Вячеславович Захаров"


def official(actor: User, **fields: object) -> Perpetrator:
    data = PerpetratorData(
        kind="official",
        state="RU",
        nationality="RU",
        names=[PerpetratorNameData(LATIN, "Latn"), PerpetratorNameData(CYRILLIC, "Cyrl")],
        position="Head of a department of the FSB CANARY-position",
        birth_date="1965-09-21",
        notes="Signed the extradition request CANARY-notes",
    )
    for name, value in fields.items():
        setattr(data, name, value)
    return perpetrator_create(actor=actor, data=data)


def incident(actor: User, title: str, *, consent: bool = True) -> cm.Incident:
    """An incident whose one target agreed (or not) to sharing with authorities."""
    person = PersonData(
        names=[NameData(f"Target of {title}", "Latn")], consent_share_authorities=consent
    )
    return incident_create(
        actor=actor,
        data=incident_data(
            title=title,
            narrative=f"What happened: {title}.",
            targets=[TargetData(role="primary", target_group="journalist", person=person)],
            sources=[
                SourceData(
                    reference=f"https://news.example.org/{title.split()[0].lower()}",
                    publisher="Example News",
                    reliability="reliable",
                    independent=True,
                ),
                SourceData(reference=f"Testimony on {title}", kind="testimony"),
            ],
        ),
    )


def link(
    actor: User, perpetrator: Perpetrator, incident_: cm.Incident, *, sources: int = 1
) -> None:
    perpetrator_link(
        actor=actor,
        perpetrator=perpetrator,
        data=LinkData(
            incident_uuid=incident_.uuid,
            role="perpetrator",
            period_from=dt.date(2023, 1, 1),
            from_precision="month",
            period_to=dt.date(2024, 6, 30),
            to_precision="day",
            evidence=f"Named in the court file of {incident_.title} CANARY-evidence",
            source_uuids=[s.uuid for s in incident_.sources.all()[:sources]],
        ),
    )
