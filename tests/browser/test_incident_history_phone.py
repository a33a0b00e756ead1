"""An incident's and a person's history on a phone: each version a card that wraps its
changes (long lines, addresses) inside the screen, so the page never scrolls sideways."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, expect

from beyondreach.cases.inputs import NameData, PersonData, SourceData
from beyondreach.cases.services import incident_create, incident_update, person_update

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in

# Set to a folder to keep the pages' screenshots, to look at them.
SHOTS = os.environ.get("BEYONDREACH_SCREENSHOTS")


def test_the_histories_fit_a_phone_and_read_in_labels(
    browser: Browser, live_server: object, personas: Personas
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    edited = incident_data(
        origin_states=["CN", "IR"],
        tactics=["host_detention", "family_coercion", "digital_threats", "smear_campaign"],
        status="open",
    )
    edited.mechanisms[0].status, edited.mechanisms[0].issued_on = "challenged", date(2024, 1, 2)
    edited.sources.append(
        SourceData(
            reference="https://rights.example.org/reports/2024/a-very-long-address-without-a-space",
            publisher="Example Rights",
            reliability="usually_reliable",
        )
    )
    incident_update(actor=personas.case_worker, incident=incident, data=edited)
    person = incident.targets.get(role="relative").person
    person_update(
        actor=personas.case_worker,
        person=person,
        data=PersonData(names=[NameData("Tokhti Akhmed", "Latn")], statuses=["former_official"]),
    )
    base = str(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, personas.case_worker)
    for width, height, name in ((1280, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/incidents/{incident.uuid}/")
        history = page.locator("table.history")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"history-{name}.png"), full_page=True)
            history.screenshot(path=str(Path(SHOTS) / f"history-{name}-table.png"))
        expect(history).to_contain_text(
            "Tactics: INTERPOL Red Notice or Diffusion → Digital threats and harassment"
        )
        expect(history).to_contain_text("Status: New → Open")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        box = history.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, name
        page.goto(f"{base}/persons/{person.uuid}/")  # the same history, of a person
        expect(page.locator("table.history")).to_contain_text("Statuses: — → Former official")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"person-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    context.close()
