"""Alert rules, focal points and incidents made through the real services."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from beyondreach.alerts.models import FocalPoint, Subscription
from beyondreach.alerts.services import (
    FocalPointData,
    RuleData,
    focal_point_create,
    subscription_create,
    user_email_set,
)
from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_create
from beyondreach.core.models import User
from beyondreach.outbox.channels import Email, Webhook, envelope_load
from beyondreach.outbox.models import Message

from ..cases.factories import incident_data

# What must never reach a focal point: every identifying value the factory incident holds.
IDENTIFYING = [
    "Uyghur poet",  # title
    "Detained at the airport",  # narrative
    "Gulnara",
    "Гульнара",
    "Tokhti",
    "A-1234/5-2023",  # notice reference
    "news.example.org",
    "Example News",
    "Kadikoy-canary",  # place
    "41.0,29.0",  # coordinates
]
NOT_URGENT = ["interpol_abuse", "family_coercion"]


def incident(actor: User, **overrides: Any) -> Incident:
    overrides.setdefault("place", "Kadikoy-canary")
    overrides.setdefault("coordinates", "41.0,29.0")
    return incident_create(actor=actor, data=incident_data(**overrides))


def focal_point(admin: User, **rule: Any) -> tuple[FocalPoint, Subscription, str]:
    point, secret = focal_point_create(
        actor=admin,
        data=FocalPointData(
            name="Asylum unit, Ministry of the Interior",
            email="asylum.unit@interior.example",
            webhook_url="https://alerts.interior.example/tnr",
        ),
    )
    subscription = subscription_create(actor=admin, data=RuleData(**rule), focal_point=point)
    return point, subscription, secret


def subscribe(user: User, email: str | None = None, **rule: Any) -> Subscription:
    user_email_set(actor=user, email=email or f"{user.username}@ngo.example")
    return subscription_create(actor=user, data=RuleData(**rule))


def envelopes(**filters: Any) -> list[Email | Webhook]:
    return [envelope_load(m.envelope) for m in Message.objects.filter(**filters).order_by("id")]


def everything_sent(**filters: Any) -> str:
    """Every byte of every queued message, as the receivers would get it."""
    parts = []
    for envelope in envelopes(**filters):
        if isinstance(envelope, Email):
            parts += [envelope.subject, envelope.body, *envelope.to]
        else:
            parts.append(json.dumps(envelope.payload, ensure_ascii=False))
    return "\n".join(parts)


def days(n: int) -> date:
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=n)
