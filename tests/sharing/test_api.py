"""The partner's read-only API: /api/v1/shared/incidents and /{id}, under the rules of the
pages; revocation closes it on the next request."""

from __future__ import annotations

import uuid

from django.test import Client

from beyondreach.core.models import AuditEvent, User
from beyondreach.core.services import api_token_create
from beyondreach.sharing.services import agreement_end, share_revoke

from .conftest import TITLE, Partners, consenting, record, share


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def test_the_partner_lists_and_reads_what_was_shared(partners: Partners) -> None:
    incident = record(partners, consenting())
    counted = record(partners)
    share(partners, incident, "full")
    share(partners, counted, "counted")
    listing = _api(partners.b_viewer).get("/api/v1/shared/incidents")
    assert listing.status_code == 200
    body = listing.json()
    assert [i["id"] for i in body["items"]] == [str(incident.uuid)]
    assert body["items"][0]["shared_by"] == "Safeguard Exiles"
    assert body["counted"] == [
        {"organisation": "Safeguard Exiles", "counted": 2, "counted_only": 1}
    ]
    assert TITLE not in listing.content.decode()

    full = _api(partners.b_case_worker).get(f"/api/v1/shared/incidents/{incident.uuid}")
    assert full.status_code == 200
    seen = full.json()
    assert seen["title"] == TITLE and seen["targets"][0]["name"] == "Gulnara Tokhtieva"
    assert seen["shared"]["by"] == "Safeguard Exiles" and seen["shared"]["identities"] is True
    assert "assignee" not in seen and "person" not in seen["targets"][0]

    analyst = _api(partners.b_analyst).get(f"/api/v1/shared/incidents/{incident.uuid}").json()
    assert analyst["title"] == "[withheld]" and "Gulnara" not in str(analyst)
    assert analyst["shared"]["withheld_because"] == "your role does not see identities"
    assert analyst["tactics"] == ["family_coercion", "host_detention", "interpol_abuse"]

    assert _api(partners.b_admin).get(f"/api/v1/shared/incidents/{counted.uuid}").status_code == 404
    events = AuditEvent.objects.filter(organisation=partners.a, action="incident.share_view")
    assert {(e.actor, e.detail["via"]) for e in events} == {
        (partners.b_case_worker, "api"),
        (partners.b_analyst, "api"),
    }


def test_revocation_is_immediate_for_the_api_too(partners: Partners) -> None:
    incident = record(partners)
    shared = share(partners, incident)
    client = _api(partners.b_case_worker)
    assert client.get(f"/api/v1/shared/incidents/{incident.uuid}").status_code == 200
    share_revoke(actor=partners.a_case_worker, share=shared)
    answer = client.get(f"/api/v1/shared/incidents/{incident.uuid}")
    invented = client.get(f"/api/v1/shared/incidents/{uuid.uuid4()}")
    assert answer.status_code == invented.status_code == 404
    assert answer.content == invented.content
    assert client.get("/api/v1/shared/incidents").json()["items"] == []


def test_an_ended_agreement_closes_the_api_too(partners: Partners) -> None:
    incident = record(partners)
    share(partners, incident)
    client = _api(partners.b_analyst)
    assert client.get(f"/api/v1/shared/incidents/{incident.uuid}").status_code == 200
    agreement_end(actor=partners.personas.admin, agreement=partners.agreement)
    assert client.get(f"/api/v1/shared/incidents/{incident.uuid}").status_code == 404
    assert client.get("/api/v1/shared/incidents").json()["counted"] == []


def test_a_third_organisation_gets_the_answer_of_a_made_up_id(partners: Partners) -> None:
    incident = record(partners, consenting())
    share(partners, incident, "full")
    for user in (partners.c_admin, partners.c_case_worker, partners.personas.case_worker):
        client = _api(user)
        answer = client.get(f"/api/v1/shared/incidents/{incident.uuid}")
        invented = client.get(f"/api/v1/shared/incidents/{uuid.uuid4()}")
        assert answer.status_code == invented.status_code == 404, user.username
        assert answer.content == invented.content
    listing = _api(partners.c_case_worker).get("/api/v1/shared/incidents").content.decode()
    assert str(incident.uuid) not in listing and "Safeguard" not in listing


def test_bad_input_is_a_clear_4xx(partners: Partners) -> None:
    client = _api(partners.b_case_worker)
    assert client.get("/api/v1/shared/incidents/not-a-uuid").status_code == 422
    assert client.get("/api/v1/shared/incidents?page=0").status_code == 422
    assert client.get("/api/v1/shared/incidents?page_size=100000").status_code == 422
    assert client.post("/api/v1/shared/incidents").status_code == 405
    assert Client().get("/api/v1/shared/incidents").status_code == 401
