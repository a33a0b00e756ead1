"""The public reporting pages on a cheap phone without script: labelled, no sideways
scrolling, in a left-to-right and a right-to-left language, and the quick exit first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from ..reports.conftest import OpenChannel
from ..reports.conftest import open_channel as open_channel  # a fixture, re-exported
from .test_accessibility import UNLABELLED


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_public_pages_fit_a_phone_and_label_every_field(
    browser: Browser, live_server: object, open_channel: OpenChannel, lang: str
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    base = f"{live_server}/r/{open_channel.channel.slug}"
    for path in (f"{base}/", f"{base}/{lang}/", f"{base}/{lang}/new/", f"{base}/{lang}/follow-up/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
        assert page.evaluate(UNLABELLED) == [], path
        if path != f"{base}/":
            page.keyboard.press("Tab")  # the first stop is the way out
            assert page.evaluate("document.activeElement.className") == "quick-exit"
    context.close()
