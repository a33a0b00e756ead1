"""Screening in the worker that `beyondreach serve` starts (django-tasks-db)."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

logger = logging.getLogger(__name__)


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


@task()
def screen_person(person_id: int) -> dict[str, int]:
    """Screen one person just saved; idempotent like the above."""
    from beyondreach.screening.services import screening_person

    run = screening_person(person_id=person_id)
    return {"persons": run.persons, "new_matches": len(run.new_matches), "alerts": run.alerts}


def on_person_saved(sender: object, *, person_id: int, **kwargs: Any) -> None:
    """Receiver of cases.signals.person_saved, once the person's write has committed: the
    screening goes to the worker, so saving a person never waits on the lists. No list
    loaded, no task (an import of thousands of persons then queues nothing)."""
    from beyondreach.screening.services import lists_loaded

    try:
        if lists_loaded():
            screen_person.enqueue(person_id)
    except Exception:
        # The person is saved whatever happens here: a case worker told "error" would
        # record them twice. The next list load screens everyone again.
        logger.exception("screening: could not queue person row %s", person_id)
