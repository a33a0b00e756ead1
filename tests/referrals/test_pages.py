"""Referral pages: success, bad input, wrong method, anonymous, read-only roles (403 or
status only) and the outsider (404); the body's link without an account, with CSRF."""

from __future__ import annotations

import base64
import uuid

from django.test import Client
from pytest_django import DjangoAssertNumQueries

from beyondreach.core.models import AuditEvent
from beyondreach.referrals.models import ProtectionBody, Referral
from beyondreach.referrals.services import OutcomeData, referral_record_outcome, referral_send
from beyondreach.reports.keys import new_key_pair

from ..conftest import Personas, verified_client
from .conftest import SECRETS, TITLE, Bodies, consenting_incident
from .helpers import link_token


def test_an_admin_adds_and_edits_a_protection_body(personas: Personas) -> None:
    admin = verified_client(personas.admin)
    _private, public = new_key_pair()
    answer = admin.post(
        "/referrals/bodies/",
        {
            "name": "Shelter City",
            "kind": "relocation",
            "email": "shelter@city.example",
            "public_key": base64.b64encode(public).decode(),
            "active": "on",
        },
    )
    assert answer.status_code == 302
    body = ProtectionBody.objects.get()
    assert body.name == "Shelter City" and body.public_key
    page = admin.get("/referrals/bodies/").content.decode()
    assert "Shelter City" in page and "Encrypted to its key" in page
    bad = admin.post(
        f"/referrals/bodies/{body.uuid}/",
        {"name": "x", "kind": "police", "email": "x@y.example", "public_key": "abc"},
    )
    assert bad.status_code == 400 and "base64" in bad.content.decode()
    assert admin.get(f"/referrals/bodies/{body.uuid}/").status_code == 200
    assert verified_client(personas.case_worker).get("/referrals/bodies/").status_code == 403
    assert (
        verified_client(personas.outsider).get(f"/referrals/bodies/{body.uuid}/").status_code == 404
    )
    assert Client().get("/referrals/bodies/").status_code == 302


def test_a_case_worker_refers_from_the_incident_page(personas: Personas, bodies: Bodies) -> None:
    incident = consenting_incident(personas, consent=False)
    client = verified_client(personas.case_worker)
    detail = client.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "Refer to a protection body" in detail
    form = client.get(f"/incidents/{incident.uuid}/referrals/new/").content.decode()
    assert "pseudonymised" in form and "Shelter City" in form
    answer = client.post(
        f"/incidents/{incident.uuid}/referrals/new/",
        {"body": str(bodies.link.uuid), "follow_up_on": "2030-01-01"},
    )
    referral = Referral.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/referrals/{referral.uuid}/"
    detail = client.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "Shelter City" in detail and "Sent" in detail and "2030-01-01" in detail


def test_it_refuses_bad_input_and_red_incidents_on_the_form(
    personas: Personas, bodies: Bodies
) -> None:
    client = verified_client(personas.case_worker)
    incident = consenting_incident(personas)
    bad = client.post(f"/incidents/{incident.uuid}/referrals/new/", {"body": str(uuid.uuid4())})
    assert bad.status_code == 400
    red = consenting_incident(personas, tlp="red")
    page = client.get(f"/incidents/{red.uuid}/referrals/new/").content.decode()
    assert "cannot be referred" in page
    refused = client.post(f"/incidents/{red.uuid}/referrals/new/", {"body": str(bodies.link.uuid)})
    assert (
        refused.status_code == 400
        and "TLP:RED incident cannot be referred" in refused.content.decode()
    )
    assert not Referral.objects.exists()
    assert (
        "Refer to a protection body" not in client.get(f"/incidents/{red.uuid}/").content.decode()
    )


def test_roles_outsiders_and_anonymous_on_the_referral_pages(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    referral_record_outcome(
        actor=personas.case_worker, referral=referral, data=OutcomeData("Relocated to Oslo")
    )
    path = f"/referrals/{referral.uuid}/"
    analyst = verified_client(personas.analyst)
    page = analyst.get(path).content.decode()
    assert "Outcome recorded" in page and "Relocated to Oslo" not in page
    assert analyst.post(path, {"outcome": "x"}).status_code == 403
    assert analyst.post(f"{path}acknowledge/").status_code == 403
    incident_page = analyst.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "Outcome recorded" in incident_page and "Relocated to Oslo" not in incident_page
    assert "Refer to a protection body" not in incident_page
    assert (
        verified_client(personas.viewer)
        .get(f"/incidents/{incident.uuid}/referrals/new/")
        .status_code
        == 403
    )
    outsider = verified_client(personas.outsider)
    for url in (path, f"{path}acknowledge/", f"{path}revoke/"):
        assert outsider.post(url, {"outcome": "pwned"}).status_code == 404, url
    assert outsider.get(path).status_code == 404
    assert outsider.get(f"/incidents/{incident.uuid}/referrals/new/").status_code == 404
    assert Client().get(path).status_code == 302
    case_worker = verified_client(personas.case_worker)
    assert case_worker.get(f"{path}acknowledge/").status_code == 405
    assert "Relocated to Oslo" in case_worker.get(path).content.decode()


def test_a_case_worker_records_an_outcome_and_a_follow_up(
    personas: Personas, bodies: Bodies
) -> None:
    referral = referral_send(
        actor=personas.case_worker, incident=consenting_incident(personas), body=bodies.sealed
    )
    client = verified_client(personas.case_worker)
    path = f"/referrals/{referral.uuid}/"
    assert client.post(f"{path}acknowledge/").status_code == 302
    bad = client.post(path, {"outcome": "x", "outcome_on": "not a date"})
    assert bad.status_code == 400
    future = client.post(path, {"outcome": "x", "outcome_on": "2999-01-01"})
    assert future.status_code == 400 and "future" in future.content.decode()
    answer = client.post(
        path, {"outcome": "Visa granted", "outcome_on": "2025-01-02", "follow_up_on": "2030-02-03"}
    )
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "outcome" and str(referral.follow_up_on) == "2030-02-03"
    revoke = client.post(f"{path}revoke/")  # sealed delivery: no link to revoke
    assert revoke.status_code == 302
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"referral.send", "referral.acknowledge", "referral.outcome"} <= actions


def test_the_body_reads_and_acknowledges_through_the_link_without_an_account(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas, consent=False)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    path = f"/referral/{link_token(referral)}/"
    body_browser = Client(enforce_csrf_checks=True)
    page = body_browser.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and "Acknowledge" in html and "P-" in html
    assert all(secret not in html for secret in SECRETS)
    assert body_browser.post(path).status_code == 403  # no CSRF token
    token = page.cookies["csrftoken"].value
    answer = body_browser.post(path, {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "acknowledged"
    assert "Acknowledged on" in body_browser.get(path).content.decode()
    events = AuditEvent.objects.filter(record_id=referral.uuid)
    assert events.filter(action="referral.link_view", actor=None).count() == 2
    assert events.filter(action="referral.acknowledge", actor=None).count() == 1
    assert Client().get("/referral/not-a-token/").status_code == 404
    assert Client().put(path).status_code == 405


def test_the_link_shows_identities_when_every_target_consents(
    personas: Personas, bodies: Bodies
) -> None:
    referral = referral_send(
        actor=personas.case_worker, incident=consenting_incident(personas), body=bodies.link
    )
    html = Client().get(f"/referral/{link_token(referral)}/").content.decode()
    assert TITLE in html and "Gulnara Tokhtieva" in html


def test_a_revoked_link_answers_404(personas: Personas, bodies: Bodies) -> None:
    referral = referral_send(
        actor=personas.case_worker, incident=consenting_incident(personas), body=bodies.link
    )
    path = f"/referral/{link_token(referral)}/"
    assert Client().get(path).status_code == 200
    revoke = verified_client(personas.case_worker).post(f"/referrals/{referral.uuid}/revoke/")
    assert revoke.status_code == 302
    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code in (403, 404)


def test_the_pages_make_a_bounded_number_of_queries(
    personas: Personas, bodies: Bodies, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    incident = consenting_incident(personas)
    for _ in range(5):
        referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    client = verified_client(personas.analyst)
    # The incident page's own bound, with 5 referrals (and its perpetrators, one query).
    with django_assert_max_num_queries(24):
        client.get(f"/incidents/{incident.uuid}/")
    with django_assert_max_num_queries(8):
        client.get(f"/referrals/{referral.uuid}/")
