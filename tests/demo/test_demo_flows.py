"""After `beyondreach demo`, every flow of README.md and docs/*.md can be tried: each test logs
in as the README's demo login for the flow and does what a newcomer would."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondreach.alerts.models import Deadline, FocalPoint, Subscription
from beyondreach.cases import models as m
from beyondreach.cli import main
from beyondreach.core.audit import audit_verify
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import User
from beyondreach.demo.flow_incidents import flow_incidents
from beyondreach.demo.flows import demo_flows
from beyondreach.demo.generate import DEMO_PASSWORD, DEMO_USERS, demo_load
from beyondreach.demo.totp import demo_code
from beyondreach.outbox.models import Message
from beyondreach.referrals.models import Referral
from beyondreach.sharing.models import Agreement

from ..conftest import Personas, verified_client

EXTRADITION = "Extradition hearing for a Tajik opposition blogger in Istanbul"
RED_NOTICE = "Red Notice against a Turkish journalist in Cologne"
FAMILY = "Egyptian journalist's brother questioned in Cairo"
RENDITION = "Abduction attempt against an Uzbek imam in Almaty"


@pytest.fixture
def demo_output(
    db: None,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> str:
    """`beyondreach demo` as `./tnr run` starts it; what it printed. Commit callbacks run, as
    they would after its transaction (alert matching)."""
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["demo", "--incidents", "12", "--if-empty"]) == 0
    return capsys.readouterr().out


def user(username: str) -> User:
    return User.objects.get(username=username)


def client(username: str) -> Client:
    return verified_client(user(username))


def incident(title: str) -> m.Incident:
    return next(i for i in m.Incident.objects.all() if i.title == title)


def test_the_demo_prints_every_login_and_the_bodys_secure_link(demo_output: str) -> None:
    for users in DEMO_USERS.values():
        for username, _role in users:
            assert username in demo_output
            assert user(username).check_password(DEMO_PASSWORD)
    assert "Flows to try: 11 more incidents" in demo_output
    link = re.search(r"http://\S+/referral/(\S+)/", demo_output)
    assert link is not None
    page = Client().get(f"/referral/{link.group(1)}/")
    assert page.status_code == 200
    assert b"Acknowledge" in page.content
    assert audit_verify() == []


def test_the_partner_admin_sees_a_proposal_waiting_and_can_accept_it(demo_output: str) -> None:
    admin = client("demo_partner_admin")
    page = admin.get("/sharing/agreements/").content.decode()
    assert "Accept the agreement with Demo Legal Aid Collective" in page
    assert "(by them, waiting for you)" in page
    assert "Demo Exile Support" in page and "Active" in page
    proposal = Agreement.objects.get(status="proposed")
    answer = admin.post("/sharing/agreements/accept/", {"agreement": str(proposal.uuid)})
    assert answer.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "active"


def test_the_list_finds_incidents_with_no_host_and_one_with_three(demo_output: str) -> None:
    worker = client("demo_caseworker")
    none = worker.get("/incidents/", {"host": "none"}).content.decode()
    assert "Passenger plane forced to land to arrest a blogger" in none
    assert "Relatives of an unnamed exile threatened at home" in none
    assert "None: In transit (airspace, at sea, a border)" in none
    for host in ("GB", "CA"):
        page = worker.get("/incidents/", {"host": host}).content.decode()
        assert "Exiled dissidents in three countries designated as terrorists" in page
        assert "CA, GB, TR" in page
        # Eleven people (two of them named) and three companies: fourteen targets.
        assert re.search(r'data-label="Targets" class="number">14<', page)


def test_incidents_are_shared_both_ways_at_every_level(demo_output: str) -> None:
    partner = client("demo_partner")
    listed = partner.get("/shared/").content.decode()
    assert "Demo Exile Support" in listed
    shared = partner.get(f"/shared/{incident(EXTRADITION).uuid}/").content.decode()
    assert EXTRADITION in shared and "Farrukh Nazarov" in shared  # full, with consent
    # The TLP:RED incident names the partner's case worker only.
    red = incident(RENDITION).uuid
    assert partner.get(f"/shared/{red}/").status_code == 200
    assert client("demo_partner_admin").get(f"/shared/{red}/").status_code == 404
    ours = client("demo_caseworker").get(f"/shared/{incident(FAMILY).uuid}/").content.decode()
    assert "Shared by <strong>Demo Partner Network</strong>" in ours and "Nour Fathy" in ours


def test_a_case_worker_can_refer_to_a_protection_body(demo_output: str) -> None:
    assert Referral.objects.count() == 3
    assert {r.status for r in Referral.objects.all()} == {"sent", "outcome"}
    assert {r.delivery for r in Referral.objects.all()} == {"sealed", "link"}
    worker = client("demo_caseworker")
    target = incident(RED_NOTICE)
    form = worker.get(f"/incidents/{target.uuid}/referrals/new/").content.decode()
    body = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>Demo relocation programme', form)
    assert body is not None
    sent = worker.post(f"/incidents/{target.uuid}/referrals/new/", {"body": body.group(1)})
    assert sent.status_code == 302
    referral = Referral.objects.get(incident=target)
    assert (referral.level, referral.delivery) == ("identities", "sealed")


def test_deadlines_are_counted_from_today_some_due_soon_one_overdue(demo_output: str) -> None:
    today = timezone.localdate()
    due = sorted((d.due_on - today).days for d in Deadline.objects.all())
    assert due[0] < 0 and any(0 <= days <= 7 for days in due)
    due_dates = [i.due_date for i in m.Incident.objects.all() if i.due_date]
    assert due_dates and min(due_dates) > today  # the generated incidents' too
    page = client("demo_caseworker").get("/deadlines/").content.decode()
    overdue, upcoming = page.split('id="upcoming"')
    assert "Follow-up" in overdue and "Nothing is overdue." not in overdue
    assert "Hearing" in upcoming and (today + timedelta(days=3)).isoformat() in upcoming


def test_alert_rules_and_a_focal_point_are_set_and_alerts_queued(demo_output: str) -> None:
    assert Subscription.objects.filter(user=user("demo_caseworker")).count() == 2
    assert Subscription.objects.filter(focal_point__isnull=False).exists()
    assert "Demo asylum unit" in client("demo_admin").get("/alerts/focal-points/").content.decode()
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert {"alert.urgent", "share", "referral.send"} <= kinds
    assert FocalPoint.objects.get().email.endswith("@example.org")


def test_reports_wait_for_triage_behind_the_demo_passphrase(demo_output: str) -> None:
    worker = client("demo_caseworker")
    unlocked = worker.post("/reports/unlock/", {"passphrase": DEMO_PASSWORD}, follow=True)
    inbox = unlocked.content.decode()
    assert "Two men who said they were from the embassy" in inbox
    assert inbox.count("<td>New</td>") == 5


def test_the_flows_are_made_once_and_also_after_a_bulk_load(db: None) -> None:
    demo_load(incidents=30, if_empty=False, seed=3, mode="bulk", batch_size=8)
    assert demo_flows() is not None
    assert demo_flows() is None
    assert Referral.objects.count() == 3 and Agreement.objects.count() == 2
    assert m.Incident.objects.count() == 30 + len(flow_incidents(date.today()))
    assert audit_verify() == []


def test_the_demo_code_is_the_one_the_two_factor_page_accepts(db: None) -> None:
    demo_load(incidents=0, if_empty=False, seed=1)
    admin = user("demo_admin")
    with pytest.raises(ApplicationError, match="log in with the password first"):
        demo_code("demo_admin")
    device = TOTPDevice.objects.create(user=admin, confirmed=False, name="authenticator")
    assert device.verify_token(demo_code("demo_admin"))


def test_the_demo_code_refuses_anyone_but_a_demo_user(personas: Personas) -> None:
    TOTPDevice.objects.create(user=personas.admin, confirmed=True, name="phone")
    with pytest.raises(ApplicationError, match="not a demo user"):
        demo_code(personas.admin.username)
