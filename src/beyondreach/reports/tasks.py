"""Background jobs of the reporting channel (django-tasks, run by `beyondreach serve`'s worker)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from beyondreach.reports.services import reports_destroy_expired

TASK_PATH = "beyondreach.reports.tasks.destroy_expired_reports"


@task()
def destroy_expired_reports() -> int:
    """Destroy expired reports, then queue the next run for tomorrow: a daily job with no
    scheduler to install. `beyondreach serve` queues the first run if none is waiting."""
    destroyed = reports_destroy_expired()
    destroy_expired_reports.using(run_after=timezone.now() + dt.timedelta(days=1)).enqueue()
    return destroyed


def schedule_retention() -> bool:
    """Queue a run now unless one is already waiting; True if it queued one."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()
    if not waiting:
        destroy_expired_reports.enqueue()
    return not waiting
