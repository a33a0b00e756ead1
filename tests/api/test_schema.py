"""The published documents: the incident JSON Schema and the OpenAPI document."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import jsonschema_rs  # installed with schemathesis
from django.test import Client

from beyondreach.api import api
from beyondreach.cases import api as cases_api
from beyondreach.cases import inputs
from beyondreach.cases.api import INCIDENT_SCHEMA_VERSION

from ..conftest import Personas
from .conftest import ClientFor, incident_body

SCHEMA_FILE = (
    Path(__file__).resolve().parents[2]
    / "docs"
    / "schema"
    / f"incident-{INCIDENT_SCHEMA_VERSION}.schema.json"
)


def test_it_serves_the_committed_incident_schema(db: None) -> None:
    """Regenerate the file with BEYONDREACH_WRITE_SCHEMA=1 after a deliberate change, and bump
    INCIDENT_SCHEMA_VERSION when the change can refuse a body the former schema accepted."""
    served = Client().get("/api/v1/schema/incident.json")
    assert served.status_code == 200
    if os.environ.get("BEYONDREACH_WRITE_SCHEMA") == "1":
        SCHEMA_FILE.write_text(json.dumps(served.json(), indent=2, ensure_ascii=False) + "\n")
    assert json.loads(SCHEMA_FILE.read_text()) == served.json()
    assert served.json()["version"] == INCIDENT_SCHEMA_VERSION


def test_it_accepts_the_example_body_under_its_own_schema(
    personas: Personas, client_for: ClientFor
) -> None:
    validator = jsonschema_rs.validator_for(json.loads(SCHEMA_FILE.read_text()))
    assert validator.is_valid(incident_body())
    assert not validator.is_valid(incident_body(tactic="interpol_abuse"))  # a typo of tactics
    response = client_for(personas.case_worker).post(
        "/api/v1/incidents", incident_body(), content_type="application/json"
    )
    assert response.status_code == 201


def test_it_serves_the_openapi_document_with_the_error_format(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document == json.loads(json.dumps(api.get_openapi_schema()))
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    operations = [op for item in document["paths"].values() for op in item.values()]
    # 12, 2 of /shared/incidents, /deadlines, /referrals, 2 of /statistics, 2 of /imports,
    # /exports, 17 of accountability (tests/accountability/test_api.py)
    assert len(operations) == 38
    for operation in operations:
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_the_api_input_is_the_services_input_field_for_field() -> None:
    """IncidentIn and its parts carry the API's rules and descriptions, the dataclasses of
    cases/inputs.py the services' shape: a field added to one and not the other fails here,
    so the API, its JSON Schema and the services take the same incident (issue 9, item 7)."""
    pairs = [
        (cases_api.IncidentIn, inputs.IncidentData),
        (cases_api.TargetIn, inputs.TargetData),
        (cases_api.PersonIn, inputs.PersonData),
        (cases_api.GroupIn, inputs.GroupData),
        (cases_api.OrganisationIn, inputs.OrganisationData),
        (cases_api.ActorIn, inputs.ActorData),
        (cases_api.MechanismIn, inputs.MechanismData),
        (cases_api.SourceIn, inputs.SourceData),
        (cases_api.ResponseIn, inputs.ResponseData),
    ]
    # The API's own: the answer to a likely duplicate (cases_api.md), not part of the person.
    api_only = {"not_a_duplicate"}
    for schema, data in pairs:
        declared = {f.name for f in dataclasses.fields(data)}
        assert set(schema.model_fields) - api_only == declared, schema.__name__
