"""What the public reporting pages leave on the reporter's device, and what a reload does:
no cookie outlives the browser session, and reloading the receipt sends nothing again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from beyondreach.reports.models import Report

from ..reports.conftest import OpenChannel
from ..reports.conftest import open_channel as open_channel  # a fixture, re-exported

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_no_cookie_of_the_reporting_pages_outlives_the_browser_session_and_a_reload_sends_nothing(
    browser: Browser, live_server: object, open_channel: OpenChannel
) -> None:
    base, slug = str(live_server), open_channel.channel.slug
    context = browser.new_context(java_script_enabled=False)
    reporter = context.new_page()
    reporter.set_default_timeout(15_000)
    reporter.goto(f"{base}/r/{slug}/en/new/")
    reporter.locator("#id_what_happened").fill("Men from the consulate photographed me.")
    reporter.locator("form.report-form button[type=submit]").click()
    codename = reporter.locator("#codename").inner_text()
    assert reporter.url.endswith(f"/r/{slug}/en/receipt/")

    reporter.reload()  # a GET: the browser does not offer to send the form again
    expect(reporter.locator("#codename")).to_have_text(codename)
    reporter.go_back()
    reporter.go_forward()
    assert Report.objects.count() == 1

    reporter.goto(f"{base}/r/{slug}/en/follow-up/")
    reporter.locator("#id_codename").fill(codename)
    reporter.locator("#id_codename ~ button").click()
    reporter.locator("#id_text").fill("They came back today.")
    reporter.locator("#id_text").locator("xpath=ancestor::form").locator("button").click()
    expect(reporter.get_by_text("They came back today.")).to_be_visible()

    cookies = context.cookies()
    assert {c["name"] for c in cookies} >= {"csrftoken", "tnr_reporter"}
    lasting = [(c["name"], c["expires"]) for c in cookies if c["expires"] != -1]
    assert lasting == [], "cookies with an expiry date outlive the browser session"
    context.close()
