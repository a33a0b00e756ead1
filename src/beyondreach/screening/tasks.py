"""Screening in the worker that `beyondreach serve` starts (django-tasks-db)."""

from __future__ import annotations

from django_tasks import task


@task()
def screen_organisation(organisation_id: int) -> dict[str, int]:
    """Screen one organisation's persons against the loaded lists; idempotent (a match
    already recorded is neither recorded nor alerted again)."""
    from beyondreach.core.models import Organisation
    from beyondreach.screening.services import screening_run

    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        return {"persons": 0, "new_matches": 0, "alerts": 0}
    run = screening_run(organisation=org)
    return {"persons": run.persons, "new_matches": len(run.new_matches), "alerts": run.alerts}
