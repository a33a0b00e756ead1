"""The import run, in the worker that `beyondreach serve` starts (django-tasks-db)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> dict[str, int]:
    from beyondreach.interchange.imports import import_run

    job = import_run(job_id)
    return {"created": job.created, "updated": job.updated, "rejected_rows": job.rejected}
