"""One person, many incidents: a name typed in another script finds the person recorded
before, and the case worker chooses them instead of making a second record (issue 9, item 3)."""

from __future__ import annotations

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
