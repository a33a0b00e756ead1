"""A defended person's Red Notice for the CCF request pack's tests: three incidents it
caused, two whose every target consented to sharing with authorities and one where her
brother did not; an arrest and a refused extradition in Türkiye."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from beyondreach.accountability import models as am
from beyondreach.accountability.services import (
    CaseData,
    ccf_decision,
    ccf_request_file,
    interpol_case_create,
    national_step_add,
)
from beyondreach.cases import models as cm
from beyondreach.cases.inputs import NameData, PersonData, SourceData, TargetData
from beyondreach.cases.services import incident_create, person_create
from beyondreach.core.models import User

from ..cases.factories import incident_data

NAME = "Gulnara Tokhtieva"
CYRILLIC = "Гульнара Тохтиева"
NUMBER = "A-1234/5-2023"
CHARGE = "Organising a terrorist group (Article 120-1 of the Criminal Code)"
DETENTION = "Detained at Istanbul airport on the Red Notice"
HEARING = "Extradition hearing before the Istanbul court"
WITHHELD = "Brother questioned about her in Urumqi"
SOURCE = "https://news.example.org/poet-detained"
ARREST_NOTE = "Held two days at the airport police station"


@dataclass(frozen=True)
class World:
    person: cm.Person
    case: am.InterpolCase
    included: list[cm.Incident]
    withheld: cm.Incident


def _person(actor: User, name: str, *, consent: bool) -> cm.Person:
    data = PersonData(names=[NameData(name, "Latn")], consent_share_authorities=consent)
    return person_create(actor=actor, data=data)


def ccf_world(case_worker: User) -> World:
    person = person_create(
        actor=case_worker,
        data=PersonData(
            names=[NameData(NAME, "Latn"), NameData(CYRILLIC, "Cyrl")],
            birth_date="1984-03-02",
            nationalities=["CN"],
            residence_country="TR",
            residence_status="refugee",
            consent_share_authorities=True,
        ),
    )
    father = _person(case_worker, "Tokhti Akhmed", consent=True)
    brother = _person(case_worker, "Erkin Tokhtiev", consent=False)

    def incident(title: str, day: dt.date, relative: cm.Person, tactics: list[str]) -> cm.Incident:
        return incident_create(
            actor=case_worker,
            data=incident_data(
                title=title,
                narrative=f"{title}: the narrative as the case worker wrote it.",
                start_date=day,
                tactics=tactics,
                targets=[
                    TargetData(role="primary", person_uuid=person.uuid),
                    TargetData(role="relative", relation="parent", person_uuid=relative.uuid),
                ],
                sources=[
                    SourceData(
                        reference=SOURCE,
                        publisher="Example News",
                        published_on=day,
                        reliability="reliable",
                        independent=True,
                    )
                ],
            ),
        )

    detention = incident(
        DETENTION, dt.date(2024, 3, 1), father, ["host_detention", "interpol_abuse"]
    )
    withheld = incident(WITHHELD, dt.date(2024, 3, 20), brother, ["family_coercion"])
    hearing = incident(HEARING, dt.date(2024, 6, 12), father, ["extradition_request"])
    case = interpol_case_create(
        actor=case_worker,
        person=person,
        data=CaseData(
            kind="red_notice",
            issuing_state="CN",
            incident_uuids=[detention.uuid, withheld.uuid, hearing.uuid],
            issued_on=dt.date(2023, 5, 1),
            issued_precision="month",
            public=False,
            reference=NUMBER,
            charge=CHARGE,
        ),
    )
    national_step_add(
        actor=case_worker,
        case=case,
        country="TR",
        kind="arrest",
        on=dt.date(2024, 3, 1),
        note=ARREST_NOTE,
    )
    national_step_add(
        actor=case_worker,
        case=case,
        country="TR",
        kind="extradition_refused",
        on=dt.date(2024, 9, 3),
        note="",
    )
    access = ccf_request_file(
        actor=case_worker, case=case, kind="access", filed_on=dt.date(2024, 4, 2)
    )
    ccf_decision(
        actor=case_worker,
        request=access,
        outcome="access_given",
        grounds=[],
        decided_on=dt.date(2024, 7, 30),
    )
    return World(person=person, case=case, included=[detention, hearing], withheld=withheld)
