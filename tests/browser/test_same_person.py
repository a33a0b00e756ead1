"""One person, many incidents: a name typed in another script finds the person recorded
before, and the case worker chooses them instead of making a second record (issue 9, item 3)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def _record(page: Page, base: str, title: str, name: str) -> None:
    page.goto(f"{base}/incidents/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Start date").fill("2025-01-10")
    page.get_by_role("listbox", name="Origin states").select_option(["CN"])
    page.get_by_role("listbox", name="Host countries").select_option(["TR"])
    page.get_by_label("Threats of harm", exact=True).check()
    target = page.get_by_role("group", name="Target 1")
    target.get_by_label("Name or alias").fill(name)
    target.get_by_label("Role").select_option("primary")
    page.get_by_role("button", name="Save incident").click()


def test_a_second_incident_names_the_person_recorded_before(
    page: Page, live_server: object, personas: Personas
) -> None:
    first = incident_create(actor=personas.case_worker, data=incident_data())
    gulnara = first.targets.get(role="primary").person
    persons = m.Person.objects.count()
    base = str(live_server)
    log_in(page, base, personas.case_worker)

    _record(page, base, "Threatening calls to a poet", "Гульнара Тохтиева")
    target = page.get_by_role("group", name="Target 1")
    expect(target.get_by_text("1 recorded person matches this name")).to_be_visible()
    target.get_by_label("Gulnara Tokhtieva", exact=False).check()
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Threatening calls to a poet")
    assert m.Person.objects.count() == persons  # no second record of her
    page.get_by_role("link", name="Gulnara Tokhtieva").click()
    expect(page.get_by_text("Threatening calls to a poet")).to_be_visible()
    expect(page.get_by_text("Red Notice against a Uyghur poet in Istanbul")).to_be_visible()
    assert gulnara.targetings.count() == 2

    # Someone else of the same name: a new person, said so once.
    _record(page, base, "Another Gulnara", "Gulnara Tokhtieva")
    page.get_by_label("A new person: none of these").check()
    page.get_by_role("button", name="Save incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Another Gulnara")
    assert m.Person.objects.count() == persons + 1


def test_a_duplicate_person_is_merged_and_the_merge_undone(
    page: Page, live_server: object, personas: Personas
) -> None:
    first = incident_create(actor=personas.case_worker, data=incident_data())
    gulnara = first.targets.get(role="primary").person
    base = str(live_server)
    log_in(page, base, personas.case_worker)
    _record(page, base, "Calls to her brother", "Gulnara T.")  # typed as a new person
    twin = m.Person.objects.exclude(pk__in=[t.person_id for t in first.targets.all()]).get()

    page.goto(f"{base}/persons/{gulnara.uuid}/")
    page.get_by_role("link", name="Merge a duplicate into this person").click()
    page.get_by_label("The duplicate's name (any script)").fill("Gulnara")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Gulnara T.", exact=False).check()
    page.screenshot(path=str(_shots() / "merge.png"), full_page=True)
    page.get_by_role("button", name="Merge into").click()
    expect(page.get_by_text("Calls to her brother")).to_be_visible()  # her incidents now
    expect(page.get_by_text("Merged with a duplicate record")).to_be_visible()  # history
    page.goto(f"{base}/persons/")
    expect(page.get_by_role("link", name="Gulnara T.", exact=True)).to_have_count(0)

    page.goto(f"{base}/persons/{gulnara.uuid}/")
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.get_by_text("Merge undone")).to_be_visible()
    expect(page.get_by_role("link", name="Calls to her brother")).to_have_count(0)
    assert twin.targetings.count() == 1


def _shots() -> Path:
    folder = Path(tempfile.gettempdir()) / "beyondreach-shots"
    folder.mkdir(exist_ok=True)
    return folder
