"""The accountability API (/api/v1/interpol-cases, /designations, /perpetrators): a client
records each record type and reads it back; analysts and viewers read coded parts only;
another organisation's ids are 404, a read-only role's writes 403, bad input 422 by field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from beyondreach.api import api
from beyondreach.cases import models as cm
from beyondreach.cases.services import incident_create
from beyondreach.core.models import AuditEvent, User
from beyondreach.core.services import api_token_create

from ..api.conftest import ClientFor, bearer
from ..cases.factories import incident_data
from ..conftest import Personas

API = "/api/v1"
NUMBER, CHARGE = "A-7777/1-2024", "Separatism, CANARY-charge"
GROUNDS, NOTE = "Wrote poems, CANARY-grounds", "Held two days, CANARY-note"
EVIDENCE, OFFICIAL = "A witness saw him, CANARY-evidence", "Alexander Zakharov"
SEALED = (NUMBER, CHARGE, GROUNDS, NOTE, EVIDENCE, OFFICIAL, "Head of the 2nd department")


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """A client that sends a fresh API token of the given user (as tests/api's)."""

    def make(user: User) -> Client:
        return Client(headers=bearer(api_token_create(user=user, label="test")))

    return make


@pytest.fixture
def incident(personas: Personas) -> cm.Incident:
    return incident_create(actor=personas.case_worker, data=incident_data())


def _person(incident: cm.Incident) -> str:
    return str(incident.targets.get(role="primary").person.uuid)


def _post(client: Client, path: str, body: dict[str, Any], status: int) -> Any:
    answer = client.post(API + path, body, content_type="application/json")
    assert answer.status_code == status, answer.content
    return answer.json()


def _put(client: Client, path: str, body: dict[str, Any], status: int) -> Any:
    answer = client.put(API + path, body, content_type="application/json")
    assert answer.status_code == status, answer.content
    return answer.json()


def _get(client: Client, path: str, expect: int = 200, **query: Any) -> Any:
    answer = client.get(API + path, query)
    assert answer.status_code == expect, answer.content
    return answer.json()


def case_body(incident: cm.Incident, **overrides: Any) -> dict[str, Any]:
    return {
        "person": _person(incident),
        "incidents": [str(incident.uuid)],
        "kind": "red_notice",
        "issuing_state": "cn",
        "issued_on": "2024-02-01",
        "issued_precision": "month",
        "public": True,
        "reference": NUMBER,
        "charge": CHARGE,
        **overrides,
    }


def designation_body(incident: cm.Incident, **overrides: Any) -> dict[str, Any]:
    return {
        "person": _person(incident),
        "incidents": [str(incident.uuid)],
        "listing_state": "TR",
        "authority": "Ministry of the Interior",
        "list_name": "Wanted terrorists",
        "designated_on": "2023-06-01",
        "effects": ["asset_freeze", "travel_ban"],
        "grounds": GROUNDS,
        **overrides,
    }


PERPETRATOR = {
    "kind": "official",
    "state": "CN",
    "names": [
        {"value": OFFICIAL, "script": "Latn"},
        {"value": "Александр Захаров", "script": "Cyrl"},
    ],
    "position": "Head of the 2nd department",
    "birth_date": "1965",
    "notes": "Signed the orders",
}


def _case_with_everything(client: Client, incident: cm.Incident) -> dict[str, Any]:
    case = _post(client, "/interpol-cases", case_body(incident), 201)
    at = f"/interpol-cases/{case['id']}"
    body = {"kind": "correction_deletion", "filed_on": "2024-03-01", "admissible_on": "2024-04-30"}
    request = _post(client, f"{at}/ccf-requests", body, 201)
    assert request["due_on"] == "2025-01-30" and request["clock_running"]
    step = {"country": "tr", "kind": "arrest", "on": "2024-02-10", "note": NOTE}
    _post(client, f"{at}/national-steps", step, 201)
    return dict(_get(client, at))


def test_a_case_worker_records_an_interpol_case_and_reads_it_back(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    client = client_for(personas.case_worker)
    case = _case_with_everything(client, incident)
    assert case["kind"] == "red_notice" and case["issuing_state"] == "CN" and case["public"]
    assert case["reference"] == NUMBER and case["charge"] == CHARGE
    assert case["incidents"] == [str(incident.uuid)] and case["pseudonym"].startswith("P-")
    (request,) = case["ccf_requests"]
    assert (request["kind"], request["clock_months"]) == ("correction_deletion", 9)
    assert request["outcome"] == "pending"
    (step,) = case["national_steps"]
    assert (step["country"], step["kind"], step["note"]) == ("TR", "arrest", NOTE)

    decision = {"outcome": "deleted", "grounds": ["article_3", "refugee_status"]}
    decided = _post(
        client,
        f"/ccf-requests/{request['id']}/decision",
        {**decision, "decided_on": "2024-09-01"},
        200,
    )
    assert decided["outcome"] == "deleted" and not decided["clock_running"]
    assert decided["grounds"] == ["article_3", "refugee_status"]
    _post(client, f"/interpol-cases/{case['id']}/status", {"status": "deleted"}, 200)

    listed = _get(client, "/interpol-cases", issuing_state="CN", status="deleted")
    assert [c["id"] for c in listed["items"]] == [case["id"]]
    assert listed["items"][0]["ccf_requests"] == 1 and "charge" not in listed["items"][0]
    assert _get(client, "/interpol-cases", kind="diffusion")["items"] == []
    assert AuditEvent.objects.filter(
        action="interpol_case.view", actor=personas.case_worker
    ).exists()


def test_a_request_found_admissible_later_starts_its_clock_once(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    client = client_for(personas.case_worker)
    case = _post(client, "/interpol-cases", case_body(incident), 201)
    body = {"kind": "access", "filed_on": "2024-03-01"}
    request = _post(client, f"/interpol-cases/{case['id']}/ccf-requests", body, 201)
    assert request["due_on"] is None and not request["clock_running"]
    at = f"/ccf-requests/{request['id']}/admissible"
    started = _post(client, at, {"admissible_on": "2024-10-31"}, 200)
    assert started["due_on"] == "2025-02-28" and started["clock_months"] == 4
    again = _post(client, at, {"admissible_on": "2024-11-01"}, 422)
    assert list(again["errors"]) == ["admissible_on"]


def test_a_designation_is_recorded_appealed_and_read_back(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    client = client_for(personas.case_worker)
    made = _post(client, "/designations", designation_body(incident), 201)
    at = f"/designations/{made['id']}"
    step = _post(client, f"{at}/steps", {"kind": "appeal", "country": "TR"}, 201)
    assert _get(client, at)["status"] == "under_appeal"
    body = {"outcome": "delisted", "decided_on": "2024-12-01"}
    assert _post(client, f"/designation-steps/{step['id']}/decision", body, 200)["outcome"] == (
        "delisted"
    )
    read = _get(client, at)
    assert read["status"] == "delisted" and read["grounds"] == GROUNDS
    assert read["effects"] == ["asset_freeze", "travel_ban"]
    assert read["authority"] == "Ministry of the Interior"
    assert [s["outcome"] for s in read["steps"]] == ["delisted"]
    listed = _get(client, "/designations", listing_state="tr", status="delisted")
    assert [d["id"] for d in listed["items"]] == [made["id"]]
    assert AuditEvent.objects.filter(action="designation.view").exists()


def test_a_perpetrator_is_recorded_linked_found_by_name_and_read_back(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    client = client_for(personas.case_worker)
    made = _post(client, "/perpetrators", PERPETRATOR, 201)
    assert made["label"] == OFFICIAL and made["links"] == []
    source = incident.sources.first()
    assert source is not None
    link = {
        "role": "perpetrator",
        "period_from": "2022-01-01",
        "from_precision": "year",
        "evidence": EVIDENCE,
        "sources": [str(source.uuid)],
    }
    at = f"/perpetrators/{made['id']}/incidents/{incident.uuid}"
    _put(client, at, link, 200)
    changed = _put(client, at, {**link, "role": "proxy"}, 200)  # the same link, updated
    assert changed["role"] == "proxy" and changed["sources"] == [source.reference]

    read = _get(client, f"/perpetrators/{made['id']}")
    assert [n["value"] for n in read["names"]] == [OFFICIAL, "Александр Захаров"]
    assert read["position"] == "Head of the 2nd department" and read["incidents"] == 1
    (linked,) = read["links"]
    assert linked["incident"] == str(incident.uuid) and linked["evidence"] == EVIDENCE
    assert (linked["period_from"], linked["from_precision"]) == ("2022-01-01", "year")
    found = _get(client, "/perpetrators", q="Захаров")
    assert [p["id"] for p in found["items"]] == [made["id"]]
    assert _get(client, "/perpetrators", q="Somebody Else")["items"] == []
    assert AuditEvent.objects.filter(action="perpetrator.view").exists()
    assert AuditEvent.objects.filter(action="perpetrator.list").exists()


def _everything(client: Client, incident: cm.Incident) -> dict[str, str]:
    case = _case_with_everything(client, incident)
    designation = _post(client, "/designations", designation_body(incident), 201)
    perpetrator = _post(client, "/perpetrators", PERPETRATOR, 201)
    link = {"role": "perpetrator", "evidence": EVIDENCE}
    _put(client, f"/perpetrators/{perpetrator['id']}/incidents/{incident.uuid}", link, 200)
    return {
        "case": case["id"],
        "request": case["ccf_requests"][0]["id"],
        "designation": designation["id"],
        "perpetrator": perpetrator["id"],
    }


def _reads(ids: dict[str, str]) -> list[str]:
    return [
        "/interpol-cases",
        f"/interpol-cases/{ids['case']}",
        "/designations",
        f"/designations/{ids['designation']}",
        "/perpetrators",
        f"/perpetrators/{ids['perpetrator']}",
    ]


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_analysts_and_viewers_read_coded_parts_and_no_sealed_field(
    role: str, personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    ids = _everything(client_for(personas.case_worker), incident)
    reader: User = getattr(personas, role)
    client = client_for(reader)
    for path in _reads(ids):
        answer = client.get(API + path)
        assert answer.status_code == 200, path
        text = answer.content.decode()
        assert [s for s in SEALED if s in text] == [], path
    case = _get(client, f"/interpol-cases/{ids['case']}")
    assert case["reference"] == case["charge"] == "[withheld]" and case["issuing_state"] == "CN"
    assert case["national_steps"][0]["note"] == "[withheld]"
    assert case["ccf_requests"][0]["due_on"] == "2025-01-30"
    perpetrator = _get(client, f"/perpetrators/{ids['perpetrator']}")
    assert perpetrator["names"] == [] and perpetrator["label"].startswith("Official ")
    assert perpetrator["links"][0]["evidence"] == "[withheld]"
    assert perpetrator["links"][0]["title"] == "[withheld]"
    assert _get(client, f"/designations/{ids['designation']}")["grounds"] == "[withheld]"
    refused = _get(client, "/perpetrators", 403, q="Zakharov")
    assert refused["detail"]
    assert not AuditEvent.objects.filter(actor=reader, action__endswith=".view").exists()


def test_another_organisation_gets_404_for_every_record_and_sees_none_listed(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    ids = _everything(client_for(personas.case_worker), incident)
    outsider = client_for(personas.outsider)
    for path in _reads(ids):
        answer = _get(outsider, path, 404) if "/" in path[1:] else _get(outsider, path)
        assert answer.get("items", []) == [], path
    writes = [
        (
            f"/interpol-cases/{ids['case']}/ccf-requests",
            {"kind": "access", "filed_on": "2024-01-01"},
        ),
        (f"/interpol-cases/{ids['case']}/national-steps", {"country": "TR", "kind": "arrest"}),
        (f"/ccf-requests/{ids['request']}/admissible", {"admissible_on": "2024-05-01"}),
        (f"/designations/{ids['designation']}/steps", {"kind": "appeal", "country": "TR"}),
        ("/interpol-cases", case_body(incident)),  # A's person and incident, in a body
        ("/designations", designation_body(incident)),
    ]
    for path, body in writes:
        assert _post(outsider, path, body, 404)["detail"], path
    at = f"/perpetrators/{ids['perpetrator']}/incidents/{incident.uuid}"
    _put(outsider, at, {"role": "perpetrator"}, 404)
    # Their own perpetrator, A's incident: 404 all the same.
    theirs = _post(outsider, "/perpetrators", PERPETRATOR, 201)
    _put(
        outsider, f"/perpetrators/{theirs['id']}/incidents/{incident.uuid}", {"role": "proxy"}, 404
    )


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_read_only_roles_get_403_on_every_write_with_a_valid_body(
    role: str, personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    ids = _everything(client_for(personas.case_worker), incident)
    client = client_for(getattr(personas, role))
    writes = [
        ("/interpol-cases", case_body(incident)),
        (
            f"/interpol-cases/{ids['case']}/ccf-requests",
            {"kind": "access", "filed_on": "2024-01-01"},
        ),
        (f"/interpol-cases/{ids['case']}/national-steps", {"country": "TR", "kind": "arrest"}),
        (f"/interpol-cases/{ids['case']}/status", {"status": "blocked"}),
        (
            f"/ccf-requests/{ids['request']}/decision",
            {"outcome": "compliant", "decided_on": "2025-01-01"},
        ),
        ("/designations", designation_body(incident)),
        (f"/designations/{ids['designation']}/steps", {"kind": "appeal", "country": "TR"}),
        ("/perpetrators", PERPETRATOR),
    ]
    for path, body in writes:
        assert _post(client, path, body, 403)["detail"], path
    at = f"/perpetrators/{ids['perpetrator']}/incidents/{incident.uuid}"
    _put(client, at, {"role": "proxy"}, 403)
    assert (
        _get(client_for(personas.case_worker), f"/perpetrators/{ids['perpetrator']}")["links"][0][
            "role"
        ]
        == "perpetrator"
    )


def test_bad_input_is_a_422_naming_each_field(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    client = client_for(personas.case_worker)
    shape = _post(
        client,
        "/interpol-cases",
        case_body(incident, kind="purple_notice", issued_on="2024-13-01", extra="x"),
        422,
    )
    assert set(shape["errors"]) == {"kind", "issued_on", "extra"}
    domain = _post(
        client, "/interpol-cases", case_body(incident, issuing_state="XX", incidents=[]), 422
    )
    assert set(domain["errors"]) == {"issuing_state", "incidents"}
    case = _post(client, "/interpol-cases", case_body(incident), 201)
    late = {"kind": "access", "filed_on": "2024-03-01", "admissible_on": "2024-02-01"}
    errors = _post(client, f"/interpol-cases/{case['id']}/ccf-requests", late, 422)["errors"]
    assert list(errors) == ["admissible_on"]
    step = {"country": "TR", "kind": "arrest", "note": "a\x00b"}
    assert list(
        _post(client, f"/interpol-cases/{case['id']}/national-steps", step, 422)["errors"]
    ) == ["note"]
    designation = designation_body(incident, effects=["asset_freeze", "exile"], listing_state="Q1")
    assert set(_post(client, "/designations", designation, 422)["errors"]) == {
        "effects.1",
        "listing_state",
    }
    nameless = {**PERPETRATOR, "names": [{"value": "   "}], "birth_date": "sixties"}
    assert set(_post(client, "/perpetrators", nameless, 422)["errors"]) == {"names", "birth_date"}
    made = _post(client, "/perpetrators", PERPETRATOR, 201)
    at = f"/perpetrators/{made['id']}/incidents/{incident.uuid}"
    backwards = {"role": "perpetrator", "period_from": "2024-01-01", "period_to": "2023-01-01"}
    assert list(_put(client, at, backwards, 422)["errors"]) == ["period_to"]
    assert list(_put(client, at, {"role": "boss"}, 422)["errors"]) == ["role"]
    assert list(_get(client, "/perpetrators", 422, kind="ghost")["errors"]) == ["kind"]
    assert list(_get(client, "/interpol-cases/not-a-uuid", 422)["errors"]) == ["case_id"]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The real WSGI app inside the test's transaction (as tests/api/test_openapi_fuzz.py)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_answer_on_real_records_is_as_the_openapi_document_says(
    personas: Personas, incident: cm.Incident, wsgi_app: WSGIHandler
) -> None:
    """The fuzzer (tests/api) rarely hits a real record: each operation once on real ones,
    its answer checked against its documented status and schema."""
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    headers = bearer(api_token_create(user=personas.case_worker))

    def call(path: str, method: str, status: int, **kwargs: Any) -> Any:
        case = schema[f"{API}{path}"][method].Case(**kwargs)
        response = case.call(app=wsgi_app, headers=headers)
        assert response.status_code == status, (path, method, response.text)
        case.validate_response(
            response,
            checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        )
        return response.json()

    made = call("/interpol-cases", "POST", 201, body=case_body(incident))
    case_id = {"case_id": made["id"]}
    request = call(
        "/interpol-cases/{case_id}/ccf-requests",
        "POST",
        201,
        path_parameters=case_id,
        body={"kind": "access", "filed_on": "2024-03-01"},
    )
    request_id = {"request_id": request["id"]}
    body = {"admissible_on": "2024-04-01"}
    call(
        "/ccf-requests/{request_id}/admissible", "POST", 200, path_parameters=request_id, body=body
    )
    body = {"outcome": "compliant", "decided_on": "2024-07-01"}
    call("/ccf-requests/{request_id}/decision", "POST", 200, path_parameters=request_id, body=body)
    body = {"country": "DE", "kind": "asylum_granted"}
    call(
        "/interpol-cases/{case_id}/national-steps", "POST", 201, path_parameters=case_id, body=body
    )
    call(
        "/interpol-cases/{case_id}/status",
        "POST",
        200,
        path_parameters=case_id,
        body={"status": "blocked"},
    )
    call("/interpol-cases/{case_id}", "GET", 200, path_parameters=case_id)
    call("/interpol-cases", "GET", 200, query={"kind": "red_notice"})

    made = call("/designations", "POST", 201, body=designation_body(incident))
    designation_id = {"designation_id": made["id"]}
    body = {"kind": "delisting_request", "country": "TR", "filed_on": "2024-01-01"}
    step = call(
        "/designations/{designation_id}/steps",
        "POST",
        201,
        path_parameters=designation_id,
        body=body,
    )
    body = {"outcome": "upheld", "decided_on": "2024-06-01"}
    step_id = {"step_id": step["id"]}
    call("/designation-steps/{step_id}/decision", "POST", 200, path_parameters=step_id, body=body)
    call("/designations/{designation_id}", "GET", 200, path_parameters=designation_id)
    call("/designations", "GET", 200, query={"status": "active"})

    made = call("/perpetrators", "POST", 201, body=PERPETRATOR)
    ids = {"perpetrator_id": made["id"], "incident_id": str(incident.uuid)}
    call(
        "/perpetrators/{perpetrator_id}/incidents/{incident_id}",
        "PUT",
        200,
        path_parameters=ids,
        body={"role": "perpetrator", "evidence": EVIDENCE},
    )
    call(
        "/perpetrators/{perpetrator_id}", "GET", 200, path_parameters={"perpetrator_id": made["id"]}
    )
    call("/perpetrators", "GET", 200, query={"q": "Zakharov", "state": "CN"})


def test_a_date_whose_clock_would_run_past_the_calendar_is_a_422(
    personas: Personas, client_for: ClientFor, incident: cm.Incident
) -> None:
    client = client_for(personas.case_worker)
    case = _post(client, "/interpol-cases", case_body(incident), 201)
    body = {"kind": "correction_deletion", "filed_on": "9999-06-01", "admissible_on": "9999-06-02"}
    errors = _post(client, f"/interpol-cases/{case['id']}/ccf-requests", body, 422)["errors"]
    assert set(errors) == {"filed_on", "admissible_on"}
