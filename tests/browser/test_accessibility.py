"""Usable on a phone, with the keyboard, and labelled for screen readers."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in

PAGES = ["/incidents/", "/incidents/new/", "/persons/"]

UNLABELLED = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea')]
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


def test_every_form_control_has_a_label(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    log_in(page, base, personas.case_worker)
    for path in [*PAGES, f"/incidents/{incident.uuid}/edit/", "/login/"]:
        page.goto(base + path)
        assert page.evaluate(UNLABELLED) == [], path


def test_a_phone_sized_screen_needs_no_sideways_scrolling(
    browser: Browser, live_server: object, personas: Personas
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    base = str(live_server)
    incident_create(actor=personas.case_worker, data=incident_data())
    log_in(page, base, personas.case_worker)
    for path in PAGES:
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    context.close()


def test_the_keyboard_alone_reaches_the_main_content(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    page.goto(base + "/incidents/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
