"""The edit page reads an incident into the form and the form back into the record through
the parts' declared fields (cases/forms.py): saved without a change, an incident with every
kind of part comes back exactly as it was."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    MechanismData,
    OrganisationData,
    ResponseData,
    SourceData,
)
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def test_an_incident_saved_unchanged_from_its_edit_page_stays_the_same(
    page: Page, live_server: object, personas: Personas
) -> None:
    incident = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            start_date=date(2021, 3, 1),
            start_precision="season",
            ongoing=True,
            place="Istanbul",
            coordinates="41.2753,28.7519",
            groups=[GroupData(size=317, target_group="exile_community", country="TR")],
            organisations=[OrganisationData(name="Exile Radio", kind="media_outlet", country="TR")],
            actors=[ActorData(role="perpetrator", actor_type="police", country="CN", name="X")],
            mechanisms=[
                MechanismData(
                    kind="interpol_diffusion",
                    reference="D-77",
                    issued_by="CN",
                    issued_on=None,
                    issued_precision="unknown",
                    status="active",
                )
            ],
            sources=[
                SourceData(reference="https://a.example.org", reliability="reliable"),
                SourceData(reference="Testimony of a neighbour", kind="testimony"),
            ],
            responses=[
                ResponseData(
                    kind="legal_challenge",
                    description="Appeal",
                    started_on=date(2022, 1, 1),
                    started_precision="year",
                )
            ],
        ),
    )
    before = incident_snapshot(access_incident(personas.case_worker, incident.uuid))
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.goto(f"{base}/incidents/{incident.uuid}/")
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(before["title"])
    after = incident_snapshot(access_incident(personas.case_worker, incident.uuid))
    assert _kept(after) == _kept(before)


def _kept(snapshot: dict[str, Any]) -> dict[str, Any]:
    # A save is a new version, and the services write an incident's sources anew (new ids).
    sources = [{k: v for k, v in s.items() if k != "id"} for s in snapshot["sources"]]
    return {**snapshot, "version": None, "sources": sources}
