"""What the demo needs, beyond incidents, for every flow in README.md and docs/*.md to be
tried right after `./tnr run`: an agreement with the partner organisation and incidents
shared both ways, a proposal waiting for the partner's admin, protection bodies and
referrals in progress, deadlines counted from today (due within days, one overdue), alert
rules and a focal point, and the reporting channel with reports waiting for triage.

Made once, after the incidents (so also after a bulk load of a million), through the real
services: everything is sealed, audited, matched against the alert rules and queued in the
outbox as in real use. A `demo.flows` audit event records that they were made, so running
the demo again does not repeat them.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from beyondreach.alerts.services import (
    DeadlineData,
    FocalPointData,
    RuleData,
    deadline_create,
    focal_point_create,
    subscription_create,
    user_email_set,
)
from beyondreach.cases import models as cm
from beyondreach.cases.services import incident_create
from beyondreach.core.audit import audit_record
from beyondreach.core.models import AuditEvent, User
from beyondreach.demo.flow_incidents import flow_incidents
from beyondreach.demo.generate import DEMO_PASSWORD, DEMO_USERS
from beyondreach.demo.interpol import demo_interpol
from beyondreach.demo.perpetrators import demo_perpetrators
from beyondreach.demo.reports import demo_reporting_channel
from beyondreach.outbox.channels import Email, envelope_load
from beyondreach.outbox.models import Message
from beyondreach.referrals.models import ProtectionBody, Referral
from beyondreach.referrals.services import (
    BodyData,
    OutcomeData,
    protection_body_create,
    referral_record_outcome,
    referral_send,
)
from beyondreach.reports.keys import new_key_pair
from beyondreach.sharing.services import agreement_accept, agreement_propose, incident_share

MARKER = "demo.flows"
# Fictional addresses of the reserved example.org domain: mail to them goes nowhere real.
MAIL_DOMAIN = "example.org"
Incidents = dict[str, cm.Incident]


@dataclass(frozen=True)
class DemoFlows:
    incidents: int  # incidents made for the flows
    link: str  # the secure link of the referral waiting for the body's acknowledgement


def demo_flows(*, today: dt.date | None = None) -> DemoFlows | None:
    """Make the flows' records once; None if they were made before. Needs demo_orgs()."""
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    main = users["demo_admin"].organisation
    assert main is not None
    if AuditEvent.objects.filter(organisation=main, action=MARKER).exists():
        return None
    with transaction.atomic():
        _alerts(users)  # before the incidents, so that saving them queues alerts
        incidents = _incidents(users, today)
        _sharing(users, incidents)
        link = _referrals(users, incidents, today)
        _deadlines(users, incidents, today)
        demo_perpetrators(users["demo_caseworker"], incidents)
        demo_interpol(users["demo_caseworker"], incidents, today)
        demo_reporting_channel(users["demo_admin"], users["demo_caseworker"], DEMO_PASSWORD)
        audit_record(
            organisation=main,
            actor=None,
            action=MARKER,
            record_type="organisation",
            record_id=main.uuid,
            detail={"incidents": len(incidents)},
        )
    return DemoFlows(incidents=len(incidents), link=link)


def _usernames() -> list[str]:
    return [username for users in DEMO_USERS.values() for username, _role in users]


def _alerts(users: dict[str, User]) -> None:
    """Alert addresses for the people who write, their rules, and a focal point."""
    for username in ("demo_admin", "demo_caseworker", "demo_partner_admin", "demo_partner"):
        user_email_set(actor=users[username], email=f"{username}@{MAIL_DOMAIN}")
    worker = users["demo_caseworker"]
    subscription_create(actor=worker, data=RuleData(urgent_only=True))
    subscription_create(actor=worker, data=RuleData(origin_states=["CN", "TJ"]))
    subscription_create(
        actor=users["demo_partner"], data=RuleData(origin_states=["TJ", "EG", "ER"])
    )
    point, _secret = focal_point_create(
        actor=users["demo_admin"],
        data=FocalPointData(
            name="Demo asylum unit, Ministry of the Interior (fictional)",
            email=f"asylum-unit@{MAIL_DOMAIN}",
        ),
    )
    subscription_create(
        actor=users["demo_admin"],
        focal_point=point,
        data=RuleData(host_countries=["TR", "DE", "NL"], urgent_only=True),
    )


def _incidents(users: dict[str, User], today: dt.date) -> Incidents:
    made = {}
    for flow in flow_incidents(today):
        writer = users["demo_partner" if flow.partner else "demo_caseworker"]
        flow.data.assignee_uuid = writer.uuid
        made[flow.key] = incident_create(actor=writer, data=flow.data)
    return made


def _sharing(users: dict[str, User], incidents: Incidents) -> None:
    """An active agreement with the partner and incidents shared both ways at every level;
    a proposal from the third organisation that the partner's admin can accept."""
    partner = users["demo_partner_admin"].organisation
    assert partner is not None
    agreement = agreement_propose(actor=users["demo_admin"], partner_code=partner.uuid)
    agreement_accept(actor=users["demo_partner_admin"], agreement=agreement)
    agreement_propose(actor=users["demo_legal_admin"], partner_code=partner.uuid)
    main = users["demo_admin"].organisation
    assert main is not None
    ours, theirs = users["demo_caseworker"], users["demo_partner"]
    for key, level in (("extradition", "full"), ("surveillance", "pseudonymised")):
        incident_share(actor=ours, incident=incidents[key], partner_id=partner.uuid, level=level)
    incident_share(
        actor=ours, incident=incidents["phishing"], partner_id=partner.uuid, level="counted"
    )
    # TLP:RED goes to named people only: the partner's case worker sees it, its admin not.
    incident_share(
        actor=ours,
        incident=incidents["rendition"],
        partner_id=partner.uuid,
        level="pseudonymised",
        reader_ids=[theirs.uuid],
    )
    for key, level in (("family", "full"), ("diaspora", "pseudonymised")):
        incident_share(actor=theirs, incident=incidents[key], partner_id=main.uuid, level=level)


def _bodies(admin: User) -> dict[str, ProtectionBody]:
    """Three bodies: one with a public key (sealed packets), two reached by secure link.
    The relocation programme's private key is not kept: it is the body's, not ours."""
    _private, public = new_key_pair()
    specs = {
        "relocation": BodyData(
            kind="relocation",
            name="Demo relocation programme (fictional)",
            email=f"relocation@{MAIL_DOMAIN}",
            public_key=base64.b64encode(public).decode(),
        ),
        "un": BodyData(
            kind="un_procedure",
            name="Demo UN special rapporteur desk (fictional)",
            email=f"urgent-appeals@{MAIL_DOMAIN}",
        ),
        "police": BodyData(
            kind="police",
            name="Demo police focal point, Vilnius (fictional)",
            email=f"tnr-focal-point@{MAIL_DOMAIN}",
        ),
    }
    return {key: protection_body_create(actor=admin, data=data) for key, data in specs.items()}


def _referrals(users: dict[str, User], incidents: Incidents, today: dt.date) -> str:
    """Three referrals at three stages: sealed and sent, by link and waiting for the body,
    by link with an outcome. The Red Notice case is left for the newcomer to refer."""
    bodies = _bodies(users["demo_admin"])
    worker = users["demo_caseworker"]
    day = dt.timedelta(days=1)
    referral_send(
        actor=worker,
        incident=incidents["extradition"],
        body=bodies["relocation"],
        follow_up_on=today + 2 * day,
    )
    waiting = referral_send(
        actor=worker,
        incident=incidents["surveillance"],
        body=bodies["un"],
        follow_up_on=today + 10 * day,
    )
    done = referral_send(actor=worker, incident=incidents["phishing"], body=bodies["police"])
    referral_record_outcome(
        actor=worker,
        referral=done,
        data=OutcomeData(
            outcome="The police opened an investigation into the phishing (fictional).",
            outcome_on=today - 5 * day,
            follow_up_on=today + 20 * day,
        ),
    )
    return _link(waiting)


def _link(referral: Referral) -> str:
    """The secure link, read back from the mail queued for the body: only the mail holds
    it (the database keeps its digest), and the demo prints it so the body's side of a
    referral can be tried."""
    message = Message.objects.get(key=f"referral-{referral.uuid.hex}")
    envelope = envelope_load(message.envelope)
    assert isinstance(envelope, Email)
    found = re.search(r"\S+/referral/[\w-]+/", envelope.body)
    return found.group(0) if found else ""


def _deadlines(users: dict[str, User], incidents: Incidents, today: dt.date) -> None:
    """A hearing in three days, an appeal deadline in twelve, a follow-up two days late."""
    worker = users["demo_caseworker"]
    for key, kind, days, note in (
        ("extradition", "hearing", 3, "Extradition hearing, Istanbul (fictional)"),
        ("red_notice", "appeal", 12, "Request to INTERPOL's CCF to delete the notice"),
        ("surveillance", "follow_up", -2, "Call her back about a safe address"),
    ):
        deadline_create(
            actor=worker,
            incident=incidents[key],
            data=DeadlineData(
                kind=kind,
                due_on=today + dt.timedelta(days=days),
                assignee_uuid=worker.uuid,
                note=note,
            ),
        )
