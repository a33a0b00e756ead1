"""Scope: every incident carries a coded judgement of whether it is transnational repression,
with the criteria met and a sealed reason; lists filter by it and by Freedom House's narrower
definition (a direct, physical tactic)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from beyondreach.cases.models import Incident

from ..conftest import Personas
from .conftest import ClientFor, incident_body

API = "/api/v1"
REASON = "The letter came from a university, not from the state."


def _post(client: Client, **overrides: object) -> Any:
    body = incident_body(**overrides)
    return client.post(f"{API}/incidents", body, content_type="application/json")


def test_a_borderline_or_out_of_scope_incident_needs_a_reason(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    refused = _post(client, scope="out_of_scope", scope_criteria=["cross_border", "nope"])
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert "scope_criteria.1" in errors
    assert Incident.objects.count() == 0
    refused = _post(client, scope="out_of_scope")
    assert set(refused.json()["errors"]) == {"scope_reason"}


def test_the_scope_is_kept_its_reason_sealed_and_withheld_from_roles_without_identities(
    personas: Personas, client_for: ClientFor
) -> None:
    made = _post(
        client_for(personas.case_worker),
        scope="borderline",
        scope_criteria=["state_or_proxy", "cross_border"],
        scope_reason=REASON,
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["scope"], body["scope_criteria"]) == (
        "borderline",
        ["cross_border", "state_or_proxy"],
    )
    assert body["scope_reason"] == REASON
    assert body["freedom_house_physical"] is True  # detention in the host country
    stored = Incident.objects.get()
    assert REASON.encode() not in bytes(stored.scope_reason_sealed)
    seen = client_for(personas.analyst).get(f"{API}/incidents/{body['id']}").json()
    assert seen["scope"] == "borderline" and seen["scope_reason"] != REASON


def test_lists_filter_by_scope_and_by_freedom_houses_definition(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    _post(client, title="Detained on a Red Notice")
    _post(
        client,
        title="Smear campaign only",
        tactics=["smear_campaign"],
        mechanisms=[],
        scope="out_of_scope",
        scope_reason="A private quarrel.",
    )

    def titles(**query: str) -> set[str]:
        items = client.get(f"{API}/incidents", query).json()["items"]
        return {i["title"] for i in items}

    assert titles() == {"Detained on a Red Notice", "Smear campaign only"}
    assert titles(scope="out_of_scope") == {"Smear campaign only"}
    assert titles(scope="in_scope") == {"Detained on a Red Notice"}
    assert titles(definition="freedom_house") == {"Detained on a Red Notice"}
    assert client.get(f"{API}/incidents", {"scope": "maybe"}).status_code == 422
