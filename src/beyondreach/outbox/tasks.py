"""The delivery job, run by the worker that `beyondreach serve` starts (django-tasks-db).

A run first makes sure the next sweep is queued, then sends what is due. Queuing the next
run before doing the work keeps the chain alive through a worker killed mid-run: the queued
sweep is there when a worker starts again. Queuing a message wakes the worker at once
(`schedule_delivery()` on commit); the sweep catches retries and anything left behind.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from beyondreach.outbox.services import next_due_at, outbox_deliver_due, outbox_prune

TASK_PATH = "beyondreach.outbox.tasks.deliver_outbox"
KEEP_FINISHED = dt.timedelta(days=1)


@task()
def deliver_outbox() -> dict[str, int]:
    now = timezone.now()
    schedule_delivery(at=now + dt.timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS))
    run = outbox_deliver_due()
    due = next_due_at()
    if due is not None:
        schedule_delivery(at=max(due, timezone.now()))
    _forget_finished_runs(now)
    outbox_prune(now=now)
    return {"sent": run.sent, "retrying": run.retrying, "failed": run.failed}


def schedule_delivery(at: dt.datetime | None = None) -> bool:
    """Queue a delivery run for `at` (default now) unless one is queued by then already.
    True if it queued one. `beyondreach serve` calls it at start."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    at = at or timezone.now()
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").filter(
        Q(run_after__lte=at) | Q(run_after=get_date_max())
    )
    if waiting.exists():
        return False
    if at <= timezone.now():
        deliver_outbox.enqueue()
    else:
        deliver_outbox.using(run_after=at).enqueue()
    return True


def _forget_finished_runs(now: dt.datetime) -> None:
    # A sweep a minute leaves 1,440 result rows a day; they say nothing worth keeping.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=TASK_PATH, status="SUCCESSFUL", finished_at__lt=now - KEEP_FINISHED
    ).delete()
