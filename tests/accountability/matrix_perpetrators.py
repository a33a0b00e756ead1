"""Entries of the access matrix (tests/web/matrix.py) for perpetrators and their sanctions
dossier: every role reads a perpetrator (analysts and viewers its coded parts); admins and
case workers write, and they alone open the dossier."""

from __future__ import annotations

from beyondreach.accountability.dossier import DossierData, dossier_save
from beyondreach.accountability.perpetrators import (
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
    perpetrator_create,
    perpetrator_link,
)
from beyondreach.cases.models import Incident

from ..conftest import Personas

Statuses = dict[str, tuple[int, int, int, int]]
# An empty POST is a form with its errors: 400.
WRITE = {"POST": (400, 400, 403, 403)}
WRITER_PAGE = {"GET HEAD": (200, 200, 403, 403)}
PAGES: dict[str, tuple[str, Statuses]] = {
    "perpetrators/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "perpetrators/new/": ("staff", {**WRITER_PAGE, **WRITE}),
    "perpetrators/links/<str:link_id>/": ("staff", WRITE),
    "perpetrators/<str:perpetrator_id>/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "perpetrators/<str:perpetrator_id>/edit/": ("staff", {**WRITER_PAGE, **WRITE}),
    "perpetrators/<str:perpetrator_id>/links/": ("staff", WRITE),
    "perpetrators/<str:perpetrator_id>/unlink/": ("staff", WRITE),
    "perpetrators/<str:perpetrator_id>/list-decision/": ("staff", WRITE),
    "perpetrators/<str:perpetrator_id>/dossier/": ("staff", {**WRITER_PAGE, **WRITE}),
    "perpetrators/<str:perpetrator_id>/dossier/print/": ("staff", WRITER_PAGE),
}


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    perpetrator = perpetrator_create(
        actor=personas.case_worker,
        data=PerpetratorData(
            kind="official", state="CN", names=[PerpetratorNameData("Matrix Official", "Latn")]
        ),
    )
    link = perpetrator_link(
        actor=personas.case_worker,
        perpetrator=perpetrator,
        data=LinkData(incident_uuid=incident.uuid, role="perpetrator"),
    )
    dossier_save(
        actor=personas.case_worker,
        perpetrator=perpetrator,
        data=DossierData(legal_basis="eu_ghrsr"),
    )
    return {"perpetrator_id": str(perpetrator.uuid), "link_id": str(link.uuid)}
