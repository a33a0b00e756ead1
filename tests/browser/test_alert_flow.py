"""Alerts end to end, in a real browser, with a real worker run, a real SMTP server and a
real webhook receiver: an admin registers a focal point subscribed to urgent incidents in
Türkiye; a case worker records an urgent incident there; within a minute the focal point
has an e-mail and a signed webhook, with coded facts only. An urgent incident in Germany
sends it nothing. And a deadline a case worker adds produces a reminder by e-mail."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from beyondreach.alerts.tasks import schedule_alert_jobs
from beyondreach.cases.services import incident_create
from beyondreach.outbox.models import Message

from ..cases.factories import incident_data
from ..conftest import Personas
from ..outbox.receivers import MailBox, Receiver, running_mailbox, running_receiver
from .conftest import log_in

TITLE = "Extradition hearing for a Uyghur journalist in Istanbul"
FOCAL_POINT_MAIL = "asylum.unit@interior.example"


@pytest.fixture
def smtp(settings: Settings) -> Iterator[MailBox]:
    with running_mailbox(settings) as box:
        yield box


@pytest.fixture
def hook(settings: Settings) -> Iterator[Receiver]:
    with running_receiver(settings) as receiver:
        yield receiver


def run_worker() -> None:
    """One pass of the worker `beyondreach serve` runs: every queued job, then exit."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _register_focal_point(page: Page, base: str, hook_url: str) -> str:
    page.get_by_role("link", name="Alerts").click()
    page.get_by_role("link", name="Focal points").click()
    page.get_by_role("link", name="New focal point").click()
    page.get_by_label("Name").fill("Asylum unit, Ministry of the Interior")
    page.get_by_label("E-mail").fill(FOCAL_POINT_MAIL)
    page.get_by_label("Webhook URL").fill(hook_url)
    page.get_by_role("button", name="Save focal point").click()
    secret = page.locator("#webhook-secret").inner_text()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("link", name="New alert rule").click()
    page.get_by_role("listbox", name="Host countries").select_option(["TR"])
    page.get_by_label("Urgent incidents only").check()
    page.get_by_role("button", name="Save alert rule").click()
    expect(
        page.get_by_role("cell", name=re.compile(r"Host: .*\(TR\)\. +Urgent only"))
    ).to_be_visible()
    return secret


def _record_urgent_incident(
    page: Page, title: str, host: str, target: str = "Dilnur Abdulla"
) -> None:
    page.get_by_role("link", name="Record an incident").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Narrative").fill("Her lawyer says the court sits on Thursday.")
    page.get_by_label("Start date").fill("2025-05-20")
    page.get_by_role("listbox", name="Origin states").select_option(["CN"])
    page.get_by_role("listbox", name="Host countries").select_option([host])
    page.get_by_label("Extradition request").check()
    page.get_by_role("group", name="Target 1").get_by_label("Name or alias").fill(target)
    page.get_by_role("group", name="Target 1").get_by_label("Role").select_option("primary")
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _deliver_within(seconds: float, done: Callable[[], object]) -> float:
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < seconds, "not delivered within the minute"
        run_worker()
        time.sleep(0.2)
    return time.monotonic() - started


def test_a_focal_point_gets_an_urgent_incident_in_its_country_and_nothing_else(
    page: Page,
    live_server: object,
    personas: Personas,
    smtp: MailBox,
    hook: Receiver,
    settings: Settings,
) -> None:
    base = str(live_server)
    settings.SITE_URL = base
    log_in(page, base, personas.admin)
    secret = _register_focal_point(page, base, hook.url)
    assert secret.startswith("whsec_")

    page.context.clear_cookies()
    log_in(page, base, personas.case_worker)
    _record_urgent_incident(page, TITLE, "TR")
    incident_url = page.url
    took = _deliver_within(60, lambda: smtp.messages and hook.requests)
    assert took < 60

    (mail,) = smtp.messages
    assert mail["To"] == FOCAL_POINT_MAIL
    assert mail["Subject"] == "[Beyond Reach] Urgent: incident in TR (extradition request)"
    body = mail.get_content().replace("\r\n", "\n")
    assert incident_url in body and re.search(r"^Host countries: .+ \(TR\)$", body, re.M)
    assert "Tactics: Extradition request" in body
    (got,) = hook.requests
    assert got.signed_by(secret)  # the receiver verifies the HMAC with the secret shown once
    facts = got.json()["incident"]
    assert facts["host_countries"] == ["TR"] and facts["tactics"] == ["extradition_request"]
    assert facts["urgent"] is True and facts["link"] == incident_url
    for text in (body, got.body.decode()):
        for identifying in ("Uyghur journalist", "Dilnur", "Thursday"):
            assert identifying not in text  # coded facts only, never names or narrative

    _record_urgent_incident(page, "Deportation order in Berlin", "DE", target="Erkin Tursun")
    run_worker()
    time.sleep(0.5)
    run_worker()
    assert len(smtp.messages) == 1 and len(hook.requests) == 1
    assert Message.objects.count() == 2


def test_a_deadline_a_case_worker_adds_produces_a_reminder(
    page: Page,
    live_server: object,
    personas: Personas,
    smtp: MailBox,
    settings: Settings,
) -> None:
    base = str(live_server)
    settings.SITE_URL = base
    saved = incident_create(actor=personas.case_worker, data=incident_data(tactics=["doxxing"]))
    log_in(page, base, personas.case_worker)
    page.get_by_role("link", name="Alerts").click()
    page.get_by_label("Send my alerts and reminders to").fill("cora@ngo.example")
    page.get_by_role("button", name="Save address").click()
    expect(page.get_by_text("Alerts and reminders will go to this address.")).to_be_visible()

    page.get_by_role("link", name="Deadlines").click()
    page.get_by_role("link", name="Add a deadline").click()
    page.get_by_label("Incident").fill(f"{base}/incidents/{saved.uuid}/")
    page.get_by_label("What").select_option("hearing")
    hearing = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("Date").fill("2025-02-30")  # no such day: refused, the rest kept
    page.get_by_role("button", name="Save deadline").click()
    expect(page.get_by_role("alert")).to_contain_text("was not saved")
    expect(page.get_by_label("Incident")).to_have_value(f"{base}/incidents/{saved.uuid}/")
    page.get_by_label("Date").fill(hearing.isoformat())
    page.get_by_label("Remind").select_option(label="cora_caseworker")
    page.get_by_role("button", name="Save deadline").click()
    upcoming = page.get_by_role("table", name="Next 30 days")
    expect(upcoming.get_by_role("cell", name=hearing.isoformat())).to_be_visible()
    expect(upcoming.get_by_role("link", name="Red Notice against a Uyghur poet")).to_be_visible()

    schedule_alert_jobs()  # what `beyondreach serve` queues at start
    _deliver_within(60, lambda: smtp.messages)
    (mail,) = smtp.messages
    assert mail["To"] == "cora@ngo.example"
    assert mail["Subject"] == f"[Beyond Reach] Reminder: Hearing on {hearing.isoformat()}"
    assert f"{base}/incidents/{saved.uuid}/" in mail.get_content()
