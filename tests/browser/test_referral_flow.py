"""A referral end to end in Chromium: a case worker refers an incident to a relocation
programme from the incident page; the mail is delivered; the body opens the secure link in
a fresh browser (no account) and acknowledges; the case worker sees "Acknowledged" and
records the outcome."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, expect

from beyondreach.outbox.services import outbox_deliver_due
from beyondreach.referrals.models import Referral

from ..conftest import Personas
from ..referrals.conftest import SECRETS, Bodies, consenting_incident, make_bodies
from .conftest import log_in


@pytest.fixture
def bodies(personas: Personas) -> Bodies:
    return make_bodies(personas)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def test_a_case_worker_refers_and_the_body_acknowledges_through_the_link(
    live_server: object,
    personas: Personas,
    bodies: Bodies,
    browser: Browser,
    contexts: list[BrowserContext],
) -> None:
    base = str(live_server)
    incident = consenting_incident(personas, consent=False)
    contexts.append(browser.new_context(locale="en-GB"))
    worker = contexts[0].new_page()
    worker.set_default_timeout(15_000)
    log_in(worker, base, personas.case_worker)

    worker.goto(f"{base}/incidents/{incident.uuid}/")
    worker.get_by_role("link", name="Refer to a protection body").click()
    expect(worker.get_by_text("The packet will be pseudonymised")).to_be_visible()
    worker.get_by_label("Protection body").select_option(
        label="Shelter City (Relocation programme)"
    )
    worker.get_by_role("button", name="Send referral").click()
    expect(worker.locator("#referral-status")).to_have_text(re.compile("^Sent"))

    assert outbox_deliver_due().sent == 1
    link = re.search(r"https?://\S+/referral/\S+/", str(mail.outbox[0].body))
    assert link is not None
    path = link.group(0).split("/referral/", 1)[1]

    contexts.append(browser.new_context(locale="en-GB"))
    body = contexts[1].new_page()
    body.set_default_timeout(15_000)
    body.goto(f"{base}/referral/{path}")
    expect(body.get_by_role("heading", name="Referral from Safeguard Exiles")).to_be_visible()
    assert all(secret not in body.content() for secret in SECRETS)
    body.get_by_role("button", name="Acknowledge").click()
    expect(body.locator("#acknowledged")).to_contain_text("Acknowledged on")

    worker.goto(f"{base}/incidents/{incident.uuid}/")
    expect(worker.locator(".referral-status")).to_contain_text("Acknowledged")
    worker.get_by_role("link", name="Shelter City").click()
    worker.get_by_label("Outcome", exact=True).fill("Accepted into the programme")
    worker.get_by_label("Follow up on").fill("2030-03-01")
    worker.get_by_role("button", name="Save outcome").click()
    expect(worker.locator("#referral-status")).to_contain_text("Outcome recorded")
    referral = Referral.objects.get()
    assert referral.outcome == "Accepted into the programme"
    assert str(referral.follow_up_on) == "2030-03-01"
