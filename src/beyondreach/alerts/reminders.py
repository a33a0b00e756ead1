"""Reminders to the assignee ahead of each deadline, and once when it is overdue.

A deadline is reminded at each of ALERTS_REMINDER_DAYS before it (7 and 1 days by default)
and the day after it passes; the job runs hourly, and each reminder's idempotency key (the
deadline, its date, the stage, the assignee) makes it go out once however often it runs.
A deadline first seen late gets only the reminder for its current stage. Moving the date
starts the reminders again; so does a new assignee.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from beyondreach.alerts.content import RED_TITLE
from beyondreach.alerts.deadlines import Due, deadlines_due
from beyondreach.cases import models as cm
from beyondreach.core.audit import audit_record
from beyondreach.core.models import Organisation, User
from beyondreach.outbox.channels import Email
from beyondreach.outbox.services import message_key, outbox_enqueue, site_link


def reminder_stage(due_on: dt.date, today: dt.date) -> str | None:
    """ "overdue", or "<n>d" for the nearest reminder day already reached, or None."""
    left = (due_on - today).days
    if left < 0:
        return "overdue"
    reached = [days for days in settings.ALERTS_REMINDER_DAYS if left <= days]
    return f"{min(reached)}d" if reached else None


def reminders_send(*, today: dt.date | None = None) -> int:
    """Queue the reminders due today for every organisation; returns how many."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(settings.ALERTS_REMINDER_DAYS, default=0))
    return sum(
        _remind_organisation(org, today, horizon) for org in Organisation.objects.order_by("pk")
    )


def _remind_organisation(org: Organisation, today: dt.date, horizon: dt.date) -> int:
    dues = [d for d in deadlines_due(org.pk, horizon) if reminder_stage(d.due_on, today)]
    users = User.objects.filter(
        organisation=org, is_active=True, pk__in={d.assignee_id for d in dues}
    ).exclude(email="")
    assignees = {u.pk: u for u in users}
    incidents = cm.Incident.objects.filter(pk__in={d.incident_id for d in dues}).in_bulk()
    queued = 0
    with transaction.atomic():
        for due in dues:
            user = assignees.get(due.assignee_id or 0)
            if user is not None:
                incident = incidents.get(due.incident_id or 0)
                queued += _remind(org, due, user, incident, today)
    return queued


def _remind(
    org: Organisation, due: Due, user: User, incident: cm.Incident | None, today: dt.date
) -> int:
    stage = reminder_stage(due.due_on, today)
    subject, text = reminder_text(due, user, incident, today)
    queued = outbox_enqueue(
        organisation=org,
        key=message_key("reminder", due.ref, due.due_on, stage, user.pk),
        kind="reminder",
        envelope=Email(to=(user.email,), subject=subject, body=text),
    )
    if queued is None:
        return 0
    audit_record(
        organisation=org,
        actor=None,
        action="reminder.send",
        record_type=due.subject_type,
        record_id=due.subject_uuid,
        detail={"kind": due.kind, "stage": stage, "assignee": str(user.uuid)},
    )
    return 1


def _when(due_on: dt.date, today: dt.date) -> str:
    left = (due_on - today).days
    if left < 0:
        return f"was due {due_on.isoformat()} ({-left} day{'s' if left != -1 else ''} ago)"
    if left == 0:
        return f"is today, {due_on.isoformat()}"
    return f"is on {due_on.isoformat()} (in {left} day{'s' if left != 1 else ''})"


def reminder_text(
    due: Due, user: User, incident: cm.Incident | None, today: dt.date
) -> tuple[str, str]:
    """Subject (coded: what and when) and body; the incident's title only for a role that
    sees it, and never for a TLP:RED incident."""
    overdue = due.due_on < today
    subject = (
        f"[Beyond Reach] Overdue: {due.label}, due {due.due_on.isoformat()}"
        if overdue
        else f"[Beyond Reach] Reminder: {due.label} on {due.due_on.isoformat()}"
    )
    lines = [f"{due.label} {_when(due.due_on, today)}."]
    if incident is not None:
        title = incident.title if user.sees_identities else "[withheld]"
        lines.append(f"Incident: {RED_TITLE if incident.tlp == cm.Tlp.RED else title}")
    lines += [
        f"Open it (login required): {site_link(due.path)}",
        f"All deadlines: {site_link('/deadlines/')}",
        "You receive this because you are assigned to it.",
    ]
    return subject, "\n".join(lines)
