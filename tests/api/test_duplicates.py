"""A person about to be recorded again through the API is refused (409) with the recorded
persons who may be them, found by name in any script, or by part of a name and a birth year
or a nationality; naming one by `person_uuid`, or saying `not_a_duplicate`, goes through."""

from __future__ import annotations

from typing import Any

from beyondreach.cases import models as m

from ..conftest import Personas
from .conftest import ClientFor, incident_body

API = "/api/v1"


def _person(name: str, **fields: Any) -> dict[str, Any]:
    return {"names": [{"value": name}], **fields}


def _target(person: dict[str, Any]) -> dict[str, Any]:
    return {"role": "primary", "person": person}


def _recorded(client: Any) -> dict[str, Any]:
    answer = client.post(
        f"{API}/persons",
        _person("Gulnara Dawut", birth_date="1984-03-02", nationalities=["CN"]),
        content_type="application/json",
    )
    assert answer.status_code == 201
    body: dict[str, Any] = answer.json()
    return body


def test_a_name_in_another_script_is_refused_with_who_it_may_be(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    gulnara = _recorded(client)
    body = incident_body(targets=[_target(_person("Гульнара Давут"))])
    refused = client.post(f"{API}/incidents", body, content_type="application/json")
    assert refused.status_code == 409
    answer = refused.json()
    [candidate] = answer["candidates"]["targets.0.person"]
    assert candidate["person_uuid"] == gulnara["id"]
    assert candidate["name"] == "Gulnara Dawut"
    assert candidate["why"] == ["every part of the name matches"]
    assert "targets.0.person" in answer["errors"]
    assert m.Incident.objects.count() == 0

    # It is her: the incident names her, and she is one person in two places of the API.
    body["targets"] = [{"role": "primary", "person_uuid": gulnara["id"]}]
    assert client.post(f"{API}/incidents", body, content_type="application/json").status_code == 201
    assert m.Person.objects.count() == 1


def test_part_of_a_name_with_the_same_birth_year_is_asked_about(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    gulnara = _recorded(client)
    same_year = client.post(
        f"{API}/persons", _person("G. Dawut", birth_date="1984"), content_type="application/json"
    )
    assert same_year.status_code == 409
    [candidate] = same_year.json()["candidates"]["body"]
    assert candidate["person_uuid"] == gulnara["id"]
    assert candidate["why"] == ["1 of 2 parts of the name match", "born in 1984 too"]
    assert candidate["birth_year"] == "1984"

    # Part of a name alone, or with another birth year, is too common to ask about.
    for other in (_person("G. Dawut"), _person("Gul Dawut", birth_date="1990-01-01")):
        answer = client.post(f"{API}/persons", other, content_type="application/json")
        assert answer.status_code == 201, answer.json()


def test_two_parts_and_a_nationality_are_asked_about_and_a_new_person_can_be_confirmed(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    _recorded(client)
    person = _person("Gulnara Aysha Dawut", nationalities=["CN"])
    refused = client.post(f"{API}/persons", person, content_type="application/json")
    assert refused.status_code == 409
    [candidate] = refused.json()["candidates"]["body"]
    assert candidate["why"] == ["2 of 3 parts of the name match", "nationality CN too"]

    confirmed = {**person, "not_a_duplicate": True}
    answer = client.post(f"{API}/persons", confirmed, content_type="application/json")
    assert answer.status_code == 201
    assert m.Person.objects.count() == 2


def test_persons_of_another_organisation_are_never_offered(
    personas: Personas, client_for: ClientFor
) -> None:
    _recorded(client_for(personas.outsider))
    body = incident_body(targets=[_target(_person("Gulnara Dawut", birth_date="1984"))])
    client = client_for(personas.case_worker)
    assert client.post(f"{API}/incidents", body, content_type="application/json").status_code == 201
