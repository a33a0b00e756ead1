"""Where an incident took effect, in the form: several host countries; none, with the reason;
a host country that is also the origin state only once confirmed, the form saying why."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..conftest import Personas
from .conftest import log_in


def _start(page: Page, base: str, title: str) -> None:
    page.goto(f"{base}/incidents/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Start date").fill("2024-06-01")
    page.get_by_role("listbox", name="Origin states").select_option(["TJ"])
    page.get_by_label("Threats of harm", exact=True).check()


def test_a_case_worker_records_where_an_incident_took_effect(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)

    # The origin state typed as host: the form asks why, and offers the right answer.
    _start(page, base, "Parents of an exile threatened in Dushanbe")
    page.get_by_role("listbox", name="Host countries").select_option(["TJ"])
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_text("Tajikistan (TJ) is also an origin state")).to_be_visible()
    confirm = page.get_by_label("A host country is also an origin state, and that is right")
    expect(confirm).not_to_be_checked()
    page.get_by_role("listbox", name="Host countries").select_option([])
    page.get_by_label("No host country, because").select_option("origin_only")
    page.get_by_role("button", name="Save incident").click()
    facts = page.locator("dt:text-is('Host countries') + dd")
    expect(facts).to_have_text("None: Origin state only (relatives at home)")

    # Three host countries, each named on the page; found by each in the list.
    _start(page, base, "Exiles designated in three countries")
    page.get_by_role("listbox", name="Host countries").select_option(["GB", "TR", "CA"])
    page.get_by_role("button", name="Save incident").click()
    expect(facts).to_have_text("Canada (CA), United Kingdom (GB), Türkiye (TR)")

    page.get_by_role("link", name="Incidents").click()
    page.get_by_label("Host country", exact=True).select_option("none")
    page.get_by_role("button", name="Filter").click()
    expect(
        page.get_by_role("link", name="Parents of an exile threatened in Dushanbe")
    ).to_be_visible()
    expect(page.get_by_text("Exiles designated in three countries")).to_have_count(0)
    page.get_by_label("Host country", exact=True).select_option("CA")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Exiles designated in three countries")).to_be_visible()
    expect(page.get_by_role("cell", name="CA, GB, TR")).to_be_visible()
