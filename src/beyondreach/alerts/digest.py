"""The daily digest: one message per subscriber with every matching incident not yet sent.

What each line says is decided when the digest is sent, from the incident as it is then:
an incident marked TLP:RED since it matched is left out for focal points, and one that no
longer matches the rule is left out for everyone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from beyondreach.alerts.content import facts_for, facts_text, footer
from beyondreach.alerts.matching import (
    envelopes_for,
    incident_for_alerts,
    may_receive,
    rule_matches,
    urgency_of,
)
from beyondreach.alerts.models import DigestItem, Subscription
from beyondreach.cases import models as cm
from beyondreach.core.audit import audit_record
from beyondreach.outbox.services import message_key, outbox_enqueue


def digests_send(*, today: dt.date | None = None) -> int:
    """Queue every pending digest; returns how many subscribers got one."""
    today = today or timezone.localdate()
    pending: dict[int, list[DigestItem]] = defaultdict(list)
    for item in DigestItem.objects.order_by("id"):
        pending[item.subscription_id].append(item)
    subscriptions = Subscription.objects.filter(pk__in=pending).select_related(
        "user", "focal_point", "organisation"
    )
    return sum(_digest_one(s, pending[s.pk], today) for s in subscriptions)


def _digest_one(subscription: Subscription, items: list[DigestItem], today: dt.date) -> bool:
    incidents = [incident_for_alerts(item.incident_id) for item in items]
    shown = [
        i
        for i in incidents
        if i is not None and rule_matches(subscription, i) and may_receive(subscription, i)
    ]
    with transaction.atomic():
        DigestItem.objects.filter(pk__in=[item.pk for item in items]).delete()
        if not shown:
            return False
        _queue(subscription, shown, today, key_part=f"{items[0].pk}-{items[-1].pk}")
    return True


def _queue(
    subscription: Subscription, incidents: list[cm.Incident], today: dt.date, key_part: str
) -> None:
    organisation = subscription.organisation
    entries = []
    for incident in incidents:
        urgency = urgency_of(incident, today)
        entries.append((facts_for(subscription, incident, urgency), urgency.labels()))
    count = len(entries)
    subject = f"[Beyond Reach] Daily digest: {count} incident{'s' if count != 1 else ''}"
    text = "\n\n".join(
        [
            f"{count} incident{'s' if count != 1 else ''} matched your alert rule since the "
            "last digest.",
            *(f"{n}.\n{facts_text(facts, labels)}" for n, (facts, labels) in enumerate(entries, 1)),
            footer(subscription, organisation.name),
        ]
    )
    payload = {"date": today.isoformat(), "incidents": [facts for facts, _ in entries]}
    for envelope in envelopes_for(subscription, subject, text, "incidents.digest", payload):
        outbox_enqueue(
            organisation=organisation,
            key=message_key("digest", subscription.uuid, key_part, envelope.channel),
            kind="alert.digest",
            envelope=envelope,
        )
    audit_record(
        organisation=organisation,
        actor=None,
        action="alert.digest",
        record_type="alert_subscription",
        record_id=subscription.uuid,
        detail={"incidents": [str(i.uuid) for i in incidents]},
    )
