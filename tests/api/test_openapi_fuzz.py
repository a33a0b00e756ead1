"""Schemathesis drives every operation of the OpenAPI document with generated input, as a
case worker: no answer may be a server error, and every answer must match its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from beyondreach.api import api
from beyondreach.cases.services import incident_create
from beyondreach.core.services import api_token_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import bearer, incident_body

CHECKS = [not_a_server_error, response_schema_conformance]


def _with_examples(document: dict[str, Any]) -> dict[str, Any]:
    """Valid bodies as explicit examples, so that generation also reaches the create path."""
    bodies = {
        ("/api/v1/incidents", "post"): incident_body(),
        ("/api/v1/incidents/{incident_id}", "put"): incident_body(),
        ("/api/v1/persons", "post"): incident_body()["targets"][0]["person"],
    }
    for (path, method), body in bodies.items():
        document["paths"][path][method]["requestBody"]["content"]["application/json"]["example"] = (
            body
        )
    return document


schema = schemathesis.openapi.from_dict(_with_examples(api.get_openapi_schema()))


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The real WSGI app, in process and inside the test's transaction.

    Like Django's test Client, it must not close the database connection at the start and end
    of each request: that would end the transaction the test runs in.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def case_worker_headers(personas: Personas) -> dict[str, str]:
    incident_create(actor=personas.case_worker, data=incident_data())  # something to list
    return bearer(api_token_create(user=personas.case_worker))


@schema.parametrize()
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_it_never_answers_a_server_error(
    case: schemathesis.Case, wsgi_app: WSGIHandler, case_worker_headers: dict[str, str]
) -> None:
    response = case.call(app=wsgi_app, headers=case_worker_headers)
    case.validate_response(response, checks=CHECKS)


def test_it_answers_as_documented_on_real_records(
    personas: Personas, wsgi_app: WSGIHandler, case_worker_headers: dict[str, str]
) -> None:
    """Generated ids are rarely those of real records: check each success answer too."""

    def call(path: str, method: str, status: int, **kwargs: Any) -> Any:
        case = schema[f"/api/v1{path}"][method].Case(**kwargs)
        response = case.call(app=wsgi_app, headers=case_worker_headers)
        assert response.status_code == status, (path, method, response.text)
        case.validate_response(response, checks=[*CHECKS, status_code_conformance])
        return response.json()

    incident = call("/incidents", "POST", 201, body=incident_body())
    ids = {"incident_id": incident["id"]}
    call(
        "/incidents/{incident_id}",
        "PUT",
        200,
        path_parameters=ids,
        body=incident_body(status="open"),
    )
    for path in (
        "/incidents/{incident_id}",
        "/incidents/{incident_id}/history",
        "/incidents/{incident_id}/sources",
    ):
        call(path, "GET", 200, path_parameters=ids)
    call("/incidents", "GET", 200, query={"q": "Гульнара", "tactic": "interpol_abuse"})
    person = call("/persons", "POST", 201, body=incident_body()["targets"][1]["person"])
    call("/persons/{person_id}", "GET", 200, path_parameters={"person_id": person["id"]})
    call(
        "/persons/{person_id}",
        "GET",
        200,
        path_parameters={"person_id": incident["targets"][1]["person"]},
    )
    call("/vocabularies/{name}", "GET", 200, path_parameters={"name": "tactics"})
