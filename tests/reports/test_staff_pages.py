"""The case worker's side through the pages: set up keys, unlock, triage, reply, make an
incident; and who may do which."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

from beyondreach.cases.models import Incident
from beyondreach.core.models import AuditEvent
from beyondreach.reports.models import KeyGrant, Report, ReportingChannel
from beyondreach.reports.services import report_submit
from beyondreach.reports.vault import COOKIE as VAULT_COOKIE

from ..conftest import Personas, verified_client
from .conftest import CASE_WORKER_PASSPHRASE, OpenChannel

STORY = "My cousin in Tashkent was taken for questioning about my posts."


def _unlocked(oc: OpenChannel) -> Client:
    client = verified_client(oc.personas.case_worker)
    answer = client.post("/reports/unlock/", {"passphrase": CASE_WORKER_PASSPHRASE})
    assert answer.status_code == 302 and answer["Location"] == "/reports/"
    return client


def _report(oc: OpenChannel, **answers: object) -> Report:
    body = {"what_happened": STORY, **answers}
    return report_submit(channel=oc.channel, language="ru", answers=body, attachments=[]).report


def test_an_admin_sets_up_the_channel_and_gives_a_case_worker_access(personas: Personas) -> None:
    admin = verified_client(personas.admin)
    assert admin.get("/reports/").status_code == 302  # nothing set up: to the setup page
    bad = admin.post("/reports/setup/passphrase/", {"passphrase": "short", "again": "short"})
    assert (
        bad.status_code == 302 and "12 characters" in admin.get("/reports/setup/").content.decode()
    )
    phrase = "correct horse battery staple"
    admin.post("/reports/setup/passphrase/", {"passphrase": phrase, "again": phrase})
    opened = admin.post("/reports/setup/open/", {"slug": "safeguard"})
    recovery = re.search(r'<strong id="recovery-key">([^<]+)</strong>', opened.content.decode())
    assert opened.status_code == 200 and recovery
    assert recovery.group(1) not in admin.get("/reports/setup/").content.decode()  # shown once

    worker = verified_client(personas.case_worker)
    worker.post(
        "/reports/setup/passphrase/",
        {"passphrase": CASE_WORKER_PASSPHRASE, "again": CASE_WORKER_PASSPHRASE},
    )
    assert "must now give you access" in worker.get("/reports/setup/").content.decode()
    grant_url = f"/reports/setup/grant/{personas.case_worker.uuid}/"
    admin.post(grant_url)  # still locked: refused
    assert not KeyGrant.objects.filter(member_key__user=personas.case_worker).exists()
    assert admin.post("/reports/unlock/", {"passphrase": phrase}).status_code == 302
    admin.post(grant_url)
    assert KeyGrant.objects.filter(member_key__user=personas.case_worker).exists()
    assert (
        worker.post("/reports/unlock/", {"passphrase": "wrong passphrase here"}).status_code == 400
    )
    assert (
        worker.post("/reports/unlock/", {"passphrase": CASE_WORKER_PASSPHRASE}).status_code == 302
    )
    assert worker.get("/reports/").status_code == 200
    # Recovery key opens it too, for an admin in another session.
    other = verified_client(personas.admin)
    other.post("/reports/setup/recover/", {"recovery_key": recovery.group(1)})
    assert other.get("/reports/").status_code == 200


def test_the_inbox_lists_urgent_reports_first_and_the_key_stays_in_that_browser(
    open_channel: OpenChannel,
) -> None:
    _report(open_channel)
    soon = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    _report(open_channel, what_happened="Extradition hearing next week", deadline_date=soon)
    client = _unlocked(open_channel)
    html = client.get("/reports/").content.decode()
    assert html.index("Extradition hearing") < html.index("My cousin") and "Urgent" in html
    # The same session without the browser's vault cookie opens nothing.
    client.cookies.pop(VAULT_COOKIE)
    assert client.get("/reports/").status_code == 302


def test_a_case_worker_reads_replies_marks_and_turns_a_report_into_an_incident(
    open_channel: OpenChannel,
) -> None:
    report = _report(
        open_channel,
        behind_country="UZ",
        where_country="DE",
        tactics=["family_coercion", "digital_threats"],
    )
    client = _unlocked(open_channel)
    page = client.get(f"/reports/{report.uuid}/").content.decode()
    assert STORY in page
    client.post(f"/reports/{report.uuid}/reply/", {"text": "Which city are you in?"})
    assert "Which city are you in?" in client.get(f"/reports/{report.uuid}/").content.decode()
    assert client.post(f"/reports/{report.uuid}/reply/", {"text": " "}).status_code == 400
    client.post(f"/reports/{report.uuid}/status/", {"status": "genuine"})
    report.refresh_from_db()
    assert report.status == "genuine"

    form = client.get(f"/reports/{report.uuid}/incident/").content.decode()
    assert STORY in form and 'value="UZ" selected' in form
    body = {
        "title": "Cousin questioned in Tashkent",
        "narrative": STORY,
        "start_date": dt.date.today().isoformat(),
        "start_precision": "approximate",
        "origin_states": ["UZ"],
        "host_countries": ["DE"],
        "tactics": ["family_coercion"],
        "tlp": "amber",
        "status": "new",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("targets", "actors", "mechanisms", "responses")},
        **{
            f"{p}-INITIAL_FORMS": "0"
            for p in ("targets", "actors", "mechanisms", "sources", "responses")
        },
        "sources-TOTAL_FORMS": "1",
        "sources-0-reference": f"Report {report.uuid} (reporting channel)",
        "sources-0-kind": "testimony",
        "sources-0-reliability": "unknown",
    }
    saved = client.post(f"/reports/{report.uuid}/incident/", body)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    incident = Incident.objects.get()
    report.refresh_from_db()
    assert report.incident == incident and report.status == "incident"
    assert "reporting channel" in client.get(f"/incidents/{incident.uuid}/").content.decode()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"report.view", "report.reply", "report.mark", "report.to_incident"} <= actions


def test_analysts_and_viewers_cannot_read_reports_and_outsiders_cannot_find_them(
    open_channel: OpenChannel,
) -> None:
    report = _report(open_channel)
    p = open_channel.personas
    for user in (p.analyst, p.viewer):
        assert verified_client(user).get(f"/reports/{report.uuid}/").status_code == 403
        assert verified_client(user).get("/reports/").status_code == 403
    outsider = verified_client(p.outsider)
    assert outsider.get(f"/reports/{report.uuid}/").status_code == 404
    assert ReportingChannel.objects.count() == 1


def _field(form: str, name: str) -> str:
    """The value an input shows, or the selected option of a select."""
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', form)
    if tag:
        value = re.search(r'value="([^"]*)"', tag.group())
        return value.group(1) if value else ""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', form, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group())
    return chosen.group(1) if chosen else ""


def test_turning_a_report_into_an_incident_takes_the_date_the_reporter_wrote(
    open_channel: OpenChannel,
) -> None:
    client = _unlocked(open_channel)
    spring = _report(open_channel, when="весной 2024", behind_country="TJ")
    form = client.get(f"/reports/{spring.uuid}/incident/").content.decode()
    assert _field(form, "start_date") == "2024-03-01"
    assert _field(form, "start_precision") == "season"
    vague = _report(open_channel, when="a few years ago")
    form = client.get(f"/reports/{vague.uuid}/incident/").content.decode()
    assert _field(form, "start_date") == ""  # left for the case worker, not the day it came


def test_turning_a_report_into_an_incident_carries_over_relatives_and_interpol(
    open_channel: OpenChannel,
) -> None:
    report = _report(
        open_channel,
        behind_country="TJ",
        family_targeted="yes",
        tactics=["interpol_abuse", "extradition_request"],
    )
    form = _unlocked(open_channel).get(f"/reports/{report.uuid}/incident/").content.decode()
    assert _field(form, "targets-0-role") == "relative"
    assert _field(form, "targets-0-relation") == "other_family"
    kinds = {_field(form, "mechanisms-0-kind"), _field(form, "mechanisms-1-kind")}
    assert kinds == {"extradition_request", ""}  # Red Notice or Diffusion: the worker says
    assert _field(form, "mechanisms-0-issued_by") == "TJ"
