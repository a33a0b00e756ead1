"""A case worker judges an incident borderline, says why, and finds it again by its scope;
the page says whether Freedom House's narrower definition counts it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..conftest import Personas
from .conftest import log_in


def test_a_case_worker_marks_an_incident_borderline_with_a_reason_and_filters_by_scope(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.get_by_role("link", name="Record an incident").click()
    page.get_by_label("Title").fill("Embassy letter to a student's university")
    page.get_by_label("Start date").fill("2025-02-01")
    page.get_by_role("listbox", name="Origin states").select_option(["EG"])
    page.get_by_role("listbox", name="Host countries").select_option(["DE"])
    page.get_by_label("Pressure on employers, landlords, platforms or businesses").check()
    page.get_by_label("Transnational repression?").select_option("borderline")
    page.get_by_role("button", name="Save incident").click()
    # Borderline without a reason: the form says which field and why, and keeps the rest.
    expect(page.get_by_text("Say why the incident is borderline or out of scope.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Embassy letter to a student's university")
    page.get_by_label("Cross-border element").check()
    page.get_by_label("Why it is or is not in scope").fill(
        "No threat in the letter; the university was only asked about her studies."
    )
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Embassy letter to a student's university"
    )
    scope = page.locator("dt:text-is('Scope') + dd")
    expect(scope).to_contain_text("Borderline (Cross-border element)")
    expect(scope).to_contain_text("the university was only asked about her studies")
    expect(scope).to_contain_text("Not counted by Freedom House's narrower definition")

    page.get_by_role("link", name="Incidents").click()
    page.get_by_label("Scope", exact=True).select_option("out_of_scope")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No incidents match.")).to_be_visible()
    page.get_by_label("Scope", exact=True).select_option("borderline")
    page.get_by_role("button", name="Filter").click()
    expect(
        page.get_by_role("link", name="Embassy letter to a student's university")
    ).to_be_visible()
