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


def test_a_case_worker_records_a_group_with_named_members_and_a_company(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    _start(page, base, "Eleven exiles designated, and their company")
    page.get_by_role("listbox", name="Host countries").select_option(["GB", "CA"])
    member = page.get_by_role("group", name="Target 1")
    member.get_by_label("Name or alias").fill("Ali Fictional")
    member.get_by_label("Role").select_option("primary")
    member.get_by_label("Member of").select_option("0")
    group = page.get_by_role("group", name="Group 1")
    group.get_by_label("Target group").select_option("activist")
    page.get_by_role("button", name="Save incident").click()
    # A group without its size: the form says which field and why, and keeps the rest.
    expect(group.get_by_text("Say how many people, even as an estimate.")).to_be_visible()
    expect(member.get_by_label("Name or alias")).to_have_value("Ali Fictional")
    group.get_by_label("How many people").fill("11")
    company = page.get_by_role("group", name="Organisation 1")
    company.get_by_label("Organisation's name").fill("Exile Media Ltd")
    company.get_by_label("Kind").select_option("company")
    company.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Eleven exiles designated, and their company"
    )
    expect(page.get_by_text("Group 1: 11 people (Activist)")).to_be_visible()
    expect(page.get_by_text("Exile Media Ltd — Company or business")).to_be_visible()
    expect(page.get_by_text("12 targets in all")).to_be_visible()
    expect(page.get_by_text("member of group 1")).to_be_visible()
