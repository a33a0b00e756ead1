"""The reporting channel's acceptance test, in a real browser with JavaScript disabled for the
reporter (Tor Browser at its "safest" level): a report in Arabic with a photo, a codename and
a proof of submission; a case worker unlocks, reads and asks; the reporter comes back with
the codename and answers; the case worker turns the report into an incident. Afterwards the
database, the temporary folder and the logs hold none of the report's text and no address."""

from __future__ import annotations

import io
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from beyondreach.cases.models import Incident
from beyondreach.reports.models import Report
from beyondreach.reports.proof import b64 as proof_b64

from ..core import canaries as c
from ..reports.conftest import CASE_WORKER_PASSPHRASE, OpenChannel
from ..reports.conftest import open_channel as open_channel  # a fixture, re-exported
from .conftest import log_in

pytestmark = pytest.mark.browser


def _photo(folder: Path, artist: str) -> Path:
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist: must not survive in the clean copy
    data = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(data, "JPEG", exif=exif)
    path = folder / "evidence.jpg"
    path.write_bytes(data.getvalue())
    return path


def _reporter(browser: Browser) -> Page:
    context = browser.new_context(java_script_enabled=False, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _database_bytes() -> list[tuple[str, bytes]]:
    if connection.vendor == "sqlite":
        return [("the SQLite database image", bytes(connection.connection.serialize()))]
    from ..core.test_encryption_at_rest import _pg, _pg_database_files

    _pg("CHECKPOINT")
    return _pg_database_files()


def _new_temp_files(since: float) -> list[tuple[str, bytes]]:
    found = []
    for root, _dirs, files in os.walk(tempfile.gettempdir()):
        if "playwright" in root or "chromium" in root.lower() or "pytest-of" in root:
            continue  # the browser's own profile is the reporter's device, not the server
        for name in files:
            path = Path(root) / name
            try:
                if path.stat().st_mtime >= since and path.stat().st_size < 50_000_000:
                    found.append((str(path), path.read_bytes()))
            except OSError:
                continue
    return found


@pytest.mark.django_db(transaction=True)
def test_a_reporter_and_a_case_worker_work_a_report_through_to_an_incident(
    browser: Browser,
    page: Page,
    live_server: object,
    open_channel: OpenChannel,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    started = time.time()
    base = str(live_server)
    slug = open_channel.channel.slug
    canary = "رجال من السفارة تبعوني إلى بيتي " + secrets.token_hex(6)
    artist = "Artist-" + secrets.token_hex(6)

    # The reporter: Arabic, no JavaScript.
    reporter = _reporter(browser)
    reporter.goto(f"{base}/r/{slug}/")
    reporter.get_by_role("link", name="العربية").first.click()
    expect(reporter.locator("html")).to_have_attribute("dir", "rtl")
    reporter.locator(".actions a").first.click()
    reporter.locator("#id_what_happened").fill(canary)
    reporter.locator("#id_where_country").select_option("TR")
    reporter.locator("#id_behind_country").select_option("EG")
    reporter.locator("#id_tactics_0").check()
    reporter.locator("#id_files").set_input_files(str(_photo(tmp_path, artist)))
    reporter.locator("form.report-form button[type=submit]").click()
    codename = reporter.locator("#codename").inner_text()
    assert len(codename.split()) == 7
    reporter.locator("#id_practise").fill(codename)
    reporter.locator("#id_practise ~ button").click()
    expect(reporter.locator("p.ok")).to_be_visible()
    reporter.goto(f"{base}/r/{slug}/ar/")  # leaves the receipt; the proof is still offered
    with reporter.expect_download() as download:
        reporter.goto(f"{base}/r/{slug}/ar/status/")
        reporter.locator(f"a[href='/r/{slug}/ar/proof/']").click()
    proof = tmp_path / "proof.txt"
    download.value.save_as(proof)
    reporter.context.close()

    # The proof verifies with the documented command, and not once a byte changes.
    key = proof_b64(bytes(open_channel.channel.verify_key))
    cli = [sys.executable, "-m", "beyondreach.cli", "verify-proof"]
    ok = subprocess.run([*cli, str(proof), "--key", key], capture_output=True, text=True)
    assert ok.returncode == 0 and "VALID" in ok.stdout, ok.stderr
    altered = tmp_path / "altered.txt"
    text = proof.read_text()
    at = text.index("received: ") + len("received: 20")
    altered.write_text(text[:at] + ("9" if text[at] != "9" else "8") + text[at + 1 :])
    bad = subprocess.run([*cli, str(altered), "--key", key], capture_output=True, text=True)
    assert bad.returncode == 1 and "NOT VALID" in bad.stderr

    # The case worker unlocks, reads, asks.
    log_in(page, base, open_channel.personas.case_worker)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Unlock reports").click()
    page.get_by_label("Reporting passphrase").fill(CASE_WORKER_PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.get_by_role("link", name=canary[:20]).click()
    expect(page.get_by_text(canary)).to_be_visible()
    expect(page.get_by_text("evidence.jpg")).to_be_visible()
    with page.expect_download() as clean_download:
        page.get_by_role("link", name="copy without metadata").click()
    clean = Path(clean_download.value.path()).read_bytes()
    assert clean[:2] == b"\xff\xd8" and artist.encode() not in clean
    page.get_by_label("Question or answer to the reporter").fill("هل عائلتك بأمان؟")
    page.get_by_role("button", name="Send to the reporter").click()
    expect(page.get_by_text("هل عائلتك بأمان؟")).to_be_visible()

    # The reporter comes back with the codename, reads the question, answers.
    reporter = _reporter(browser)
    reporter.goto(f"{base}/r/{slug}/ar/follow-up/")
    reporter.locator("#id_codename").fill(codename)
    reporter.locator("#id_codename ~ button").click()
    expect(reporter.get_by_text("هل عائلتك بأمان؟")).to_be_visible()
    reporter.locator("#id_text").fill("أخي استُجوب الأسبوع الماضي " + canary[-12:])
    reporter.locator("#id_text").locator("xpath=ancestor::form").locator("button").click()
    expect(reporter.get_by_text("أخي استُجوب الأسبوع الماضي")).to_be_visible()
    reporter.context.close()

    # The case worker sees the answer and turns the report into an incident.
    page.reload()
    expect(page.get_by_text("أخي استُجوب الأسبوع الماضي")).to_be_visible()
    page.get_by_role("link", name="Turn into an incident").click()
    expect(page.get_by_label("Narrative")).to_contain_text(canary)
    # The reporter wrote no date, so none is invented: the case worker gives one.
    expect(page.get_by_label("Start date")).to_have_value("")
    page.get_by_label("Start date").fill("2026-10-01")
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_text("reporting channel").first).to_be_visible()
    incident = Incident.objects.get()
    report = Report.objects.get()
    assert report.incident == incident and [h.country for h in incident.hosts.all()] == ["TR"]
    assert sorted(o.country for o in incident.origins.all()) == ["EG"]

    # None of the report's text, and no address, where the server keeps things.
    secrets_ = {"report text": canary, "photo author": artist}
    assert c.find_all(_database_bytes(), secrets_) == []
    assert c.find_all(_new_temp_files(started), secrets_) == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for needle in (canary, canary[-12:], artist, "127.0.0.1"):
        assert needle not in logged
