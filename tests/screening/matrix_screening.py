"""Entries of the access matrix (tests/web/matrix.py) for the screening page, and the match
behind its parameter: admins and case workers see and decide matches (they name the
person); analysts and viewers may not."""

from __future__ import annotations

from django.utils import timezone

from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.models import Incident
from beyondreach.cases.services import person_create
from beyondreach.screening.lists import ParsedEntity, entities_store
from beyondreach.screening.models import PublicList
from beyondreach.screening.services import screening_run

from ..conftest import Personas

PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    "screening/": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
    # An empty POST has no decision: 400.
    "screening/<str:match_id>/decide/": ("staff", {"POST": (400, 400, 403, 403)}),
}

LISTED = "Matrix Listed Person"


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    person_create(actor=personas.case_worker, data=PersonData(names=[NameData(LISTED)]))
    notices = PublicList.objects.create(name="matrix", sha256="-", loaded_at=timezone.now())
    entity = ParsedEntity("matrix-1", "Person", LISTED, [LISTED], [], [], ["wanted"], [])
    entities_store(notices, [entity])
    [match] = screening_run(organisation=personas.org).new_matches
    return {"match_id": str(match.uuid)}
