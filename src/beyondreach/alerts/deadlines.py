"""Deadlines from every capability, reminders ahead of them, and the overdue list.

A *deadline source* is a function ``(organisation id, until) -> open deadlines due on or
before `until```. Two are built in: deadlines recorded on incidents (hearings, appeal
deadlines, follow-ups: the `Deadline` model) and the incidents' own due dates. Another app
adds its dates, a referral's follow-up date say, by registering a source in its
``AppConfig.ready()``::

    from beyondreach.alerts.deadlines import Due, register_deadline_source
    register_deadline_source("referrals.follow_up", referral_follow_ups)

and its deadlines then appear in the overdue list and produce reminders like the others,
with nothing copied into the alerts tables (docs/alerts.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse

from beyondreach.alerts.models import Deadline, DeadlineKind
from beyondreach.cases import models as cm


@dataclass(frozen=True)
class Due:
    ref: str  # stable and unique across sources: "deadline:<uuid>", "referral:<uuid>"
    kind: str  # a DeadlineKind value, or the source's own coded kind
    label: str  # what it is, in words, without anything identifying: "Hearing"
    due_on: dt.date
    organisation_id: int
    assignee_id: int | None  # who is reminded; None: nobody can be
    subject_type: str  # "incident", "referral"
    subject_uuid: uuid.UUID
    path: str  # the page that deals with it
    incident_id: int | None = None  # the incident it belongs to, for its title and marking
    deadline_uuid: uuid.UUID | None = None  # set for the Deadline rows (edit, done)


DeadlineSource = Callable[[int, dt.date], Iterable[Due]]
_sources: dict[str, DeadlineSource] = {}


def register_deadline_source(name: str, source: DeadlineSource) -> None:
    """Add (or replace, so a reloaded app does not count twice) a source of deadlines."""
    _sources[name] = source


def deadlines_due(organisation_id: int, until: dt.date) -> list[Due]:
    """Every open deadline of the organisation due on or before `until`, soonest first."""
    found = [due for source in _sources.values() for due in source(organisation_id, until)]
    return sorted(found, key=lambda d: (d.due_on, d.ref))


def _incident_path(incident_uuid: uuid.UUID) -> str:
    return reverse("incident-detail", args=[incident_uuid])


def recorded_deadlines(organisation_id: int, until: dt.date) -> Iterable[Due]:
    rows = (
        Deadline.objects.filter(
            organisation_id=organisation_id, done_at__isnull=True, due_on__lte=until
        )
        .exclude(incident__status=cm.CaseStatus.CLOSED)
        .select_related("incident")
    )
    for d in rows:
        yield Due(
            ref=f"deadline:{d.uuid}",
            kind=d.kind,
            label=d.get_kind_display(),
            due_on=d.due_on,
            organisation_id=organisation_id,
            assignee_id=d.assignee_id or d.incident.assignee_id,
            subject_type="incident",
            subject_uuid=d.incident.uuid,
            path=_incident_path(d.incident.uuid),
            incident_id=d.incident_id,
            deadline_uuid=d.uuid,
        )


def incident_due_dates(organisation_id: int, until: dt.date) -> Iterable[Due]:
    rows = (
        cm.Incident.objects.filter(organisation_id=organisation_id, due_date__lte=until)
        .exclude(status=cm.CaseStatus.CLOSED)
        .values_list("pk", "uuid", "due_date", "assignee_id")
    )
    for pk, incident_uuid, due_date, assignee_id in rows:
        assert due_date is not None  # filtered on it
        yield Due(
            ref=f"incident:{incident_uuid}",
            kind=DeadlineKind.FOLLOW_UP,
            label="Incident due date",
            due_on=due_date,
            organisation_id=organisation_id,
            assignee_id=assignee_id,
            subject_type="incident",
            subject_uuid=incident_uuid,
            path=_incident_path(incident_uuid),
            incident_id=pk,
        )


register_deadline_source("alerts.deadlines", recorded_deadlines)
register_deadline_source("cases.incident_due_date", incident_due_dates)
