"""The core's acceptance test, in a real browser: a case worker records an incident with two
targets (one a parent back home), three tactics including an INTERPOL Red Notice and a
source; finds it by the target's name written in another script; an analyst of the same
organisation sees it with identities withheld; a user of another organisation cannot reach
it at all."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..conftest import Personas
from .conftest import log_in


def _fill_incident(page: Page) -> None:
    page.get_by_label("Title").fill("Red Notice and threats against a Uyghur poet")
    page.get_by_label("Narrative").fill("Stopped at passport control; her father was questioned.")
    page.get_by_label("Start date").fill("2024-03-01")
    page.get_by_role("listbox", name="Origin states").select_option(["CN"])
    page.get_by_role("listbox", name="Host countries").select_option(["TR"])
    for tactic in (
        "INTERPOL Red Notice or Diffusion",
        "Detention in the host country at the origin state's request",
        "Threats to, detention or harassment of family back home",
    ):
        page.get_by_label(tactic).check()
    target = page.get_by_role("group", name="Target 1")
    target.get_by_label("Name or alias").fill("Gulnara Tokhtieva")
    target.get_by_label("Script", exact=True).select_option("Latn")
    target.get_by_label("Role").select_option("primary")
    parent = page.get_by_role("group", name="Target 2")
    parent.get_by_label("Name or alias").fill("Тохти Ахмедов")
    parent.get_by_label("Script", exact=True).select_option("Cyrl")
    parent.get_by_label("Role").select_option("relative")
    parent.get_by_label("Relation").select_option("parent")
    notice = page.get_by_role("group", name="Legal mechanism 1")
    notice.get_by_label("Legal mechanism").select_option("interpol_red_notice")
    notice.get_by_label("Reference (e.g. notice id)").fill("A-4711/3-2023")
    source = page.get_by_role("group", name="Source 1")
    source.get_by_label("URL or document").fill("https://news.example.org/poet")
    source.get_by_label("Reliability").select_option("reliable")


def test_a_case_worker_records_finds_and_others_see_only_what_they_may(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.get_by_role("link", name="Record an incident").click()
    _fill_incident(page)
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Red Notice and threats against a Uyghur poet"
    )
    expect(page.get_by_text("Тохти Ахмедов")).to_be_visible()
    expect(page.get_by_text("A-4711/3-2023")).to_be_visible()
    incident_url = page.url

    page.get_by_role("link", name="Incidents").click()
    page.get_by_label("Target's name (any script)").fill("Гульнара")
    page.get_by_role("button", name="Filter").click()
    expect(
        page.get_by_role("link", name="Red Notice and threats against a Uyghur poet")
    ).to_be_visible()
    assert "q=" not in page.url and "%D0" not in page.url  # the name stayed out of the URL
    page.get_by_label("Target's name (any script)").fill("Dilnoza")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No incidents match.")).to_be_visible()

    page.goto(incident_url)
    page.get_by_role("link", name="Тохти Ахмедов").click()
    expect(page.get_by_role("cell", name="Relative (parent)")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, base, personas.analyst)
    page.goto(incident_url)
    expect(page.get_by_text("Identities are withheld for your role")).to_be_visible()
    body = page.content()
    assert "Gulnara" not in body and "Тохти" not in body and "A-4711" not in body
    assert "INTERPOL Red Notice or Diffusion" in body

    page.context.clear_cookies()
    log_in(page, base, personas.outsider)
    answer = page.goto(incident_url)
    assert answer is not None and answer.status == 404
    assert "Uyghur poet" not in page.content()


def test_a_rejected_form_keeps_everything_typed(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.goto(f"{base}/incidents/new/")
    _fill_incident(page)
    page.get_by_role("listbox", name="Host countries").select_option([])
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("alert").first).to_contain_text("was not saved")
    expect(page.get_by_label("Title")).to_have_value("Red Notice and threats against a Uyghur poet")
    target = page.get_by_role("group", name="Target 2")
    expect(target.get_by_label("Name or alias")).to_have_value("Тохти Ахмедов")
    expect(page.get_by_label("INTERPOL Red Notice or Diffusion")).to_be_checked()
    page.get_by_role("listbox", name="Host countries").select_option(["TR"])
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Red Notice and threats against a Uyghur poet"
    )
