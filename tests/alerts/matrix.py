"""Records of alerts and the outbox for the access matrix (tests/web/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt

from beyondreach.alerts.services import (
    DeadlineData,
    FocalPointData,
    RuleData,
    deadline_create,
    focal_point_create,
    subscription_create,
)
from beyondreach.cases.models import Incident
from beyondreach.outbox.channels import Email
from beyondreach.outbox.services import outbox_enqueue

from ..conftest import Personas


def alerts_records(personas: Personas, incident: Incident) -> dict[str, str]:
    point, _secret = focal_point_create(
        actor=personas.admin,
        data=FocalPointData(
            name="Matrix focal point",
            email="matrix@authority.example",
            webhook_url="https://alerts.authority.example/tnr",
        ),
    )
    subscription = subscription_create(
        actor=personas.admin, data=RuleData(host_countries=["TR"]), focal_point=point
    )
    deadline = deadline_create(
        actor=personas.case_worker,
        incident=incident,
        data=DeadlineData(kind="hearing", due_on=dt.date.today() + dt.timedelta(days=3)),
    )
    message = outbox_enqueue(
        organisation=personas.org,
        key="matrix-message",
        kind="alert.urgent",
        envelope=Email(to=("matrix@authority.example",), subject="s", body="b"),
    )
    assert message is not None
    return {
        "focal_point_id": str(point.uuid),
        "subscription_id": str(subscription.uuid),
        "deadline_id": str(deadline.uuid),
        "message_id": str(message.uuid),
    }
