from __future__ import annotations

from typing import Any

from beyondreach.cases.services import incident_create, incident_update
from beyondreach.cases.signals import incident_saved

from ..conftest import Personas
from .factories import incident_data


def test_incident_saved_is_sent_after_commit_for_create_and_update(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[dict[str, Any]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        heard.append(kwargs)

    incident_saved.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as pending:
            incident = incident_create(actor=personas.case_worker, data=incident_data())
        assert heard == []  # nothing before the commit
        for callback in pending:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            incident_update(actor=personas.case_worker, incident=incident, data=incident_data())
    finally:
        incident_saved.disconnect(receiver)
    assert [(h["incident_id"], h["created"]) for h in heard] == [
        (incident.pk, True),
        (incident.pk, False),
    ]
    assert heard[0]["actor_id"] == personas.case_worker.pk
