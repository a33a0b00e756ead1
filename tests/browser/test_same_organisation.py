"""An organisation named again, in another script, is found before it is recorded twice: the
form asks whether it is the one recorded before, and the answer keeps one record (issue 9,
item 3, "same for organisations")."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from beyondreach.cases import models as m
from beyondreach.cases.inputs import OrganisationData
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def _record(page: Page, base: str, title: str, organisation: str) -> None:
    page.goto(f"{base}/incidents/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Start date").fill("2025-01-10")
    page.get_by_role("listbox", name="Origin states").select_option(["RU"])
    page.get_by_role("listbox", name="Host countries").select_option(["CZ"])
    page.get_by_label("Threats of harm", exact=True).check()
    row = page.get_by_role("group", name="Organisation 1")
    row.get_by_label("Organisation's name").fill(organisation)
    row.get_by_label("Kind").select_option("media_outlet")
    page.get_by_role("button", name="Save incident").click()


def test_a_second_incident_names_the_organisation_recorded_before(
    page: Page, live_server: object, personas: Personas
) -> None:
    incident_create(
        actor=personas.case_worker,
        data=incident_data(
            organisations=[OrganisationData(name="Radio Svoboda", kind="media_outlet")]
        ),
    )
    base = str(live_server)
    log_in(page, base, personas.case_worker)

    _record(page, base, "Bomb threat against the radio's office", "Радио Свобода")
    row = page.get_by_role("group", name="Organisation 1")
    expect(row.get_by_text("1 recorded organisation matches this name")).to_be_visible()
    row.get_by_label("Radio Svoboda", exact=False).check()
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bomb threat against the radio's office"
    )
    assert m.TargetedOrganisation.objects.count() == 1  # no second record of it
    assert m.TargetedOrganisation.objects.get().targetings.count() == 2

    # Another organisation that shares the words: a new one, said so once.
    _record(page, base, "A namesake", "Svoboda radio")
    page.get_by_label("A new organisation: none of these").check()
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A namesake")
    assert m.TargetedOrganisation.objects.count() == 2
