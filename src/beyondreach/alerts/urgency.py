"""When an incident is urgent: the one definition alerts use (documented in docs/alerts.md).

An incident that is not closed is urgent when

- one of its tactics can remove the person from safety within days: unlawful deportation,
  an extradition request, rendition, or detention in the host country at the origin
  state's request; or
- a date that can decide the person's fate falls within the next ALERTS_URGENT_DAYS days
  (7 by default), today included: the incident's due date, the status date of one of its
  legal mechanisms (a scheduled decision on an extradition request), or an open hearing or
  appeal deadline recorded for it.

Urgent incidents alert at once; the others wait for the daily digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from beyondreach.cases import models as cm

URGENT_TACTICS = frozenset(
    {"unlawful_deportation", "extradition_request", "rendition", "host_detention"}
)

REASON_LABELS = {
    "tactic:unlawful_deportation": "unlawful deportation",
    "tactic:extradition_request": "extradition request",
    "tactic:rendition": "rendition or abduction",
    "tactic:host_detention": "detention at the origin state's request",
    "date:due": "follow-up date within days",
    "date:mechanism": "decision on a legal mechanism within days",
    "date:hearing": "hearing within days",
    "date:appeal": "appeal deadline within days",
}


@dataclass(frozen=True)
class Urgency:
    reasons: tuple[str, ...] = ()  # codes of REASON_LABELS, sorted
    soonest: dt.date | None = None  # the nearest deciding date, if a date made it urgent

    @property
    def urgent(self) -> bool:
        return bool(self.reasons)

    def labels(self) -> list[str]:
        return [REASON_LABELS.get(r, r) for r in self.reasons]


def incident_urgency(
    incident: cm.Incident,
    *,
    today: dt.date,
    deadlines: Iterable[tuple[str, dt.date]] = (),
) -> Urgency:
    """How urgent `incident` is on `today`. `deadlines` are its open (kind, date) deadlines;
    its tactics and mechanisms are read from the (prefetched) incident."""
    if incident.status == cm.CaseStatus.CLOSED:
        return Urgency()
    reasons = {f"tactic:{t.tactic}" for t in incident.tactics.all() if t.tactic in URGENT_TACTICS}
    dates = [("due", incident.due_date)]
    dates += [("mechanism", m.status_on) for m in incident.mechanisms.all()]
    dates += [(kind, when) for kind, when in deadlines if kind in ("hearing", "appeal")]
    horizon = today + dt.timedelta(days=settings.ALERTS_URGENT_DAYS)
    near = [(kind, when) for kind, when in dates if when is not None and today <= when <= horizon]
    reasons |= {f"date:{kind}" for kind, _ in near}
    soonest = min((when for _, when in near), default=None)
    return Urgency(reasons=tuple(sorted(reasons)), soonest=soonest)
