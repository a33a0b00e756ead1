"""Issue 12, item 5 in a real browser: a case worker opens a defended person's INTERPOL case,
opens its CCF request pack, reviews it (the incident without consent is left out and
counted), chooses the request and its grounds, and prints the pack to PDF with Chromium:
the PDF holds the notice, the grounds and the consenting incidents, not the other one."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from ..accountability.ccf_world import (
    CHARGE,
    DETENTION,
    HEARING,
    NAME,
    NUMBER,
    SOURCE,
    WITHHELD,
    ccf_world,
)
from ..conftest import Personas
from .conftest import log_in


def test_a_case_worker_reviews_and_prints_a_ccf_request_pack(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    world = ccf_world(personas.case_worker)
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
        page.goto(f"{base}/interpol/{world.case.uuid}/")
        page.screenshot(path=str(tmp_path / f"case-{name}.png"), full_page=True)
        page.get_by_role("link", name="Prepare a request to the CCF").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Request to the CCF: review the pack"
        )
        incidents = page.get_by_role("region", name="Incidents showing the notice's")
        expect(incidents.get_by_role("heading", name=DETENTION)).to_be_visible()
        expect(incidents.get_by_role("heading", name=HEARING)).to_be_visible()
        expect(incidents).not_to_contain_text(WITHHELD)
        expect(incidents).to_contain_text("1 incident of this case is left out")
        page.get_by_label("Correction or deletion").check()
        # Asked to delete without grounds: the review again, saying what is missing.
        page.get_by_role("button", name="Make the printable pack").click()
        expect(page.get_by_text("Choose the grounds of the request")).to_be_visible()
        page.get_by_label("Article 3: political, military", exact=False).check()
        page.get_by_label("Refugee status of the person").check()
        page.screenshot(path=str(tmp_path / f"review-{name}.png"), full_page=True)
        page.get_by_role("button", name="Make the printable pack").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Request to the Commission for the Control of INTERPOL's Files"
        )
        page.screenshot(path=str(tmp_path / f"print-page-{name}.png"), full_page=True)
        if name == "desktop":
            printed = page.url
        context.close()

    context = browser.new_context(storage_state=session)
    page = context.new_page()
    page.goto(printed)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "ccf-pack.pdf").write_bytes(pdf)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(tmp_path / "ccf-pack-print.png"), full_page=True)
    context.close()

    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].mediabox
    assert abs(float(first.width) - 595) < 2 and abs(float(first.height) - 842) < 2  # A4
    flat = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    for expected in (
        "Request to the Commission for the Control of INTERPOL's Files",
        NAME,
        "1984-03-02",
        NUMBER,
        CHARGE,
        "Issuing state China (CN)",
        "Correction or deletion",
        "Article 3: political, military, religious or racial character",
        "Refugee status of the person",
        DETENTION,
        HEARING,
        SOURCE,
        "Extradition refused",
    ):
        assert expected in flat, expected
    assert WITHHELD not in flat
    assert "1 of this case's incidents is not included" in flat
    for screen_only in ("Log out", "Back to the review", "Save as PDF"):
        assert screen_only not in flat, screen_only
