"""Bad input is answered 4xx with field paths, never 500 (on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import ClientFor, incident_body

API = "/api/v1"
TARGET = incident_body()["targets"][0]


@pytest.mark.parametrize(
    ("overrides", "paths"),
    [
        ({"title": ""}, {"title"}),
        ({"title": "x" * 301}, {"title"}),
        ({"title": "a\x00b"}, {"title"}),
        ({"title": 42}, {"title"}),
        ({"start_date": "2024-02-30"}, {"start_date"}),
        ({"start_date": "10000-01-01"}, {"start_date"}),
        ({"start_date": 10**30}, {"start_date"}),
        ({"end_date": "2020-01-01"}, {"end_date"}),
        ({"host_countries": ["XX"]}, {"host_countries.0"}),
        ({"host_countries": ["ßa"]}, {"host_countries.0"}),
        ({"host_countries": []}, {"host_countries"}),
        ({"host_countries": ["TR"], "host_reason": "unknown"}, {"host_reason"}),
        ({"host_countries": [], "host_reason": "at_sea"}, {"host_reason"}),
        ({"host_countries": ["CN"]}, {"host_origin_confirmed"}),
        ({"origin_states": []}, {"origin_states"}),
        ({"origin_states": ["CN", "Q"]}, {"origin_states.1"}),
        ({"tactics": ["interpol_abuse", "teleportation"]}, {"tactics.1"}),
        ({"tlp": "purple", "status": None}, {"tlp", "status"}),
        ({"verification_override": "corroborated"}, {"verification_reason"}),
        ({"targets": [{**TARGET, "role": "hero"}]}, {"targets.0.role"}),
        ({"targets": [{"role": "primary"}]}, {"targets.0.person"}),
        ({"targets": [{**TARGET, "relation": "r" * 41}]}, {"targets.0.relation"}),
        # A relation is a code: free text, stored in the clear, could hold a name.
        ({"targets": [{**TARGET, "relation": "Leila's father"}]}, {"targets.0.relation"}),
        (
            {
                "targets": [
                    {"role": "primary", "person": {"names": [{"value": "A", "language": "x" * 9}]}}
                ]
            },
            {"targets.0.person.names.0.language"},
        ),
        ({"targets": [{"role": "primary", "person": {"names": []}}]}, {"targets.0.person.names"}),
        (
            {"mechanisms": [{"kind": "interpol_red_notice", "issued_by": "\x00"}]},
            {"mechanisms.0.issued_by"},
        ),
        ({"sources": [{"reference": " "}]}, {"sources.0.reference"}),
        (
            {"sources": [{"reference": "x", "published_on": "yesterday"}]},
            {"sources.0.published_on"},
        ),
        ({"actors": [{"role": "perpetrator", "actor_type": "wizard"}]}, {"actors.0.actor_type"}),
        ({"surprise": True}, {"surprise"}),
    ],
)
def test_it_names_every_bad_field(
    personas: Personas, client_for: ClientFor, overrides: dict[str, Any], paths: set[str]
) -> None:
    response = client_for(personas.case_worker).post(
        f"{API}/incidents", incident_body(**overrides), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body["errors"]) == paths
    assert all(isinstance(msg, str) and msg for msgs in body["errors"].values() for msg in msgs)
    assert not m.Incident.objects.exists()


def test_it_refuses_malformed_json_with_400(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.case_worker)
    for raw in ('{"title": ', b"\xff\xfe", "[1, 2"):
        response = client.post(f"{API}/incidents", raw, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["errors"] == {}
    for raw in ("[]", "null", '"text"', "12"):
        response = client.post(f"{API}/incidents", raw, content_type="application/json")
        assert response.status_code == 422, raw


@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": 10**20},
        {"page": "one"},
        {"page_size": 0},
        {"page_size": 10**6},
        {"host": "\x00"},
        {"host": "TUR"},
        {"origin": "ǅa"},
        {"tactic": "nope"},
        {"target_group": "x" * 100},
        {"status": "gone"},
        {"verification": "true"},
        {"tlp": "RED"},
        {"date_from": "2024-13-01"},
        {"date_to": "99999-01-01"},
        {"date_to": "0"},
        {"date_from": "2024-05-01T00:00:00"},
        {"date_from": "20240501"},
        {"q": "Gul\x00nara"},
        {"q": "x" * 201},
    ],
)
def test_it_refuses_bad_filters_with_422(
    personas: Personas, client_for: ClientFor, query: dict[str, Any]
) -> None:
    response = client_for(personas.case_worker).get(f"{API}/incidents", query)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(query)


def test_it_treats_a_malformed_id_as_bad_input(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.case_worker)
    for url in ("/incidents/42", "/incidents/not-a-uuid/history", "/persons/%00"):
        response = client.get(API + url)
        assert response.status_code == 422, url
        assert len(response.json()["errors"]) == 1


def test_it_answers_404_for_a_target_of_another_organisation(
    personas: Personas, client_for: ClientFor
) -> None:
    theirs = incident_create(actor=personas.outsider, data=incident_data())
    person = theirs.targets.first()
    assert person is not None
    body = incident_body(targets=[{"role": "primary", "person_uuid": str(person.person.uuid)}])
    response = client_for(personas.case_worker).post(
        f"{API}/incidents", body, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["errors"] == {
        "targets.0.person_uuid": ["No such person in your organisation."]
    }
    assert not m.Incident.objects.filter(organisation=personas.org).exists()


def test_it_accepts_country_codes_in_any_case_once_each(
    personas: Personas, client_for: ClientFor
) -> None:
    body = incident_body(host_countries=["tr", "de"], origin_states=["cn", "CN", "Cn"])
    response = client_for(personas.case_worker).post(
        f"{API}/incidents", body, content_type="application/json"
    )
    assert response.status_code == 201
    found = response.json()
    assert (found["host_countries"], found["origin_states"]) == (["DE", "TR"], ["CN"])


def test_it_keeps_names_in_any_script_and_unicode_intact(
    personas: Personas, client_for: ClientFor
) -> None:
    names = [
        "古丽娜尔",
        "غۇلنارە",
        "Gülnara 🕊",
        "\u0627" * 300,
    ]  # the last: Arabic alef, at the length limit
    body = incident_body(
        targets=[{"role": "primary", "person": {"names": [{"value": n} for n in names]}}]
    )
    client = client_for(personas.case_worker)
    created = client.post(f"{API}/incidents", body, content_type="application/json")
    assert created.status_code == 201
    person_id = created.json()["targets"][0]["person"]
    shown = client.get(f"{API}/persons/{person_id}").json()
    assert [n["value"] for n in shown["names"]] == names


def test_it_refuses_a_body_date_that_is_not_yyyy_mm_dd(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    for start in (0, "2024-05-01T00:00:00", "2024-05-01T00:00:00Z"):
        body = incident_body(start_date=start)
        response = client.post(f"{API}/incidents", body, content_type="application/json")
        assert response.status_code == 422
        assert "start_date" in response.json()["errors"]


def test_the_schema_states_the_rules_the_api_enforces(db: None) -> None:
    schema = Client().get(f"{API}/openapi.json").json()["components"]["schemas"]
    incident = schema["IncidentIn"]["properties"]
    assert incident["origin_states"]["minItems"] == 1 and incident["tactics"]["minItems"] == 1
    assert incident["title"]["minLength"] == 1
    assert schema["PersonIn"]["properties"]["names"]["minItems"] == 1
    assert {"format": "date", "type": "string"} in incident["start_date"]["anyOf"]
