"""Issue 12's first steps in a real browser: a case worker records a Red Notice against a
defended person from the person's page, files a request to the CCF, starts its clock when it
is found admissible, sees the clock on the deadlines board, and records the decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Browser, expect

from beyondreach.accountability.services import add_months
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def test_a_case_worker_follows_a_red_notice_to_the_ccf_and_its_clock(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    person = incident.targets.get(role="primary").person
    base = str(live_server)
    today = dt.date.today()
    admissible = add_months(today, -4) + dt.timedelta(days=10)  # due in about ten days
    due = add_months(admissible, 4)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, personas.case_worker)
    page.goto(f"{base}/persons/{person.uuid}/")
    page.get_by_role("link", name="Record a notice or diffusion against this person").click()
    page.get_by_label("Kind", exact=True).select_option("red_notice")
    page.get_by_label("Issuing state", exact=True).select_option("CN")
    page.get_by_label("Issued on").fill("2023-05-01")
    page.get_by_label("Notice or diffusion number").fill("A-1234/5-2023")
    page.get_by_label("The charge, as the issuing state states it").fill("Separatism")
    page.get_by_label("Red Notice against a Uyghur poet in Istanbul", exact=False).check()
    page.screenshot(path=str(tmp_path / "case-new-desktop.png"), full_page=True)
    page.get_by_role("button", name="Save the case").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Red Notice against")
    page.get_by_text("File a request to the CCF").click()
    page.get_by_label("Request to the CCF for").select_option("access")
    page.get_by_label("Filed on").fill(add_months(today, -5).isoformat())
    page.get_by_role("button", name="File the request").click()
    expect(page.get_by_text("Not yet found admissible")).to_be_visible()
    request = page.get_by_role("region", name="Access to the data, filed")
    request.get_by_label("Found admissible on").fill(admissible.isoformat())
    request.get_by_role("button", name="Start the clock").click()
    expect(page.get_by_text(f"the CCF's decision is due by {due.isoformat()}")).to_be_visible()
    page.screenshot(path=str(tmp_path / "case-desktop.png"), full_page=True)

    page.goto(f"{base}/deadlines/")
    upcoming = page.get_by_role("table", name="Next 30 days")
    row = upcoming.get_by_role("row").filter(has_text=due.isoformat())
    expect(row).to_contain_text("Appeal or challenge deadline")
    expect(row).to_contain_text("Red Notice against a Uyghur poet in Istanbul")

    page.go_back()
    request = page.get_by_role("region", name="Access to the data, filed")
    request.get_by_text("Record the CCF's decision").click()
    request.get_by_label("The CCF's decision").select_option("deleted")
    request.get_by_label("Article 3: political, military, religious or racial character").check()
    request.get_by_label("Decided on").fill(today.isoformat())
    request.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Not compliant: data deleted")).to_be_visible()
    expect(page.get_by_text("(clock stopped)")).to_be_visible()
    context.close()

    # The same case on a phone, read by an analyst: coded facts, no charge, no name.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, personas.analyst)
    page.goto(f"{base}/interpol/")
    page.get_by_role("link", name="P-", exact=False).click()
    expect(page.get_by_text("Article 3: political")).to_be_visible()
    expect(page.get_by_text("Separatism")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "case-analyst-phone.png"), full_page=True)
    phone.close()
