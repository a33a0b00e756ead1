"""An analyst opens a year's statistics report and prints it to PDF with Chromium: the PDF
holds the headline figures and the tables, and none of the page's menus or form."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from ..conftest import Personas
from ..statistics.builders import record
from .conftest import log_in


def _record_2024(personas: Personas) -> None:
    cw = personas.case_worker
    record(cw, origins=["CN", "RU"], tactics=["assault", "spyware"], targets=2)
    record(cw, origins=["CN"], tactics=["doxxing"], hosts=["TR", "DE"], start=date(2024, 7, 15))
    record(cw, origins=["IR"], tactics=["interpol_abuse"], start=date(2024, 9, 2), targets=3)
    record(cw, origins=["CN"], tactics=["assault"], start=date(2023, 5, 2))


def test_an_analyst_prints_a_year_s_report_to_a_clean_pdf(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    _record_2024(personas)
    base = str(live_server)
    for name, (width, height) in (("desktop", (1280, 900)), ("phone", (390, 844))):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        log_in(page, base, personas.analyst)
        page.goto(f"{base}/statistics/")
        page.get_by_role("link", name="A year's report").click()
        page.get_by_label("Year").fill("2024")
        page.get_by_role("button", name="Show the report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("2024")
        origins = page.get_by_role("table", name="By origin state")
        expect(origins.get_by_role("row", name="China")).to_contain_text("2")
        for image in ("Incidents per month", "Incidents by host country: world map"):
            expect(page.get_by_role("img", name=image)).to_be_visible()
        loaded = "[...document.querySelectorAll('figure img')].every(i => i.naturalWidth > 0)"
        assert page.evaluate(loaded)
        page.screenshot(path=str(tmp_path / f"report-{name}.png"), full_page=True)
        context.close()

    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, personas.analyst)
    page.goto(f"{base}/statistics/report/?year=2024")
    page.wait_for_load_state("networkidle")  # the chart and the map are in the print
    # The page size is the report's own (@page in report.css), not a default of the test.
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "report.pdf").write_bytes(pdf)
    # The print as an image too, to look at (A4's width in CSS pixels).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(tmp_path / "report-print.png"), full_page=True)
    context.close()

    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].mediabox
    # A4 in points (595 x 842), as Chromium rounds it.
    assert abs(float(first.width) - 595) < 2 and abs(float(first.height) - 842) < 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.split())
    assert "Incidents of transnational repression: 2024" in flat
    for figure in ("Incidents 3", "Targets 6", "Origin states 3", "Host countries 2"):
        assert figure in flat, figure
    assert "33% (1 of 3)" in flat  # Freedom House: only the assault is direct and physical
    assert "China 2 3" in flat  # by origin state: incidents, targets
    assert "China Germany 2024 2" in flat  # the largest flow
    # The screen's menus, form and button are not printed.
    for screen_only in ("Log out", "Show the report", "Shared with us", "Save as PDF"):
        assert screen_only not in flat, screen_only
