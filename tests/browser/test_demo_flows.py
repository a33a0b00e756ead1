"""The README's demo, in Chromium: after `beyondreach demo`, each flow of the table "Demo logins
and flows" opens at its start page for the login the table gives, two-factor enrolment
included (with the demo's code helper, as a newcomer without a phone would)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from beyondreach.cli import main
from beyondreach.demo.generate import DEMO_PASSWORD
from beyondreach.demo.totp import demo_code

pytestmark = pytest.mark.browser

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_flows() -> list[tuple[str, str, str]]:
    """(flow, login or "", start) for each row of the README's table of flows."""
    section = README.read_text().split("## Demo logins and flows", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in {"Flow", "---"}:
            login = re.fullmatch(r"`(\w+)`", cells[1])
            start = re.search(r"`(/[^`]*)`", cells[2])
            row = (cells[0], login.group(1) if login else "", start.group(1) if start else "")
            rows.append(row)
    return rows


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if "/two-factor/" in page.url:
        page.get_by_label("Six-digit code").fill(demo_code(username))
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{base}/incidents/")


def test_every_readme_flow_opens_for_its_demo_login(
    live_server: object, browser: Browser, capsys: pytest.CaptureFixture[str]
) -> None:
    base = str(live_server)
    assert main(["demo", "--incidents", "6", "--if-empty"]) == 0
    link = re.search(r"http://\S+(/referral/\S+/)", capsys.readouterr().out)
    assert link is not None
    flows = readme_flows()
    assert len(flows) >= 15 and all(start or login == "" for _flow, login, start in flows)
    logins = dict.fromkeys(login for _flow, login, _start in flows)
    for login in logins:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        if login:
            log_in(page, base, login)
        for flow, _login, start in (row for row in flows if row[1] == login):
            answer = page.goto(base + (start or link.group(1)))
            assert answer is not None and answer.status == 200, (flow, login, start)
            if not start.startswith("/api/"):
                expect(page.locator("h1").first).not_to_have_text("Not found")
            if flow == "Persons":
                page.get_by_label("Name, in any script").fill("Назаров")
                page.get_by_role("button", name="Search").click()
                expect(page.get_by_role("link", name=re.compile("Farrukh Nazarov"))).to_be_visible()
        context.close()
