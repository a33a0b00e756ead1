"""Incidents for the tests of the `ftm` and `esf` exports, recorded through the real service,
each identifying value carrying a canary so a test can look for it in the exported bytes."""

from __future__ import annotations

from datetime import date

from beyondreach.cases import models as m
from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    MechanismData,
    NameData,
    OrganisationData,
    PersonData,
    ResponseData,
    SourceData,
    TargetData,
)
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import incident_create
from beyondreach.core.models import User

from ..cases.factories import incident_data

CANARY = "CANARY-q7Zx"
# An organisation's key for the writers' entity ids, where a test calls a writer directly.
TEST_ID_KEY = b"a test organisation's id key, 32b"
# Every free-text or identifying value recorded below: none may be in a pseudonymised file.
SECRETS = {
    "title": f"Red Notice against a poet {CANARY}-title",
    "narrative": f"Detained at the airport; her father questioned. {CANARY}-narrative",
    "place": f"Istanbul airport gate 7 {CANARY}-place",
    "coordinates": "41.2753,28.7519",
    "primary": "Gulnara Tokhtieva",
    "primary_cyrillic": "Гульнара Тохтиева",
    "relative": "Tokhti Akhmed",
    "notice": "A-1234/5-2023",
    "passport": "E98765432",
    "source_url": f"https://news.example.org/poet-detained-{CANARY}",
    "publisher": f"Example News {CANARY}-publisher",
    "testimony": f"Interview notes {CANARY}-testimony",
    "actor": f"Bureau Seven {CANARY}-actor",
    "organisation": f"Exile Voice Radio {CANARY}-org",
    "group": f"students of one university {CANARY}-group",
    "response": f"Asked the ministry to lift the notice {CANARY}-response",
    "verification_reason": f"two papers {CANARY}-reason",
}


def rich_incident(actor: User, **overrides: object) -> m.Incident:
    """An INTERPOL Red Notice case with two targets, a group, a targeted outlet, three actors,
    two mechanisms, two sources and a response."""
    data = incident_data(
        title=SECRETS["title"],
        narrative=SECRETS["narrative"],
        start_date=date(2024, 3, 1),
        start_precision="month",
        place=SECRETS["place"],
        coordinates=SECRETS["coordinates"],
        status="open",
        targets=[
            TargetData(
                role="primary",
                target_group="journalist",
                person=PersonData(
                    names=[
                        NameData(SECRETS["primary"], "Latn"),
                        NameData(SECRETS["primary_cyrillic"], "Cyrl"),
                    ],
                    sex="female",
                    nationalities=["CN"],
                ),
            ),
            TargetData(
                role="relative",
                relation="parent",
                target_group="family_member",
                person=PersonData(names=[NameData(SECRETS["relative"], "Latn")]),
            ),
        ],
        groups=[GroupData(size=12, target_group="academic", description=SECRETS["group"])],
        organisations=[
            OrganisationData(name=SECRETS["organisation"], kind="media_outlet", country="TR")
        ],
        actors=[
            ActorData(role="perpetrator", actor_type="police", country="CN"),
            ActorData(
                role="perpetrator",
                actor_type="security_service",
                country="CN",
                name=SECRETS["actor"],
            ),
            ActorData(role="host_authority", actor_type="police", country="TR"),
        ],
        mechanisms=[
            MechanismData(
                kind="interpol_red_notice",
                reference=SECRETS["notice"],
                issued_by="CN",
                issued_on=date(2023, 5, 1),
                issued_precision="month",
                status="active",
            ),
            MechanismData(
                kind="passport_cancellation",
                reference=SECRETS["passport"],
                issued_by="CN",
                status="enforced",
            ),
        ],
        sources=[
            SourceData(
                reference=SECRETS["source_url"],
                publisher=SECRETS["publisher"],
                reliability="reliable",
                independent=True,
                published_on=date(2024, 3, 4),
            ),
            SourceData(
                kind="testimony",
                reference=SECRETS["testimony"],
                reliability="usually_reliable",
                independent=True,
            ),
        ],
        responses=[
            ResponseData(
                kind="legal_challenge",
                description=SECRETS["response"],
                started_on=date(2024, 4, 2),
                outcome="granted",
            )
        ],
        verification_override="corroborated",
        verification_reason=SECRETS["verification_reason"],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    incident = incident_create(actor=actor, data=data)
    return access_incident(actor, incident.uuid)
