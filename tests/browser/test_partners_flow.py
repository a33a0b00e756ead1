"""The trusted partners' page in a real browser (issue 11): from the Import page an admin
opens it, pastes a partner's transfer key (their own first, by mistake: told on the field),
sees the partner listed with its key's fingerprint, renames it and removes it. At desktop
and phone sizes, nothing wider than the screen. Screenshots go to $BEYONDREACH_SHOTS."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from beyondreach.interchange.models import TrustedSender
from beyondreach.interchange.transfer import transfer_key_create

from ..conftest import Personas
from ..interchange.matrix_imports import partner_key
from .conftest import log_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BEYONDREACH_SHOTS", "")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _shoot(page: Page, folder: Path, name: str) -> None:
    """Both sizes, each checked for a page wider than the screen."""
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name} is {wide}px wider than the {size} screen"
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _label_above_its_input(page: Page, label: str) -> None:
    """The label sits right above its own input, not beside another's."""
    box = page.get_by_text(label, exact=True).bounding_box()
    field = page.get_by_label(label, exact=True).bounding_box()
    assert box is not None and field is not None
    assert 0 <= field["y"] - (box["y"] + box["height"]) < 16
    assert abs(field["x"] - box["x"]) < 4


def test_an_admin_adds_renames_and_removes_a_trusted_partner(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    base = str(live_server)
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    own = transfer_key_create(actor=personas.admin, organisation=personas.org).exchange
    exchange = partner_key()
    fingerprint = exchange.split(":")[1][:12]

    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, personas.admin)
    page.get_by_role("link", name="Import").click()
    page.get_by_role("link", name="Trusted partners").click()
    expect(page.get_by_role("heading", name="Trusted partners")).to_be_visible()
    expect(page.get_by_text("No partner is trusted yet")).to_be_visible()
    _label_above_its_input(page, "The partner's transfer key")
    _label_above_its_input(page, "Name")
    _shoot(page, shots, "partners-empty")

    # Their own key, pasted by mistake: refused on the field, saying why.
    page.get_by_label("The partner's transfer key").fill(own)
    page.get_by_label("Name", exact=True).fill("Exile Voice Radio")
    page.get_by_role("button", name="Trust this partner").click()
    expect(page.get_by_role("alert")).to_contain_text("Not added")
    key_field = page.get_by_label("The partner's transfer key")
    expect(key_field).to_have_accessible_description(re.compile("own transfer key"))
    _shoot(page, shots, "partners-own-key")
    assert not TrustedSender.objects.exists()

    key_field.fill(exchange)
    page.get_by_role("button", name="Trust this partner").click()
    expect(page.get_by_role("status")).to_contain_text("Exile Voice Radio is trusted now")
    row = page.get_by_role("row").filter(has_text="Exile Voice Radio")
    expect(row).to_contain_text(fingerprint)
    expect(row).to_contain_text(f"by {personas.admin.username}")
    _shoot(page, shots, "partners-list")

    page.get_by_role("link", name="Rename or remove Exile Voice Radio").click()
    expect(page.get_by_label("Its whole signing key")).to_have_value(exchange.split(":")[1])
    _label_above_its_input(page, "Name")
    _shoot(page, shots, "partner-detail")
    page.get_by_label("Name", exact=True).fill("Exile Voice")
    page.get_by_role("button", name="Save the name").click()
    expect(page.get_by_role("status")).to_contain_text("Renamed: Exile Voice.")
    expect(page.get_by_role("row").filter(has_text="Exile Voice")).to_contain_text(fingerprint)
    assert TrustedSender.objects.get().name == "Exile Voice"

    page.get_by_role("link", name="Rename or remove Exile Voice").click()
    remove = page.get_by_role("button", name="Remove this partner")
    remove.click()  # not confirmed: the browser asks for the box first
    expect(page.get_by_role("heading", name="Exile Voice")).to_be_visible()
    assert TrustedSender.objects.exists()
    page.get_by_label("Remove this partner").check()
    remove.click()
    expect(page.get_by_role("status")).to_contain_text("Exile Voice is no longer trusted")
    expect(page.get_by_text("No partner is trusted yet")).to_be_visible()
    assert not TrustedSender.objects.exists()
    context.close()
