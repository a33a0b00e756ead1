"""An admin publishes a table with small-cell suppression and another with differential
privacy; the public page shows them with JavaScript off and sets no cookie."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import Personas
from ..statistics.test_publish import record_counted
from .conftest import log_in

pytestmark = pytest.mark.browser
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def choose(page: Page, table: int, **fields: str) -> None:
    group = page.get_by_role("group", name=f"Table {table}")
    for label, value in fields.items():
        control = group.get_by_label(label, exact=True)
        if label in ("Epsilon (differential privacy)",):
            control.fill(value)
        else:
            control.select_option(value)


def test_an_admin_publishes_and_the_public_reads_without_script_or_cookie(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    record_counted(personas)  # China 26, Iran 24, Russia 3 (2023 and 2024)
    base = str(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, personas.admin)
    page.goto(f"{base}/statistics/")
    page.get_by_role("link", name="Publish statistics on our public page").click()
    page.get_by_label("Public address").fill("safeguard")
    choose(page, 1, Rows="origin", Columns="year", **{"Disclosure control": "suppression"})
    choose(
        page,
        2,
        Rows="year",
        **{"Disclosure control": "dp", "Epsilon (differential privacy)": "1.5"},
    )
    choose(page, 3, **{"Show as": "map", "Rows": "origin"})
    # The epsilon field keeps the focus: leaving it after a full-page screenshot makes Chromium
    # scroll back to it between the button's mouse down and up, and the click is lost.
    page.locator(":focus").blur()
    page.screenshot(path=str(tmp_path / "publish-form-desktop.png"), full_page=True)
    page.get_by_role("button", name="Publish").click()
    # Publishing counts, protects and audits every table (the suppression audit solves
    # integer programs): seconds on a busy machine, not a page view.
    expect(page.get_by_text("Published.", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="/p/safeguard/statistics/")).to_be_visible()
    expect(page.locator("#privacy-budget")).to_contain_text("epsilon 1.5 spent of 10")
    page.screenshot(path=str(tmp_path / "publish-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "publish-phone.png"), full_page=True)
    context.close()

    for name, (width, height) in VIEWPORTS.items():
        public = browser.new_context(
            java_script_enabled=False, viewport={"width": width, "height": height}
        )
        page = public.new_page()
        response = page.goto(f"{base}/p/safeguard/statistics/")
        assert response is not None and response.status == 200
        assert "default-src 'none'" in response.headers["content-security-policy"]
        suppressed = page.get_by_role("table", name="Incidents by origin state and year")
        russia = suppressed.get_by_role("row", name="Russian Federation")
        expect(russia).to_contain_text("suppressed")
        expect(suppressed.get_by_role("row", name="China")).to_contain_text("25")  # 26, rounded
        expect(page.get_by_text("a figure under 10 is suppressed").first).to_be_visible()
        private = page.get_by_role("table", name="Incidents by year: value (95% interval)")
        expect(private.get_by_role("row", name="2024")).to_be_visible()
        expect(page.get_by_text("Differential privacy, epsilon 1.5")).to_be_visible()
        world = page.get_by_role("img", name="Incidents by origin state: world map")
        expect(world).to_be_visible()
        assert page.locator("script").count() == 0
        assert page.locator("figure.map img").evaluate("img => img.naturalWidth") > 0
        page.screenshot(path=str(tmp_path / f"public-{name}.png"), full_page=True)
        assert public.cookies() == []
        public.close()


def test_a_publication_that_would_pass_the_privacy_budget_is_refused_with_what_is_left(
    page: Page, live_server: object, personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.STATISTICS_EPSILON_BUDGET = 2.0
    record_counted(personas)
    base = str(live_server)
    log_in(page, base, personas.admin)
    page.goto(f"{base}/statistics/publish/")
    page.get_by_label("Public address").fill("safeguard")
    choose(
        page, 1, Rows="year", **{"Disclosure control": "dp", "Epsilon (differential privacy)": "3"}
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "These tables would spend epsilon 3 and 2 is left of the organisation's privacy budget of 2"
    )
    expect(page.locator("#privacy-budget")).to_contain_text("epsilon 0 spent of 2")
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"budget-{name}.png"), full_page=True)
