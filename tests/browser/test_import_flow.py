"""A case worker imports a Freedom House-style sheet with messy spellings: the page shows the
word it cannot code and each bad row, the case worker maps the word, imports, watches the
progress bar reach the end, and downloads the rejected rows."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import Browser, expect

from beyondreach.cases import models as m

from ..conftest import Personas
from .conftest import log_in

SHEET = Path(__file__).parents[1] / "interchange" / "data" / "fh_messy.csv"


def test_a_case_worker_maps_a_word_imports_and_watches_the_progress(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    base = str(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    log_in(page, base, personas.case_worker)
    page.get_by_role("link", name="Import").click()
    page.get_by_label("Format").select_option("fh")
    page.get_by_label("File").set_input_files(str(SHEET))
    page.screenshot(path=str(tmp_path / "import-upload.png"), full_page=True)
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of 7 rows")
    expect(page.get_by_label("origin_country", exact=True)).to_have_value("origin_country")
    plan = page.get_by_role("status")
    expect(plan).to_contain_text("3 incidents to create")
    expect(plan).to_contain_text("3 rows rejected")
    errors = page.get_by_role("table", name="Errors by row")
    expect(errors.get_by_role("row").filter(has_text="Persia")).to_contain_text("5")
    expect(errors.get_by_role("row").filter(has_text="20x1")).to_contain_text("Not a date")
    page.get_by_label("“Persia” (1 row)").select_option("IR")
    page.screenshot(path=str(tmp_path / "import-mapping.png"), full_page=True)
    page.get_by_role("button", name="Save and check again").click()
    expect(page.get_by_role("status")).to_contain_text("4 incidents to create")
    assert m.Incident.objects.count() == 0  # checking wrote nothing

    page.get_by_role("button", name="Import 4 new and 0 changed incidents").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    page.screenshot(path=str(tmp_path / "import-progress.png"), full_page=True)
    # The worker `beyondreach serve` starts, here in the test's process: one batch.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    done = page.get_by_role("status")
    expect(done).to_contain_text("4 created", timeout=10_000)  # the bar, polled, ends
    expect(done).to_contain_text("2 rows rejected")
    assert m.Incident.objects.filter(organisation=personas.org).count() == 4
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rejected rows, with their errors").click()
    rejected = Path(download.value.path()).read_text()
    assert "FH-4" in rejected and "Not a date" in rejected and "FH-1" not in rejected

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "import-done-phone.png"), full_page=True)
    page.goto(f"{base}/imports/")
    expect(page.get_by_role("cell", name="Done: 4 created", exact=False)).to_be_visible()
    page.screenshot(path=str(tmp_path / "import-list-phone.png"), full_page=True)
    context.close()
