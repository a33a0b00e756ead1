"""Bearer tokens only: no session, no CSRF, JSON errors everywhere."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from beyondreach.core.models import ApiToken
from beyondreach.core.services import api_token_create

from ..conftest import Personas, verified_client
from .conftest import ClientFor, bearer, incident_body

URLS = [
    "/api/v1/incidents",
    "/api/v1/persons",
    "/api/v1/vocabularies",
    "/api/v1/vocabularies/tactics",
]


def test_it_answers_401_in_json_to_an_anonymous_caller(db: None) -> None:
    for url in URLS:
        response = Client().get(url)
        assert response.status_code == 401, url
        assert response.json()["errors"] == {}
        assert "Bearer" in response.json()["detail"]
        assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_revoked_token(personas: Personas) -> None:
    token = api_token_create(user=personas.case_worker)
    client = Client(headers=bearer(token))
    assert client.get("/api/v1/incidents").status_code == 200
    ApiToken.objects.filter(user=personas.case_worker).update(revoked_at=timezone.now())
    assert client.get("/api/v1/incidents").status_code == 401


def test_it_refuses_a_token_of_a_deactivated_user(personas: Personas) -> None:
    token = api_token_create(user=personas.case_worker)
    personas.case_worker.is_active = False
    personas.case_worker.save()
    assert Client(headers=bearer(token)).get("/api/v1/incidents").status_code == 401


def test_it_refuses_unknown_tokens_and_other_schemes(personas: Personas) -> None:
    token = api_token_create(user=personas.case_worker)
    for header in (
        f"Bearer {token}x",
        "Bearer tnr_",
        "Bearer ",
        f"Basic {token}",
        token,
        "Bearer " + "tnr_" + "x" * 5000,
    ):
        response = Client(headers={"Authorization": header}).get("/api/v1/incidents")
        assert response.status_code == 401, header[:20]


def test_it_does_not_accept_a_logged_in_session(personas: Personas) -> None:
    client = verified_client(personas.case_worker)
    assert client.get("/api/v1/incidents").status_code == 401


def test_it_needs_no_csrf_token_with_a_bearer_token(personas: Personas) -> None:
    client = Client(
        enforce_csrf_checks=True, headers=bearer(api_token_create(user=personas.case_worker))
    )
    response = client.post("/api/v1/incidents", incident_body(), content_type="application/json")
    assert response.status_code == 201


def test_it_answers_json_for_an_unknown_endpoint_and_a_wrong_method(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No such endpoint.", "errors": {}}
    wrong = client.delete("/api/v1/incidents")
    assert wrong.status_code == 405
    assert wrong.json()["detail"] == "Method not allowed."
    assert set(wrong["Allow"].split(", ")) == {"GET", "POST"}


def test_it_checks_the_token_before_the_input(db: None) -> None:
    response = Client().get("/api/v1/incidents?page=zero")
    assert response.status_code == 401
