"""Entries of the access matrix (tests/web/matrix.py) for the targeted organisations' pages:
every role reads them (names only for roles that see identities); admins and case workers
merge and undo."""

from __future__ import annotations

from beyondreach.cases.inputs import OrganisationData
from beyondreach.cases.merges import organisation_merge
from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_create

from ..conftest import Personas
from .factories import incident_data

PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    "targeted-organisations/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "targeted-organisations/<str:target_id>/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    # Without a choice: the page again, saying what to choose.
    "targeted-organisations/<str:target_id>/merge/": ("staff", {"POST": (400, 400, 403, 403)}),
    # An undo of a merge undone already changes nothing and goes back to the organisation.
    "targeted-organisations/merges/<str:organisation_merge_id>/undo/": (
        "staff",
        {"POST": (302, 302, 403, 403)},
    ),
}


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    twice = [
        incident_create(
            actor=personas.case_worker,
            data=incident_data(organisations=[OrganisationData(name="Matrix Radio")]),
        )
        .organisation_targets.get()
        .target
        for _ in range(2)
    ]
    merge = organisation_merge(actor=personas.case_worker, survivor=twice[0], merged=twice[1])
    return {"target_id": str(twice[0].uuid), "organisation_merge_id": str(merge.uuid)}
