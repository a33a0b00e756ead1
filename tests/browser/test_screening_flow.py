"""Screening in a real browser: a list is loaded in which a defended person appears under a
Cyrillic spelling, beside a namesake; the case worker assigned to her gets the alert, opens
the screening page, confirms the first and marks the second "not a match", which does not
come back when a newer file of the list is loaded. The page at desktop and phone sizes."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import Browser, expect

from beyondreach.alerts.services import user_email_set
from beyondreach.cases.models import IncidentTarget
from beyondreach.cli import main
from beyondreach.outbox.models import Message
from beyondreach.screening.models import ScreeningMatch

from ..conftest import Personas
from ..screening.helpers import NAMESAKE, NOTICE, UNRELATED, list_file, protected
from .conftest import log_in

# Set to a folder to keep the pages' screenshots, to look at them.
SHOTS = os.environ.get("BEYONDREACH_SHOTS", "")


def test_a_case_worker_decides_the_matches_of_a_loaded_list(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    cw = personas.case_worker
    user_email_set(actor=cw, email="cora@ngo.example")
    protected(cw, "Dilnoza Rakhimova", assignee=cw, birth_date="1985-04-12", nationalities=["UZ"])
    protected(cw, "Timur Bekov", assignee=cw)
    assert main(["lists", "load", str(list_file(tmp_path / "red.json", NOTICE, NAMESAKE))]) == 0
    assert Message.objects.filter(kind="alert.urgent").count() == 2
    shots = Path(SHOTS) if SHOTS else tmp_path
    base = str(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, cw)
    page.get_by_role("link", name="Screening").click()
    expect(page.get_by_role("heading", name="Screening against public lists")).to_be_visible()
    rakhimova = page.locator("article", has_text="Dilnoza Rakhimova")
    expect(rakhimova.get_by_text("Дилноза Рахимова").first).to_be_visible()
    expect(rakhimova.get_by_text("same birth date 1985-04-12")).to_be_visible()
    page.screenshot(path=str(shots / "screening-desktop.png"), full_page=True)

    bekov = page.locator("article", has_text="Timur Bekov")
    bekov.get_by_role("button", name="Not a match").click()
    expect(page.get_by_text("it will not be raised again")).to_be_visible()
    expect(page.locator("article", has_text="Timur Bekov")).to_have_count(0)
    page.locator("article", has_text="Dilnoza Rakhimova").get_by_role(
        "button", name="It is this person"
    ).click()
    expect(page.get_by_text("Recorded as a match.")).to_be_visible()
    expect(page.get_by_text("No open match.")).to_be_visible()

    newer = dict(NAMESAKE, properties={**NAMESAKE["properties"], "alias": ["Timur Bekov"]})
    assert (
        main(
            [
                "lists",
                "load",
                str(list_file(tmp_path / "red2.json", newer, UNRELATED)),
                "--name",
                "red",
            ]
        )
        == 0
    )
    page.reload()
    expect(page.get_by_text("No open match.")).to_be_visible()
    assert Message.objects.filter(kind="alert.urgent").count() == 2
    context.close()


def test_the_screening_page_on_a_phone(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    cw = personas.case_worker
    protected(cw, "Dilnoza Rakhimova", assignee=cw, birth_date="1985-04-12", nationalities=["UZ"])
    assert main(["lists", "load", str(list_file(tmp_path / "red.json", NOTICE))]) == 0
    shots = Path(SHOTS) if SHOTS else tmp_path
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, str(live_server), cw)
    page.goto(f"{live_server}/screening/")
    expect(page.get_by_role("button", name="Not a match")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "screening-phone.png"), full_page=True)
    context.close()


def test_a_name_added_after_the_load_is_screened_and_the_match_is_on_the_page(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    """A list loaded first; then the case worker adds the Cyrillic spelling of a person's name
    on the person's page: the worker screens the saved person, the case worker is alerted
    and the match waits on the screening page, without waiting for the next load."""
    cw = personas.case_worker
    user_email_set(actor=cw, email="cora@ngo.example")
    incident = protected(cw, "D. Rakhimova", assignee=cw, birth_date="1985-04-12")
    assert main(["lists", "load", str(list_file(tmp_path / "red.json", NOTICE))]) == 0
    assert not ScreeningMatch.objects.exists()
    person = IncidentTarget.objects.get(incident=incident).person
    assert person is not None
    shots = Path(SHOTS) if SHOTS else tmp_path
    base = str(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, cw)
    page.goto(f"{base}/persons/{person.uuid}/edit/")
    page.get_by_role("button", name="Add another name").click()
    page.get_by_label("Name", exact=True).last.fill("Дилноза Рахимова")
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_text("Дилноза Рахимова").first).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.goto(f"{base}/screening/")
    for name, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        page.set_viewport_size({"width": width, "height": height})
        match = page.locator("article", has_text="Дилноза Рахимова")
        expect(match.get_by_text("same birth date 1985-04-12")).to_be_visible()
        page.screenshot(path=str(shots / f"screening-after-edit-{name}.png"), full_page=True)
    context.close()
    [mail] = Message.objects.filter(kind="alert.urgent")
    assert mail.organisation_id == personas.org.pk
