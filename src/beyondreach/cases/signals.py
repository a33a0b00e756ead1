"""Signals other capabilities listen to, so the cases app need not know them.

`incident_saved` is sent once the transaction that created or changed an incident has
committed (never for a rolled-back write), with `incident_id` (the row id), `created` and
`actor_id`. Receivers (alerts, for one) must be quick or queue their work.

`person_saved` is sent likewise once a person's names, birth date or nationalities were
written (created, edited, merged, a merge undone), with `person_id`; screening listens.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

incident_saved = Signal()
person_saved = Signal()


def send_incident_saved(*, incident_id: int, created: bool, actor_id: int) -> None:
    transaction.on_commit(
        lambda: incident_saved.send(
            sender="cases", incident_id=incident_id, created=created, actor_id=actor_id
        )
    )


def send_person_saved(*, person_id: int) -> None:
    transaction.on_commit(lambda: person_saved.send(sender="cases", person_id=person_id))
