"""Enrolling an authenticator at first login, as new staff do: the QR code shows, and the key
shown beside it is the one the server checks codes against."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..conftest import PASSWORD, Personas
from .conftest import totp_now


def test_a_new_case_worker_sees_the_qr_code_and_logs_in_with_the_shown_key(
    page: Page, live_server: object, personas: Personas
) -> None:
    base = str(live_server)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(personas.case_worker.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    qr = page.get_by_role("img", name="QR code of the authenticator key")
    expect(qr).to_be_visible()
    # A broken image (an SVG without its namespace) loads with a natural width of 0.
    page.wait_for_function("img => img.complete", arg=qr.element_handle())
    natural = qr.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert natural[0] > 0 and natural[0] == natural[1], natural
    shown = qr.bounding_box()
    assert shown is not None and shown["width"] >= 150, shown  # large enough for a camera

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Six-digit code").fill(totp_now(secret))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base}/incidents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Incidents")
