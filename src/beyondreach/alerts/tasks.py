"""Daily digests and hourly reminders, run by the worker that `beyondreach serve` starts.

Each job queues its own next run before doing its work, so a worker killed mid-run leaves
the next run queued; `beyondreach serve` queues a first run of each when none is waiting.
Both are idempotent (messages carry keys derived from what they are about), so a run twice
over sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from beyondreach.alerts.digest import digests_send
from beyondreach.alerts.reminders import reminders_send

DIGEST_PATH = "beyondreach.alerts.tasks.send_digests"
REMINDERS_PATH = "beyondreach.alerts.tasks.send_reminders"


def next_digest_time(now: dt.datetime) -> dt.datetime:
    """The next ALERTS_DIGEST_HOUR o'clock (in TIME_ZONE) after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


@task()
def send_digests() -> int:
    send_digests.using(run_after=next_digest_time(timezone.now())).enqueue()
    return digests_send()


@task()
def send_reminders() -> int:
    send_reminders.using(run_after=timezone.now() + dt.timedelta(hours=1)).enqueue()
    return reminders_send()


def schedule_alert_jobs() -> list[str]:
    """Queue the digest (at the next digest hour) and the reminders (now) unless a run of
    each is already waiting; returns the jobs it queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = set(
        DBTaskResult.objects.filter(
            task_path__in=[DIGEST_PATH, REMINDERS_PATH], status="READY"
        ).values_list("task_path", flat=True)
    )
    queued = []
    if DIGEST_PATH not in waiting:
        send_digests.using(run_after=next_digest_time(timezone.now())).enqueue()
        queued.append(DIGEST_PATH)
    if REMINDERS_PATH not in waiting:
        send_reminders.enqueue()
        queued.append(REMINDERS_PATH)
    return queued
