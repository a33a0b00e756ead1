"""Match a saved incident against the organisation's subscriptions, and send digests.

Matching runs in the request that saved the incident, right after its commit: it reads a
handful of rows, then queues outbox rows (urgent) or digest items (the rest) in one
transaction, and returns. Sending is the worker's job (beyondreach.outbox).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from beyondreach.alerts.content import facts_for, facts_text, footer, subject_line
from beyondreach.alerts.models import Deadline, DigestItem, Subscription, UrgentAlert
from beyondreach.alerts.urgency import Urgency, incident_urgency
from beyondreach.cases import models as cm
from beyondreach.core.audit import audit_record
from beyondreach.outbox.channels import Email, Envelope, Webhook
from beyondreach.outbox.services import message_key, outbox_enqueue
from beyondreach.sharing.selectors import incident_readable_by, incident_shared_with

logger = logging.getLogger(__name__)


def on_incident_saved(sender: object, *, incident_id: int, **kwargs: Any) -> None:
    """Receiver of cases.signals.incident_saved. The incident is saved whatever happens
    here, so a failure is logged (row id and error class, nothing else), never raised into
    the request: a case worker told "error" would save the incident twice."""
    try:
        alerts_match(incident_id=incident_id)
    except Exception:
        logger.exception("alerts: matching failed for incident row %s", incident_id)


def incident_for_alerts(incident_id: int) -> cm.Incident | None:
    return (
        cm.Incident.objects.select_related("organisation", "assignee")
        .prefetch_related(
            "origins",
            "hosts",
            "tactics",
            "mechanisms",
            "actors",
            "sources",
            "responses",
            "groups",
            "organisation_targets__target",
            Prefetch(
                "targets",
                cm.IncidentTarget.objects.select_related("person").prefetch_related(
                    "person__names"
                ),
            ),
        )
        .filter(pk=incident_id)
        .first()
    )


def urgency_of(incident: cm.Incident, today: dt.date) -> Urgency:
    open_dates = Deadline.objects.filter(incident=incident, done_at__isnull=True).values_list(
        "kind", "due_on"
    )
    return incident_urgency(incident, today=today, deadlines=list(open_dates))


def rule_matches(subscription: Subscription, incident: cm.Incident) -> bool:
    wanted: list[tuple[list[str], set[str]]] = [
        (subscription.origin_states, {o.country for o in incident.origins.all()}),
        (subscription.host_countries, {h.country for h in incident.hosts.all()}),
        (subscription.tactics, {t.tactic for t in incident.tactics.all()}),
        (subscription.target_groups, {t.target_group for t in incident.targets.all()}),
    ]
    return all(not codes or set(codes) & found for codes, found in wanted)


def may_receive(subscription: Subscription, incident: cm.Incident) -> bool:
    """Whether this subscriber may hear of this incident at all, and can be reached."""
    if not subscription.active:
        return False
    if subscription.organisation_id != incident.organisation_id:
        return _partner_may_receive(subscription, incident)
    if subscription.user is not None:
        user = subscription.user
        return (
            user.is_active and user.organisation_id == incident.organisation_id and bool(user.email)
        )
    point = subscription.focal_point
    assert point is not None
    # TLP:RED is for named recipients only: never outside the organisation.
    return point.active and incident.tlp != cm.Tlp.RED and bool(point.email or point.webhook_url)


def _partner_may_receive(subscription: Subscription, incident: cm.Incident) -> bool:
    """A partner's user hears of a shared incident while they may open it (the share is
    live, names them or their whole organisation, and is not counted only). A partner's
    focal points never do: passing a shared record on to an authority is for its owner."""
    user = subscription.user
    if user is None or not user.is_active or not user.email:
        return False
    return user.organisation_id == subscription.organisation_id and incident_readable_by(
        user, incident
    )


@dataclass
class MatchResult:
    urgency: Urgency = field(default_factory=Urgency)
    urgent: list[Subscription] = field(default_factory=list)
    digest: list[Subscription] = field(default_factory=list)


def alerts_match(
    *, incident_id: int, today: dt.date | None = None, only_organisation: int | None = None
) -> MatchResult:
    """Alert the subscribers whose rules match the incident: urgent ones at once (unless
    they were already alerted for the same reasons), the others in their next digest.

    The owner's rules and those of partners the incident is shared with; `only_organisation`
    limits it to one of them (a partner, when the incident was just shared with it).
    """
    # Nobody with an active rule who may hear of it: the incident is not loaded with all its
    # parts, which was half of an import's time per row (bench/README.md, "Imports"). The
    # organisations with a rule come first, in one small query: where none has one, the
    # owner and partners are not even looked up.
    with_rules = set(
        Subscription.objects.filter(active=True)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    if not with_rules:
        return MatchResult()
    owner = cm.Incident.objects.filter(pk=incident_id).values_list("organisation_id", flat=True)
    organisations = {*owner, *incident_shared_with(incident_id)}
    if only_organisation is not None:
        organisations &= {only_organisation}
    if not organisations & with_rules:
        return MatchResult()
    incident = incident_for_alerts(incident_id)
    if incident is None:
        return MatchResult()
    result = MatchResult(urgency=urgency_of(incident, today or timezone.localdate()))
    subscriptions = [
        s
        for s in Subscription.objects.filter(
            organisation_id__in=organisations, active=True
        ).select_related("user", "focal_point", "organisation")
        if rule_matches(s, incident) and may_receive(s, incident)
    ]
    with transaction.atomic():
        alerted = {
            a.subscription_id: a
            for a in UrgentAlert.objects.filter(incident=incident, subscription__in=subscriptions)
        }
        for subscription in subscriptions:
            _route(subscription, incident, result, alerted.get(subscription.pk))
        # One statement for every digest line, however many rules matched.
        DigestItem.objects.bulk_create(
            [DigestItem(subscription=s, incident=incident) for s in result.digest],
            update_conflicts=True,
            unique_fields=["subscription", "incident"],
            update_fields=["added_at"],
        )
        _audit_match(incident, result)
    return result


def _route(
    subscription: Subscription,
    incident: cm.Incident,
    result: MatchResult,
    earlier: UrgentAlert | None,
) -> None:
    urgency = result.urgency
    new_reasons = set(urgency.reasons) - set(earlier.reasons if earlier else [])
    if urgency.urgent and new_reasons:
        _send_urgent(subscription, incident, urgency)
        UrgentAlert.objects.update_or_create(
            subscription=subscription,
            incident=incident,
            defaults={"reasons": list(urgency.reasons), "at": timezone.now()},
        )
        result.urgent.append(subscription)
    elif not subscription.urgent_only:
        result.digest.append(subscription)


def _send_urgent(subscription: Subscription, incident: cm.Incident, urgency: Urgency) -> None:
    facts = facts_for(subscription, incident, urgency)
    labels = urgency.labels()
    text = "\n\n".join(
        [
            f"An incident matching your alert rule is urgent: {', '.join(labels)}.",
            facts_text(facts, labels),
            footer(subscription, subscription.organisation.name),
        ]
    )
    envelopes = envelopes_for(
        subscription, subject_line(facts, labels), text, "incident.urgent", {"incident": facts}
    )
    for envelope in envelopes:
        outbox_enqueue(
            organisation=subscription.organisation,  # the subscriber's outbox
            key=message_key(
                "urgent", subscription.uuid, incident.uuid, incident.version, envelope.channel
            ),
            kind="alert.urgent",
            envelope=envelope,
        )


def envelopes_for(
    subscription: Subscription, subject: str, text: str, event: str, payload: dict[str, Any]
) -> list[Envelope]:
    """A user gets e-mail; a focal point gets e-mail and a webhook, whichever it has."""
    if subscription.user is not None:
        return [Email(to=(subscription.user.email,), subject=subject, body=text)]
    point = subscription.focal_point
    assert point is not None
    envelopes: list[Envelope] = []
    if point.email:
        envelopes.append(Email(to=(point.email,), subject=subject, body=text))
    if point.webhook_url:
        envelopes.append(
            Webhook(
                url=point.webhook_url,
                secret=point.webhook_secret,
                event=event,
                payload={"event": event, "subscription": str(subscription.uuid), **payload},
            )
        )
    return envelopes


def _audit_match(incident: cm.Incident, result: MatchResult) -> None:
    # Who was told about which incident, and how: an alert is a disclosure.
    if not (result.urgent or result.digest):
        return
    audit_record(
        organisation=incident.organisation,
        actor=None,
        action="alert.match",
        record_type="incident",
        record_id=incident.uuid,
        detail={
            "urgent": [str(s.uuid) for s in result.urgent],
            "digest": [str(s.uuid) for s in result.digest],
            "reasons": list(result.urgency.reasons),
        },
    )
