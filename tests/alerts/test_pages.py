"""The alert pages as people use them: success, bad input kept with its errors, who may do
what, and the outsider who learns nothing."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from beyondreach.alerts.models import Deadline, FocalPoint, Subscription
from beyondreach.core.models import AuditEvent

from ..conftest import Personas, verified_client
from .helpers import days, focal_point, incident, subscribe


def _html(answer: Any) -> str:
    return str(answer.content.decode())


def test_a_member_sets_an_address_and_keeps_an_alert_rule(personas: Personas) -> None:
    client = verified_client(personas.analyst)
    assert "no e-mail address yet" in _html(client.get("/alerts/"))
    answer = client.post("/alerts/email/", {"email": "ana@ngo.example"})
    assert answer.status_code == 302
    personas.analyst.refresh_from_db()
    assert personas.analyst.email == "ana@ngo.example"
    answer = client.post(
        "/alerts/new/",
        {"host_countries": ["TR", "DE"], "tactics": ["rendition"], "active": "on"},
    )
    assert answer.status_code == 302 and answer["Location"] == "/alerts/"
    rule = Subscription.objects.get(user=personas.analyst)
    assert rule.host_countries == ["DE", "TR"] and rule.tactics == ["rendition"]
    page = _html(client.get("/alerts/"))
    assert "Germany (DE)" in page and "Rendition" in page
    edit = f"/alerts/{rule.uuid}/edit/"
    assert client.post(edit, {"urgent_only": "on"}).status_code == 302  # unticked: paused
    rule.refresh_from_db()
    assert rule.urgent_only and not rule.active and rule.host_countries == []
    assert client.post(f"/alerts/{rule.uuid}/delete/").status_code == 302
    assert not Subscription.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"user.email_set", "alert_subscription.create", "alert_subscription.delete"} <= actions


def test_a_bad_rule_or_address_comes_back_with_errors_and_what_was_typed(
    personas: Personas,
) -> None:
    client = verified_client(personas.viewer)
    answer = client.post("/alerts/new/", {"host_countries": ["XX", "TR"], "tactics": ["nope"]})
    assert answer.status_code == 400
    html = _html(answer)
    assert "The rule was not saved" in html
    assert "Select a valid choice. XX is not one of the available choices." in html
    assert re.search(r'<option value="TR"[^>]*selected', html)
    answer = client.post("/alerts/email/", {"email": "not an address"})
    assert answer.status_code == 400 and "Enter a valid email address." in _html(answer)
    assert 'value="not an address"' in _html(answer)
    assert not Subscription.objects.exists()


def test_nobody_reaches_another_members_rule(personas: Personas) -> None:
    rule = subscribe(personas.case_worker)
    for user in (personas.admin, personas.analyst, personas.outsider):
        client = verified_client(user)
        assert client.get(f"/alerts/{rule.uuid}/edit/").status_code == 404
        assert client.post(f"/alerts/{rule.uuid}/delete/").status_code == 404
    assert Subscription.objects.filter(pk=rule.pk).exists()
    made_up = verified_client(personas.case_worker).get(f"/alerts/{uuid.uuid4()}/edit/")
    assert made_up.status_code == 404
    assert verified_client(personas.case_worker).get("/alerts/not-a-uuid/edit/").status_code == 404


def test_an_admin_adds_a_focal_point_sees_its_secret_once_and_gives_it_a_rule(
    personas: Personas, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_LOCAL = False
    admin = verified_client(personas.admin)
    answer = admin.post(
        "/alerts/focal-points/new/",
        {
            "name": "Asylum unit",
            "email": "unit@interior.example",
            "webhook_url": "https://alerts.interior.example/tnr",
            "active": "on",
        },
    )
    assert answer.status_code == 200
    secret = re.search(r'<strong id="webhook-secret">([^<]+)</strong>', _html(answer))
    assert secret and secret.group(1).startswith("whsec_")
    point = FocalPoint.objects.get()
    assert point.webhook_secret == secret.group(1)
    detail = _html(admin.get(f"/alerts/focal-points/{point.uuid}/"))
    assert secret.group(1) not in detail and "unit@interior.example" in detail
    answer = admin.post(
        f"/alerts/focal-points/{point.uuid}/alerts/new/",
        {"host_countries": ["TR"], "urgent_only": "on", "active": "on"},
    )
    assert answer.status_code == 302
    rule = Subscription.objects.get(focal_point=point)
    assert rule.user is None and rule.urgent_only
    rotated = admin.post(f"/alerts/focal-points/{point.uuid}/secret/")
    new_secret = re.search(r'<strong id="webhook-secret">([^<]+)</strong>', _html(rotated))
    assert new_secret and new_secret.group(1) != secret.group(1)
    point.refresh_from_db()
    assert point.webhook_secret == new_secret.group(1)
    assert "Asylum unit" in _html(admin.get("/alerts/focal-points/"))


def test_a_bad_focal_point_comes_back_with_errors_and_what_was_typed(
    personas: Personas, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_LOCAL = False
    admin = verified_client(personas.admin)
    for url, error in [
        ("http://alerts.interior.example/", "Use an https:// URL."),
        ("https://127.0.0.1/hook", "private or local address"),
        ("https://user:pw@alerts.interior.example/", "no user name or password"),
        ("https://[::1", "not a valid URL"),
    ]:
        answer = admin.post(
            "/alerts/focal-points/new/", {"name": "Unit", "webhook_url": url, "active": "on"}
        )
        assert answer.status_code == 400 and error in _html(answer), url
        assert f'value="{url}"' in _html(answer).replace("&amp;", "&")
    answer = admin.post("/alerts/focal-points/new/", {"name": "Unit"})
    assert answer.status_code == 400
    assert "Give an e-mail address, a webhook URL, or both." in _html(answer)
    assert not FocalPoint.objects.exists()


def test_focal_points_are_for_admins_and_hidden_from_other_organisations(
    personas: Personas,
) -> None:
    point, rule, _ = focal_point(personas.admin)
    worker = verified_client(personas.case_worker)
    assert worker.get("/alerts/focal-points/").status_code == 403
    assert worker.get(f"/alerts/{rule.uuid}/edit/").status_code == 403
    assert worker.post(f"/alerts/{rule.uuid}/delete/").status_code == 403
    assert worker.post(f"/alerts/focal-points/{point.uuid}/secret/").status_code == 403
    outsider = verified_client(personas.outsider)
    for path in (
        f"/alerts/focal-points/{point.uuid}/",
        f"/alerts/focal-points/{point.uuid}/alerts/new/",
        f"/alerts/{rule.uuid}/edit/",
    ):
        assert outsider.get(path).status_code == 404, path
        assert outsider.post(path, {"name": "pwned", "email": "x@y.example"}).status_code == 404
    assert outsider.post(f"/alerts/focal-points/{point.uuid}/secret/").status_code == 404
    assert outsider.post(f"/alerts/{rule.uuid}/delete/").status_code == 404
    point.refresh_from_db()
    assert point.name == "Asylum unit, Ministry of the Interior"
    assert Subscription.objects.filter(pk=rule.pk).exists()


def test_a_case_worker_adds_a_deadline_by_pasting_the_incident_address(
    personas: Personas,
) -> None:
    saved = incident(personas.case_worker)
    client = verified_client(personas.case_worker)
    form = client.get(f"/deadlines/new/?incident={saved.uuid}")
    assert str(saved.uuid) in _html(form)
    answer = client.post(
        "/deadlines/new/",
        {
            "incident": f"https://tnr.example.org/incidents/{saved.uuid}/",
            "kind": "appeal",
            "due_on": days(-2).isoformat(),
            "assignee": str(personas.case_worker.uuid),
            "note": "Challenge before the CCF",
        },
    )
    assert answer.status_code == 302
    deadline = Deadline.objects.get()
    assert deadline.kind == "appeal" and deadline.note == "Challenge before the CCF"
    page = _html(client.get("/deadlines/"))
    overdue = page.split('id="overdue"')[1].split('id="upcoming"')[0]
    assert "Appeal or challenge deadline" in overdue and "Uyghur poet" in overdue
    viewed = AuditEvent.objects.filter(action="incident.list", actor=personas.case_worker)
    assert viewed.filter(detail__records=[str(saved.uuid)]).exists()  # titles shown: audited
    answer = client.post(
        f"/deadlines/{deadline.uuid}/edit/",
        {"kind": "hearing", "due_on": days(4).isoformat(), "assignee": ""},
    )
    assert answer.status_code == 302
    deadline.refresh_from_db()
    assert deadline.kind == "hearing" and deadline.assignee is None
    everyone = _html(client.get("/deadlines/?who=all"))
    assert "Hearing" in everyone.split('id="upcoming"')[1]
    assert client.post(f"/deadlines/{deadline.uuid}/done/").status_code == 302
    assert "Hearing" not in _html(client.get("/deadlines/?who=all")).split('id="upcoming"')[1]


def test_a_bad_deadline_comes_back_with_errors_and_what_was_typed(personas: Personas) -> None:
    other = incident(personas.outsider)
    client = verified_client(personas.case_worker)
    for pasted, due_on, error in [
        ("no id here", "2025-06-01", "Paste the incident&#x27;s address or ID."),
        (str(uuid.uuid4()), "2025-06-01", "No such incident in your organisation."),
        (str(other.uuid), "2025-06-01", "No such incident in your organisation."),
        (str(other.uuid), "2025-13-01", "Enter a valid date."),
    ]:
        answer = client.post(
            "/deadlines/new/", {"incident": pasted, "kind": "hearing", "due_on": due_on}
        )
        assert answer.status_code == 400
        html = _html(answer)
        assert error in html, pasted
        assert f'value="{pasted}"' in html and f'value="{due_on}"' in html
    assert not Deadline.objects.exists()


def test_deadlines_are_not_for_readers_nor_for_other_organisations(personas: Personas) -> None:
    saved = incident(personas.case_worker)
    from beyondreach.alerts.services import DeadlineData, deadline_create

    deadline = deadline_create(
        actor=personas.case_worker, incident=saved, data=DeadlineData("hearing", days(3))
    )
    analyst = verified_client(personas.analyst)
    assert analyst.get("/deadlines/").status_code == 403
    assert analyst.post(f"/deadlines/{deadline.uuid}/done/").status_code == 403
    outsider = verified_client(personas.outsider)
    assert outsider.get(f"/deadlines/{deadline.uuid}/edit/").status_code == 404
    assert outsider.post(f"/deadlines/{deadline.uuid}/done/").status_code == 404
    assert "Uyghur" not in _html(outsider.get("/deadlines/?who=all"))
    deadline.refresh_from_db()
    assert deadline.done_at is None


def test_the_pages_answer_wrong_methods_and_anonymous_visitors(personas: Personas) -> None:
    client = verified_client(personas.case_worker)
    assert client.get("/alerts/email/").status_code == 405
    assert client.put("/alerts/new/").status_code == 405
    assert Client().get("/alerts/")["Location"].startswith("/login/")


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured.captured_queries)


def test_the_list_pages_take_as_many_queries_for_many_rows_as_for_one(
    personas: Personas,
) -> None:
    from beyondreach.alerts.services import DeadlineData, deadline_create

    def add_rows(n: int) -> None:
        for _ in range(n):
            subscribe(personas.admin, email="ada@ngo.example", tactics=["rendition"])
            focal_point(personas.admin)
            saved = incident(personas.case_worker, due_date=days(2))
            deadline_create(
                actor=personas.case_worker, incident=saved, data=DeadlineData("hearing", days(1))
            )

    client = verified_client(personas.admin)
    paths = ("/alerts/", "/alerts/focal-points/", "/deadlines/?who=all")
    add_rows(1)
    client.get("/alerts/")  # the session's first request does its own bookkeeping
    few = {path: _queries(client, path) for path in paths}
    add_rows(4)
    many = {path: _queries(client, path) for path in paths}
    assert many == few
    assert max(few.values()) <= 16
