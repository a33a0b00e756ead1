"""Valid incident inputs for tests: real services build the rows, so they are audited."""

from __future__ import annotations

from datetime import date

from beyondreach.cases.inputs import (
    IncidentData,
    MechanismData,
    NameData,
    PersonData,
    SourceData,
    TargetData,
)


def incident_data(**overrides: object) -> IncidentData:
    data = IncidentData(
        title="Red Notice against a Uyghur poet in Istanbul",
        narrative=(
            "Detained at the airport on an INTERPOL Red Notice; her father questioned in Urumqi."
        ),
        start_date=date(2024, 3, 1),
        host_countries=["TR"],
        origin_states=["CN"],
        tactics=["host_detention", "interpol_abuse", "family_coercion"],
        targets=[
            TargetData(
                role="primary",
                target_group="ethnic_or_religious_group",
                person=PersonData(
                    names=[
                        NameData("Gulnara Tokhtieva", "Latn"),
                        NameData("Гульнара Тохтиева", "Cyrl"),
                    ]
                ),
            ),
            TargetData(
                role="relative",
                relation="parent",
                person=PersonData(names=[NameData("Tokhti Akhmed", "Latn")]),
            ),
        ],
        mechanisms=[
            MechanismData(
                kind="interpol_red_notice",
                reference="A-1234/5-2023",
                issued_by="CN",
                status="active",
            )
        ],
        sources=[
            SourceData(
                reference="https://news.example.org/poet-detained",
                publisher="Example News",
                reliability="reliable",
                independent=True,
            )
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data
