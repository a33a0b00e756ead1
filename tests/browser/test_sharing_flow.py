"""Sharing across organisations, in a real browser, two organisations on one server: A's
admin proposes an agreement with the code B's admin gave them, B's admin accepts; A's case
worker shares an incident pseudonymised; B's analyst and case worker see its coded facts and
no name; A revokes, and B can no longer open the incident (404)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from beyondreach.cases.services import incident_create
from beyondreach.core.models import User
from beyondreach.core.services import user_create

from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas
from .conftest import log_in
from .test_accessibility import UNLABELLED

TITLE = "Red Notice against a Uyghur poet in Istanbul"  # the factory's title
SECRETS = (TITLE, "Gulnara", "Гульнара", "Tokhti", "A-1234/5-2023", "news.example.org")


@pytest.fixture
def page_for(browser: Browser, live_server: object) -> Iterator[Callable[[User], Page]]:
    """One browser context per person, each logged in once (first login enrols 2FA)."""
    contexts = []

    def make(user: User) -> Page:
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, str(live_server), user)
        return page

    yield make
    for context in contexts:
        context.close()


def _sees_facts_not_names(page: Page) -> None:
    expect(page.get_by_text("Shared by Safeguard Exiles")).to_be_visible()
    expect(page.get_by_text("Identities are withheld because")).to_be_visible()
    expect(page.get_by_text("INTERPOL Red Notice or Diffusion")).to_be_visible()
    expect(page.get_by_text("Türkiye (TR)")).to_be_visible()
    expect(page.get_by_text("P-").first).to_be_visible()
    body = page.content()
    for secret in SECRETS:
        assert secret not in body, secret


def test_two_organisations_agree_share_pseudonymised_and_revoke(
    live_server: object, personas: Personas, page_for: Callable[[User], Page]
) -> None:
    base = str(live_server)
    b_admin = user_create(
        organisation=personas.other_org, username="bea_admin", password=PASSWORD, role="admin"
    )
    b_analyst = user_create(
        organisation=personas.other_org, username="bob_analyst", password=PASSWORD, role="analyst"
    )
    incident = incident_create(actor=personas.case_worker, data=incident_data())

    # B's admin reads the organisation's sharing code, to give to A's admin out of band.
    b_admin_page = page_for(b_admin)
    b_admin_page.get_by_role("link", name="Shared with us").click()
    b_admin_page.get_by_role("link", name="Partner agreements").click()
    code = b_admin_page.locator("#sharing-code").inner_text()

    a_admin = page_for(personas.admin)
    a_admin.goto(f"{base}/sharing/agreements/")
    assert a_admin.evaluate(UNLABELLED) == []
    a_admin.get_by_label("The partner's sharing code").fill(code)
    a_admin.get_by_role("button", name="Propose").click()
    expect(a_admin.get_by_text("Proposed to Other Network")).to_be_visible()
    expect(a_admin.get_by_text("(by you, waiting for them)")).to_be_visible()

    b_admin_page.reload()
    b_admin_page.get_by_role("button", name="Accept the agreement with Safeguard Exiles").click()
    expect(b_admin_page.get_by_text("Agreement with Safeguard Exiles accepted.")).to_be_visible()

    # A's case worker shares the incident, pseudonymised, from its page.
    a_worker = page_for(personas.case_worker)
    a_worker.goto(f"{base}/incidents/{incident.uuid}/")
    expect(a_worker.get_by_text("Not shared with any partner.")).to_be_visible()
    a_worker.get_by_role("link", name="Share with a partner").click()
    assert a_worker.evaluate(UNLABELLED) == []
    a_worker.get_by_label("Partner organisation").select_option(label="Other Network")
    a_worker.get_by_label("Pseudonymised").check()
    a_worker.get_by_role("button", name="Share", exact=True).click()
    expect(a_worker.get_by_text("Shared with Other Network (Pseudonymised).")).to_be_visible()
    expect(a_worker.get_by_role("heading", level=1)).to_have_text(TITLE)

    # B's analyst and B's case worker see the coded facts and not the names.
    b_an = page_for(b_analyst)
    b_an.get_by_role("link", name="Shared with us").click()
    b_an.get_by_role("link", name=f"Incident {str(incident.uuid)[:8]}").click()
    _sees_facts_not_names(b_an)
    shared_url = b_an.url

    b_worker = page_for(personas.outsider)
    b_worker.goto(shared_url)
    _sees_facts_not_names(b_worker)

    # A revokes; B loses the record on its very next request.
    a_worker.goto(f"{base}/incidents/{incident.uuid}/")
    a_worker.get_by_role("button", name="Revoke the share with Other Network").click()
    expect(
        a_worker.get_by_text("Revoked: Other Network can no longer open this incident.")
    ).to_be_visible()
    for page in (b_an, b_worker):
        answer = page.goto(shared_url)
        assert answer is not None and answer.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        page.goto(f"{base}/shared/")
        expect(
            page.get_by_text("No incident is shared with you that you may open.")
        ).to_be_visible()
