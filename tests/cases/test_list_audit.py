"""A list that shows titles or names is a view of every record on it, audited the same way
whether read as a page or through the API."""

from __future__ import annotations

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create
from beyondreach.core.models import AuditEvent, User
from beyondreach.core.services import api_token_create

from ..api.conftest import bearer
from ..conftest import Personas, verified_client
from .factories import incident_data


def _listed(action: str, actor: User) -> list[set[str]]:
    events = AuditEvent.objects.filter(action=action, actor=actor).order_by("id")
    return [set(e.detail["records"]) for e in events]


@pytest.mark.parametrize(
    ("kind", "page", "api"),
    [("incident", "/incidents/", "/api/v1/incidents"), ("person", "/persons/", "/api/v1/persons")],
)
def test_the_page_and_the_api_audit_a_list_alike(
    personas: Personas, kind: str, page: str, api: str
) -> None:
    for n in range(3):
        incident_create(actor=personas.case_worker, data=incident_data(title=f"Case {n}"))
    model = m.Incident if kind == "incident" else m.Person
    shown = {str(u) for u in model.objects.values_list("uuid", flat=True)}
    worker = personas.case_worker

    assert verified_client(worker).get(page).status_code == 200
    token = api_token_create(user=worker)
    assert verified_client(worker).get(api, headers=bearer(token)).status_code == 200
    assert _listed(f"{kind}.list", worker) == [shown, shown]


def test_a_role_that_sees_no_names_leaves_no_list_event(personas: Personas) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    analyst = personas.analyst
    token = api_token_create(user=analyst)
    assert verified_client(analyst).get("/api/v1/incidents", headers=bearer(token)).json()["items"]
    assert verified_client(analyst).get("/incidents/").status_code == 200
    assert _listed("incident.list", analyst) == []
