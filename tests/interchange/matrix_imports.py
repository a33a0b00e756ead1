"""Entries of the access matrix (tests/web/matrix.py) for the import pages, and the import
behind their parameter: admins and case workers import; analysts and viewers may not."""

from __future__ import annotations

from beyondreach.cases.models import Incident
from beyondreach.interchange.imports import import_create

from ..conftest import Personas

PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    # An empty POST is a form without its file: 400 with the error.
    "imports/": ("staff", {"GET HEAD": (200, 200, 403, 403), "POST": (400, 400, 403, 403)}),
    "imports/<str:job_id>/": (
        "staff",
        {"GET HEAD": (200, 200, 403, 403), "POST": (302, 302, 403, 403)},
    ),
    "imports/<str:job_id>/progress/": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
    "imports/<str:job_id>/rejected.csv": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
}
API: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    # Without a file: 422 naming it, before the role is looked at (tests/interchange checks
    # that analysts and viewers get 403 with one).
    "api/v1/imports": ("staff", {"POST": (422, 422, 422, 422)}),
    "api/v1/imports/<job_id>": ("staff", {"GET": (200, 200, 403, 403)}),
}

SHEET = b"incident_id,year,origin_country,tactic\nM-1,2024,China,Detention\n"


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    job = import_create(actor=personas.case_worker, fmt="fh", filename="m.csv", content=SHEET)
    return {"job_id": str(job.uuid)}
