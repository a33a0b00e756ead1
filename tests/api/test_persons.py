"""The person endpoints: a person's incidents include those where they are a relative."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create
from beyondreach.core.models import AuditEvent

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import ClientFor

API = "/api/v1"
PERSON = {
    "names": [
        {"value": "Dilnoza Yusupova", "script": "Latn", "language": "uz"},
        {"value": "Дилноза Юсупова", "script": "Cyrl"},
    ],
    "sex": "female",
    "nationalities": ["uz"],
    "residence_country": "DE",
    "residence_status": "refugee",
    "statuses": ["journalist"],
    "contact": "signal: +49 000 0000",
    "consent_share_partners": True,
}


def _father(personas: Personas) -> m.Person:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    return incident.targets.get(role="relative").person


def test_it_records_a_person(personas: Personas, client_for: ClientFor) -> None:
    response = client_for(personas.case_worker).post(
        f"{API}/persons", PERSON, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert [n["value"] for n in body["names"]] == ["Dilnoza Yusupova", "Дилноза Юсупова"]
    assert body["nationalities"] == ["UZ"]
    assert body["contact"] == "signal: +49 000 0000"
    assert body["consent"] == {
        "share_partners": True,
        "share_authorities": False,
        "public_statistics": False,
    }
    assert m.Person.objects.get(uuid=body["id"]).statuses == ["journalist"]


def test_it_shows_a_relative_with_the_incidents_they_appear_in(
    personas: Personas, client_for: ClientFor
) -> None:
    father = _father(personas)
    response = client_for(personas.case_worker).get(f"{API}/persons/{father.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["names"][0]["value"] == "Tokhti Akhmed"
    assert [(i["title"], i["role"], i["relation"]) for i in body["incidents"]] == [
        ("Red Notice against a Uyghur poet in Istanbul", "relative", "parent")
    ]
    assert AuditEvent.objects.filter(action="person.view", record_id=father.uuid).count() == 1


def test_it_lists_and_searches_persons(personas: Personas, client_for: ClientFor) -> None:
    _father(personas)
    client = client_for(personas.case_worker)
    listed = client.get(f"{API}/persons", {"page_size": 1}).json()
    assert len(listed["items"]) == 1
    assert listed["has_next"] is True
    found = client.get(f"{API}/persons", {"q": "Гульнара"}).json()["items"]
    assert [p["names"][0]["value"] for p in found] == ["Gulnara Tokhtieva"]


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_it_shows_a_read_only_role_pseudonyms_only(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    father = _father(personas)
    client = client_for(getattr(personas, role))
    body = client.get(f"{API}/persons/{father.uuid}").json()
    assert body["names"] == []
    assert body["pseudonym"].startswith("P-")
    assert body["incidents"][0]["title"] == "[withheld]"
    listed = client.get(f"{API}/persons").json()["items"]
    assert {p["pseudonym"] for p in listed} >= {body["pseudonym"]}
    assert "Tokhti" not in str(body) + str(listed)
    assert client.get(f"{API}/persons", {"q": "Tokhti"}).status_code == 403
    created = client.post(f"{API}/persons", PERSON, content_type="application/json")
    assert created.status_code == 403


def test_it_hides_every_person_from_the_outsider(personas: Personas, client_for: ClientFor) -> None:
    father = _father(personas)
    client = client_for(personas.outsider)
    response = client.get(f"{API}/persons/{father.uuid}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such person.", "errors": {}}
    assert client.get(f"{API}/persons").json()["items"] == []
    assert client.get(f"{API}/persons", {"q": "Tokhti"}).json()["items"] == []


def test_it_refuses_a_person_without_a_name(personas: Personas, client_for: ClientFor) -> None:
    response = client_for(personas.case_worker).post(
        f"{API}/persons",
        {**PERSON, "names": [], "statuses": ["astronaut"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"names", "statuses.0"}


def test_it_reads_persons_in_a_fixed_number_of_queries(
    personas: Personas,
    client_for: ClientFor,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    father = _father(personas)
    for _ in range(4):
        _father(personas)
    client = client_for(personas.case_worker)
    # Token (1), persons (1), names (1), the organisation's key (1), audit event (5).
    with django_assert_max_num_queries(9):
        assert len(client.get(f"{API}/persons").json()["items"]) == 10
    # Token, person, names, key, audit event (~5), incidents and their host countries (2).
    with django_assert_max_num_queries(11):
        detail: Any = client.get(f"{API}/persons/{father.uuid}")
    assert detail.status_code == 200
