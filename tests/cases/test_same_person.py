"""The incident form asks before it makes a second record of a person: a name typed in any
script that matches recorded persons comes back with them to choose from, or "a new person"."""

from __future__ import annotations

from typing import Any

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create

from ..conftest import Personas, verified_client
from .factories import incident_data


def _body(name: str, answer: str = "") -> dict[str, Any]:
    return {
        "title": "Calls to a poet",
        "start_date": "2025-01-10",
        "start_precision": "day",
        "origin_states": ["CN"],
        "host_countries": ["TR"],
        "tactics": ["threats"],
        "tlp": "amber",
        "status": "new",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-name": name,
        "targets-0-role": "primary",
        "targets-0-same_person": answer,
        **{
            f"{p}-{n}_FORMS": "0"
            for p in ("actors", "mechanisms", "sources")
            for n in ("TOTAL", "INITIAL")
        },
    }


def test_the_form_asks_and_takes_the_answer(personas: Personas) -> None:
    first = incident_create(actor=personas.case_worker, data=incident_data())
    gulnara = first.targets.get(role="primary").person
    client = verified_client(personas.case_worker)
    persons = m.Person.objects.count()

    asked = client.post("/incidents/new/", _body("ГУЛЬНАРА тохтиева"))
    assert asked.status_code == 400
    page = asked.content.decode()
    assert "1 recorded person matches this name" in page and "Gulnara Tokhtieva" in page
    assert str(gulnara.uuid) in page and "A new person: none of these" in page
    # An answer we did not offer (another organisation's person, a made-up id) asks again.
    outsider = incident_create(actor=personas.outsider, data=incident_data())
    forged = outsider.targets.get(role="primary").person.uuid
    assert client.post("/incidents/new/", _body("Gulnara", str(forged))).status_code == 400
    assert m.Incident.objects.filter(organisation=personas.org).count() == 1

    chosen = client.post("/incidents/new/", _body("Gulnara", str(gulnara.uuid)))
    assert chosen.status_code == 302 and gulnara.targetings.count() == 2
    new = client.post("/incidents/new/", _body("Gulnara", "new"))
    assert new.status_code == 302
    assert m.Person.objects.count() == persons + 2 + 1  # the outsider's two, and one new


def test_a_name_nobody_has_is_recorded_at_once(personas: Personas) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    client = verified_client(personas.case_worker)
    assert client.post("/incidents/new/", _body("Dilnoza Yusupova")).status_code == 302
