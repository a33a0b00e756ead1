"""The incident list on a phone: each incident a card, with its status, verification and
marking in view without scrolling sideways; the number of matches above the cards."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def test_on_a_phone_each_incident_is_a_card_showing_status_verification_and_marking(
    browser: Browser, live_server: object, personas: Personas
) -> None:
    for title in ("Red Notice against a Uyghur poet", "Family of an Iranian journalist summoned"):
        incident_create(actor=personas.case_worker, data=incident_data(title=title))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    base = str(live_server)
    log_in(page, base, personas.case_worker)

    expect(page.get_by_text("2 incidents match.")).to_be_visible()
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rows = page.get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rows).to_have_count(2)
    for row in rows.all():
        for value in ("New", "Reported (not corroborated)", "TLP:AMBER"):
            cell = row.get_by_role("cell", name=value, exact=True)
            expect(cell).to_be_visible()
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, value
        # The title first on each card, above the values it names.
        title = row.get_by_role("link").bounding_box()
        status = row.get_by_role("cell", name="New", exact=True).bounding_box()
        assert title is not None and status is not None and title["y"] < status["y"]
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")  # nothing hidden sideways
    context.close()
