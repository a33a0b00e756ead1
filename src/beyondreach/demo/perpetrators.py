"""The demo's perpetrator: a fictional Tajik official recorded with a Latin and a Cyrillic
name, linked to two of the flows' incidents (one whose target agreed to sharing with
authorities, one whose did not), and a sanctions dossier begun, so that a newcomer can open
/perpetrators/, search it in either script and prepare the dossier (docs/accountability.md).
The name is made up: it is on no public list."""

from __future__ import annotations

from beyondreach.accountability.dossier import DossierData, dossier_save
from beyondreach.accountability.perpetrators import (
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
    perpetrator_create,
    perpetrator_link,
)
from beyondreach.cases import models as cm
from beyondreach.core.models import User


def demo_perpetrators(worker: User, incidents: dict[str, cm.Incident]) -> None:
    official = perpetrator_create(
        actor=worker,
        data=PerpetratorData(
            kind="official",
            state="TJ",
            nationality="TJ",
            names=[
                PerpetratorNameData("Rustam Davlatzoda", "Latn"),
                PerpetratorNameData("Рустам Давлатзода", "Cyrl"),
            ],
            position="Deputy head of a regional security service department (fictional)",
            birth_date="1971",
            notes="A demo record: no such official exists.",
        ),
    )
    for key, evidence in (
        ("extradition", "Signed the extradition request, per the court file."),
        ("relatives_at_home", "Named by the relatives as the officer who summoned them."),
    ):
        incident = incidents[key]
        perpetrator_link(
            actor=worker,
            perpetrator=official,
            data=LinkData(
                incident_uuid=incident.uuid,
                role="perpetrator",
                period_from=incident.start_date,
                from_precision="month",
                evidence=evidence,
                source_uuids=[s.uuid for s in incident.sources.all()[:1]],
            ),
        )
    dossier_save(
        actor=worker,
        perpetrator=official,
        data=DossierData(
            legal_basis="eu_ghrsr",
            link_to_case="Demo Exile Support represents the blogger in the extradition case.",
        ),
    )
