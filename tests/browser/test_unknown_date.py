"""A case worker records threats whose date nobody knows without inventing one: the form
asks for the date or the precision "Unknown", the page says "Not known", and the list puts
the incident after every dated one (issue 9 item 4)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in

TITLE = "Threats to a blogger's brother, date not known"


def test_a_case_worker_records_an_incident_whose_date_is_not_known(
    page: Page, live_server: object, personas: Personas
) -> None:
    incident_create(
        actor=personas.case_worker,
        data=incident_data(title="An older, dated incident", start_date=date(2015, 1, 1)),
    )
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.get_by_role("link", name="Record an incident").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("listbox", name="Origin states").select_option(["BY"])
    page.get_by_role("listbox", name="Host countries").select_option(["LT"])
    page.get_by_label("Threats of harm", exact=True).check()
    page.get_by_role("button", name="Save incident").click()
    # No date and no "Unknown": the form says which field and why, and keeps the rest.
    expect(page.get_by_text("Give the date, or choose the precision “Unknown”.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    page.get_by_label("Start precision").select_option("unknown")
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("dt:text-is('Date') + dd")).to_have_text("Not known")

    page.get_by_role("link", name="Incidents").click()
    rows = page.locator("tbody tr")
    expect(rows.last).to_contain_text(TITLE)
    expect(rows.last).to_contain_text("Date not known")
    expect(rows.first).to_contain_text("An older, dated incident")
