"""Run in a separate process against a deployment's database (tests/outbox/deployment.py).

seed <receiver url> <count>   an organisation and <count> webhooks; prints their keys
status                        the messages' status counts
alerting <receiver url>       users and a focal point whose webhook wants urgent
                              incidents in TR; prints its webhook secret
incident                      a case worker records an urgent incident in TR
jobs                          the worker's jobs in the queue, any status
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.db import transaction

SECRET = "whsec_crash-test-secret"
PASSWORD = "a long test passphrase 42"


def seed(url: str, count: int) -> list[str]:
    from beyondreach.core.services import organisation_create
    from beyondreach.outbox.channels import Webhook
    from beyondreach.outbox.services import outbox_enqueue

    org = organisation_create(name="Crash Test Network")
    keys = [f"crash-{n:03d}" for n in range(count)]
    with transaction.atomic():  # one commit: one wake-up of the worker, as a digest run does
        for n, key in enumerate(keys):
            outbox_enqueue(
                organisation=org,
                key=key,
                kind="alert.urgent",
                envelope=Webhook(url=url, secret=SECRET, event="incident.urgent", payload={"n": n}),
            )
    return keys


def status() -> dict[str, int]:
    from django.db.models import Count

    from beyondreach.outbox.models import Message

    rows = Message.objects.values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def alerting(url: str) -> dict[str, str]:
    from beyondreach.alerts.services import (
        FocalPointData,
        RuleData,
        focal_point_create,
        subscription_create,
    )
    from beyondreach.core.services import organisation_create, user_create

    org = organisation_create(name="Serve Test Network")
    admin = user_create(organisation=org, username="sam_admin", password=PASSWORD, role="admin")
    user_create(organisation=org, username="cas_worker", password=PASSWORD, role="case_worker")
    point, secret = focal_point_create(
        actor=admin, data=FocalPointData(name="Asylum unit", webhook_url=url)
    )
    rule = RuleData(host_countries=["TR"], urgent_only=True)
    subscription_create(actor=admin, data=rule, focal_point=point)
    return {"secret": secret}


def incident() -> dict[str, str]:
    from beyondreach.cases.inputs import IncidentData
    from beyondreach.cases.services import incident_create
    from beyondreach.core.models import User

    saved = incident_create(
        actor=User.objects.get(username="cas_worker"),
        data=IncidentData(
            title="Extradition hearing in Istanbul",
            start_date=dt.date(2025, 5, 20),
            host_countries=["TR"],
            origin_states=["CN"],
            tactics=["extradition_request"],
        ),
    )
    return {"id": str(saved.uuid)}


def jobs() -> list[str]:
    from django_tasks_db.models import DBTaskResult

    return sorted(set(DBTaskResult.objects.values_list("task_path", flat=True)))


def main() -> None:
    command, args = sys.argv[1], sys.argv[2:]
    answers: dict[str, Any] = {
        "seed": lambda: seed(args[0], int(args[1])),
        "status": status,
        "alerting": lambda: alerting(args[0]),
        "incident": incident,
        "jobs": jobs,
    }
    print(json.dumps(answers[command]()))
