"""JSON API on deadlines: what is overdue and what is due in the next 30 days.

The same board as the deadlines page (alerts.selectors.deadline_board), for admins and case
workers; analysts and viewers get 403, as on the page. Titles are shown and the list is
audited like the page's.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from beyondreach.alerts.selectors import DueRow, deadline_board
from beyondreach.alerts.services import deadline_board_viewed
from beyondreach.core.decorators import api_user

router = Router(tags=["deadlines"])


class DeadlineOut(Schema):
    kind: str  # hearing, appeal, follow_up... or a source's own coded kind
    label: str
    due_on: date
    overdue: bool
    subject_type: str  # "incident", "referral"
    subject_id: UUID
    incident_id: UUID | None
    title: str  # the incident's title, "" when the deadline is not an incident's
    assignee: str  # the username reminded, "" when nobody is


class DeadlineBoardOut(Schema):
    overdue: list[DeadlineOut]
    upcoming: list[DeadlineOut]


class DeadlineFiltersIn(Schema):
    mine: bool = True  # only the caller's own, as the page shows first


@router.get("/deadlines", response=DeadlineBoardOut)
def deadline_list(request: HttpRequest, filters: Query[DeadlineFiltersIn]) -> dict[str, Any]:
    """Overdue deadlines and those of the next 30 days, soonest first: your own, or with
    `mine=false` everyone's in your organisation (admins and case workers)."""
    user = api_user(request)
    today = timezone.localdate()
    board = deadline_board(user, mine=filters.mine, today=today)
    deadline_board_viewed(actor=user, board=board)
    return {
        "overdue": [_row(r, today) for r in board.overdue],
        "upcoming": [_row(r, today) for r in board.upcoming],
    }


def _row(row: DueRow, today: date) -> dict[str, Any]:
    due = row.due
    return {
        "kind": due.kind,
        "label": due.label,
        "due_on": due.due_on,
        "overdue": due.due_on < today,
        "subject_type": due.subject_type,
        "subject_id": due.subject_uuid,
        "incident_id": row.incident_uuid,
        "title": row.title,
        "assignee": row.assignee,
    }
