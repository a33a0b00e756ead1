"""Issue 12, item 6 in a real browser: an analyst finds the INTERPOL counts from the
statistics page, reads notices by issuing state and year that match the records, and a
number opens the INTERPOL cases it counts; a designation count opens its designations."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from ..conftest import Personas
from ..statistics.test_accountability_counts import record_cases
from .conftest import log_in


def test_an_analyst_reads_the_interpol_counts_and_opens_the_cases_behind_one(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    record_cases(personas)
    base = str(live_server)
    session = None
    for name, (width, height) in (("desktop", (1280, 900)), ("phone", (390, 844))):
        context = browser.new_context(
            viewport={"width": width, "height": height}, storage_state=session
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        if session is None:
            log_in(page, base, personas.analyst)
            session = context.storage_state()
        page.goto(f"{base}/statistics/")
        section = page.get_by_role("region", name="INTERPOL notices, CCF decisions")
        expect(section).to_contain_text("4 notices and diffusions recorded")
        section.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"statistics-{name}.png"))
        section.get_by_role("link", name="counts by issuing state and year").click()

        notices = page.get_by_role("table", name="Notices and diffusions by issuing state")
        expect(notices.get_by_role("row", name="China")).to_have_text("China2103")
        expect(notices.get_by_role("row", name="Total 2")).to_have_text("Total2114")
        grounds = page.get_by_role("table", name="The CCF's decisions")
        expect(grounds.get_by_role("row", name="Refugee status")).to_contain_text("1")
        designations = page.get_by_role("table", name="Designations by listing state")
        expect(designations.get_by_role("row", name="Türkiye 1")).to_have_text("Türkiye112")
        page.screenshot(path=str(tmp_path / f"counts-{name}.png"), full_page=True)

        notices.get_by_role("row", name="China").get_by_role("link", name="2", exact=True).click()
        expect(
            page.get_by_text("Showing only the cases with issuing state China (CN)")
        ).to_be_visible()
        expect(page.get_by_role("link", name="P-", exact=False)).to_have_count(2)
        page.screenshot(path=str(tmp_path / f"interpol-filtered-{name}.png"), full_page=True)
        page.go_back()
        designations.get_by_role("row", name="Türkiye").get_by_role(
            "link", name="2", exact=True
        ).click()
        expect(page.get_by_text("Showing only the designations with listing state")).to_be_visible()
        expect(page.get_by_role("link", name="P-", exact=False)).to_have_count(2)
        page.screenshot(path=str(tmp_path / f"designations-filtered-{name}.png"), full_page=True)
        context.close()
