"""The incident endpoints: each for success, the read-only roles, the outsider, query counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create
from beyondreach.core.models import AuditEvent

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import ClientFor, incident_body

API = "/api/v1"


def _post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(f"{API}/incidents", body, content_type="application/json")


def _put(client: Any, incident_id: str, body: dict[str, Any]) -> Any:
    return client.put(f"{API}/incidents/{incident_id}", body, content_type="application/json")


def test_it_records_an_incident_and_finds_it_by_a_name_in_another_script(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    created = _post(client, incident_body())
    assert created.status_code == 201
    incident = created.json()
    assert incident["tactics"] == ["family_coercion", "host_detention", "interpol_abuse"]
    assert [(t["name"], t["role"], t["relation"]) for t in incident["targets"]] == [
        ("Gulnara Tokhtieva", "primary", ""),
        ("Tokhti Akhmed", "relative", "parent"),
    ]
    assert incident["legal_mechanisms"][0]["kind"] == "interpol_red_notice"
    assert incident["sources"][0]["reference"] == "https://news.example.org/poet-detained"
    assert incident["verification"] == "reported"

    for query in ("Гульнара", "gulnara", "Gulnora Tokhtieva", "Ахмед"):
        found = client.get(f"{API}/incidents", {"q": query}).json()["items"]
        assert [i["id"] for i in found] == [incident["id"]], query
    assert client.get(f"{API}/incidents", {"q": "Dilnoza"}).json()["items"] == []


def test_it_shows_an_incident_and_audits_the_view(
    personas: Personas, client_for: ClientFor
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    response = client_for(personas.case_worker).get(f"{API}/incidents/{incident.uuid}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Red Notice against a Uyghur poet in Istanbul"
    assert body["legal_mechanisms"][0]["reference"] == "A-1234/5-2023"
    assert body["origin_states"] == ["CN"]
    assert (
        AuditEvent.objects.filter(
            action="incident.view", record_id=incident.uuid, actor=personas.case_worker
        ).count()
        == 1
    )


def test_it_lists_incidents_newest_first_with_every_filter(
    personas: Personas, client_for: ClientFor
) -> None:
    old = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            start_date=date(2020, 5, 1),
            host_countries=["DE"],
            origin_states=["RU"],
            tactics=["phishing"],
            tlp="red",
            status="open",
            targets=[],
            sources=[],
        ),
    )
    new = incident_create(actor=personas.case_worker, data=incident_data())
    client = client_for(personas.case_worker)

    def ids(**params: str) -> list[str]:
        response = client.get(f"{API}/incidents", params)
        assert response.status_code == 200, response.json()
        return [i["id"] for i in response.json()["items"]]

    assert ids() == [str(new.uuid), str(old.uuid)]
    assert ids(host="de") == ids(origin="RU") == ids(tactic="phishing") == [str(old.uuid)]
    assert ids(tlp="red") == ids(status="open") == ids(verification="unverified") == [str(old.uuid)]
    assert ids(target_group="ethnic_or_religious_group") == [str(new.uuid)]
    assert ids(date_from="2021-01-01") == [str(new.uuid)]
    assert ids(date_to="2021-01-01") == [str(old.uuid)]
    assert ids(host="TR", tactic="phishing") == []


def test_it_pages_without_counting(personas: Personas, client_for: ClientFor) -> None:
    created = [
        incident_create(
            actor=personas.case_worker,
            data=incident_data(start_date=date(2024, 1, day), targets=[]),
        )
        for day in range(1, 6)
    ]
    newest_first = [str(i.uuid) for i in reversed(created)]
    client = client_for(personas.case_worker)
    pages = [
        client.get(f"{API}/incidents", {"page": n, "page_size": 2}).json() for n in (1, 2, 3, 4)
    ]
    assert [p["has_next"] for p in pages] == [True, True, False, False]
    assert [i["id"] for p in pages for i in p["items"]] == newest_first
    assert pages[0]["page"] == 1
    assert pages[0]["page_size"] == 2
    too_big = client.get(f"{API}/incidents", {"page_size": 201})
    assert too_big.status_code == 422
    assert "page_size" in too_big.json()["errors"]


def test_it_replaces_an_incident_and_keeps_its_history(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    created = _post(client, incident_body()).json()
    incident_id = created["id"]
    # The same persons, by the ids the first answer gave: their names again would be new
    # persons of the same names, which the API refuses (409) as likely duplicates.
    targets = [
        {"role": t["role"], "relation": t["relation"] or None, "person_uuid": t["person"]}
        for t in created["targets"]
    ]
    body = incident_body(title="Poet released", status="closed", targets=targets)
    replaced = _put(client, incident_id, body)
    assert replaced.status_code == 200
    assert replaced.json()["title"] == "Poet released"
    assert replaced.json()["version"] == 2
    history = client.get(f"{API}/incidents/{incident_id}/history").json()
    assert [(v["version"], v["action"]) for v in history] == [(2, "update"), (1, "create")]
    assert {"title", "status"} <= set(history[0]["changed_fields"])
    assert history[0]["actor"] == str(personas.case_worker.uuid)


def test_it_lists_the_sources_of_an_incident(personas: Personas, client_for: ClientFor) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    sources = client_for(personas.case_worker).get(f"{API}/incidents/{incident.uuid}/sources")
    assert sources.status_code == 200
    assert [(s["reference"], s["reliability"], s["independent"]) for s in sources.json()] == [
        ("https://news.example.org/poet-detained", "reliable", True)
    ]


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_it_withholds_identities_from_a_read_only_role(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = client_for(getattr(personas, role))
    body = client.get(f"{API}/incidents/{incident.uuid}").json()
    assert body["title"] == body["narrative"] == "[withheld]"
    assert {t["name"] for t in body["targets"]} == {"[withheld]"}
    assert all(t["pseudonym"].startswith("P-") for t in body["targets"])
    assert body["legal_mechanisms"][0]["reference"] == "[withheld]"
    assert body["tactics"] == ["family_coercion", "host_detention", "interpol_abuse"]
    sources = client.get(f"{API}/incidents/{incident.uuid}/sources").json()
    assert sources[0]["reference"] == "[withheld]"
    listed = client.get(f"{API}/incidents").json()["items"]
    assert [i["title"] for i in listed] == ["[withheld]"]
    assert "Gulnara" not in str(body) + str(sources) + str(listed)
    assert not AuditEvent.objects.filter(action="incident.view").exists()


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_it_refuses_writes_and_name_search_to_a_read_only_role(
    personas: Personas, client_for: ClientFor, role: str
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = client_for(getattr(personas, role))
    for response in (
        _post(client, incident_body()),
        _put(client, str(incident.uuid), incident_body(title="Changed")),
    ):
        assert response.status_code == 403
        assert response.json()["detail"] == "Your role cannot change records."
    search = client.get(f"{API}/incidents", {"q": "Gulnara"})
    assert search.status_code == 403
    assert "cannot search by" in search.json()["detail"]
    assert m.Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.version == 1


def test_it_hides_every_incident_from_the_outsider(
    personas: Personas, client_for: ClientFor
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = client_for(personas.outsider)
    for suffix in ("", "/history", "/sources"):
        response = client.get(f"{API}/incidents/{incident.uuid}{suffix}")
        assert response.status_code == 404, suffix
        assert response.json() == {"detail": "No such incident.", "errors": {}}
    assert _put(client, str(incident.uuid), incident_body()).status_code == 404
    assert client.get(f"{API}/incidents").json()["items"] == []
    assert client.get(f"{API}/incidents", {"q": "Gulnara"}).json()["items"] == []
    incident.refresh_from_db()
    assert incident.version == 1


def test_it_lists_incidents_in_a_fixed_number_of_queries(
    personas: Personas, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    for _ in range(6):
        incident_create(actor=personas.case_worker, data=incident_data())
    client = client_for(personas.case_worker)
    # Token and user (1), page (1), origins, hosts and tactics (3), the organisation's key
    # (1), and the audit event of a list showing titles (5: the chain's lock, head and insert).
    with django_assert_max_num_queries(11):
        response = client.get(f"{API}/incidents")
    assert len(response.json()["items"]) == 6
    # A name search adds the blind-index lookup.
    with django_assert_max_num_queries(12):
        assert len(client.get(f"{API}/incidents", {"q": "Gulnara"}).json()["items"]) == 6


def test_it_shows_an_incident_in_a_fixed_number_of_queries(
    personas: Personas,
    client_for: ClientFor,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = client_for(personas.case_worker)
    # Token (1), incident and its eleven kinds of parts (12), key (1), audit event (~4).
    with django_assert_max_num_queries(19):
        assert client.get(f"{API}/incidents/{incident.uuid}").status_code == 200


def test_it_records_and_filters_incidents_without_a_host_country(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    plane = _post(client, incident_body(host_countries=[], host_reason="in_transit")).json()
    assert (plane["host_countries"], plane["host_reason"]) == ([], "in_transit")
    _post(client, incident_body(host_countries=["TR", "GB"]))
    for host, found in (("none", 1), ("in_transit", 1), ("online_only", 0), ("gb", 1)):
        items = client.get(f"{API}/incidents", {"host": host}).json()["items"]
        assert len(items) == found, host
    assert items[0]["host_countries"] == ["GB", "TR"]
    refused = client.get(f"{API}/incidents", {"host": "nowhere"})
    assert refused.status_code == 422 and "host" in str(refused.json()["errors"])


def test_a_group_counts_by_its_size_in_the_list_and_the_record(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    body = incident_body(
        groups=[{"size": 317, "target_group": "exile_community"}],
        organisations=[{"name": "Exile Daily", "kind": "media_outlet", "country": "GB"}],
    )
    created = _post(client, body).json()
    persons = len(created["targets"])
    assert created["target_count"] == persons + 317 + 1  # its persons, the group, the paper
    assert created["groups"][0]["size"] == 317
    assert created["organisations"][0]["kind"] == "media_outlet"
    listed = client.get(f"{API}/incidents").json()["items"]
    assert [i["target_count"] for i in listed] == [persons + 318]
    refused = _post(client, incident_body(groups=[{"size": 0}]))
    assert refused.status_code == 422 and "groups.0.size" in refused.json()["errors"]
