"""A case worker records a state's designation of a defended person from the person's page,
then the appeal that gets the person delisted (issue 12, item 2)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def test_a_case_worker_records_a_designation_and_the_appeal_that_ends_it(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    person = incident.targets.get(role="primary").person
    base = str(live_server)
    session = None
    for name, (width, height) in (("desktop", (1280, 900)), ("phone", (390, 844))):
        context = browser.new_context(
            viewport={"width": width, "height": height}, storage_state=session
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        if session is None:
            log_in(page, base, personas.case_worker)
            session = context.storage_state()
        page.goto(f"{base}/persons/{person.uuid}/")
        page.get_by_role("link", name="Record a designation").click()
        page.get_by_label("Listing state").select_option("TR")
        page.get_by_label("Authority").fill("Ministry of the Interior")
        page.get_by_label("Listed on").fill("2023-11-02")
        page.get_by_label("Assets frozen").check()
        page.get_by_label("Bounty offered").check()
        page.get_by_label("The grounds, as the state states them").fill("Financing terrorism")
        page.get_by_label("Red Notice against a Uyghur poet in Istanbul", exact=False).check()
        page.screenshot(path=str(tmp_path / f"designation-new-{name}.png"), full_page=True)
        page.get_by_role("button", name="Save the designation").click()

        expect(page.get_by_role("heading", level=1)).to_contain_text("by Türkiye")
        expect(page.get_by_text("Assets frozen; Bounty offered")).to_be_visible()
        page.get_by_text("Record an appeal or another step").click()
        page.get_by_label("Step").select_option("appeal")
        page.get_by_label("Where").select_option("TR")
        page.get_by_role("button", name="Save the step").click()
        expect(page.get_by_text("Under appeal")).to_be_visible()
        page.get_by_text("Record the outcome").click()
        page.get_by_label("Outcome").select_option("delisted")
        page.get_by_label("Decided on").fill("2024-09-01")
        page.get_by_role("button", name="Save the outcome").click()
        expect(page.get_by_role("definition").filter(has_text="Delisted")).to_be_visible()
        page.screenshot(path=str(tmp_path / f"designation-{name}.png"), full_page=True)
        context.close()
