"""A case worker filters the incident list, opens Export, picks CSV and downloads exactly
the filtered incidents; the export page at desktop and phone sizes."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from playwright.sync_api import Browser, expect

from ..conftest import Personas
from ..interchange.export_builders import CANARY, recorded
from .conftest import log_in

# Set to a folder to keep the pages' screenshots, to look at them.
SHOTS = os.environ.get("BEYONDREACH_SHOTS", "")


def test_a_case_worker_exports_the_filtered_list_as_csv(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    cw = personas.case_worker
    wanted = {str(recorded(cw, origins=("TJ",)).uuid), str(recorded(cw, origins=("TJ",)).uuid)}
    recorded(cw, origins=("CN",))
    base = str(live_server)
    shots = Path(SHOTS) if SHOTS else tmp_path
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    log_in(page, base, cw)
    page.get_by_label("Origin state").select_option("TJ")
    expect(page.get_by_text("2 incidents match.")).to_be_visible()
    page.get_by_role("link", name="Export these incidents").click()

    expect(page.get_by_role("heading", name="Export incidents")).to_be_visible()
    expect(page.get_by_text("2 incidents will be exported.")).to_be_visible()
    page.get_by_label("CSV: every field", exact=False).check()
    page.screenshot(path=str(shots / "export-desktop.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {r["id"] for r in rows} == wanted
    assert {r["targets.name"] for r in rows} == {CANARY}
    assert download.value.suggested_filename.startswith("incidents-csv-")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("button", name="Download")).to_be_visible()
    page.screenshot(path=str(shots / "export-phone.png"), full_page=True)
    context.close()
