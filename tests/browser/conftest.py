"""A real browser: Debian's Chromium driven by Playwright (no downloaded browser)."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, sync_playwright

from beyondreach.core.models import User

from ..conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's background services try to reach Google; this machine's network refuses them.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: `apt-get install chromium`")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def totp_now(secret_b32: str) -> str:
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(page: Page, base_url: str, user: User) -> None:
    """Log in as a person would; enrol an authenticator at first login if the role needs it."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if user.needs_2fa:
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("Six-digit code").fill(totp_now(secret))
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base_url}/incidents/")
