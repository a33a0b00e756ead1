"""A data key rotated by another process is never used stale.

A server or worker that read an organisation's wrapped data key before `beyondreach
rotate-data-key` ran elsewhere still holds the old one. Here that process is this one, with
the old key put back in its cache after the rotation: each request must read the key
afresh, a value must still open, and a write sealed with the old key must be refused
whole (core/sealed.py, core/audit.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.signals import request_started
from django.test import Client

from beyondreach.alerts.models import FocalPoint
from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create
from beyondreach.core import sealed
from beyondreach.core.errors import StaleKeyError
from beyondreach.core.models import AuditEvent, Organisation
from beyondreach.core.rotation import data_key_rotate
from beyondreach.core.services import api_token_create

from ..api.conftest import bearer, incident_body
from ..cases.factories import incident_data
from ..conftest import Personas, verified_client


def _rotate_elsewhere(org: Organisation) -> bytes:
    """Rotate the key, then hold the old one as a process that read it earlier would."""
    sealed.org_keys(org.pk)
    old = bytes(Organisation.objects.get(pk=org.pk).wrapped_data_key)
    data_key_rotate(organisation=org)
    sealed._wrapped_cache[org.pk] = old
    return old


@contextmanager
def _rotated_during_each_request(org: Organisation, old: bytes) -> Iterator[None]:
    """The rotation commits after the request read the key: the old key is put back right
    after the request's own reset (receivers run in the order they were connected)."""

    def hold_old_key(**signal_arguments: object) -> None:
        sealed._wrapped_cache[org.pk] = old

    request_started.connect(hold_old_key, dispatch_uid="test-old-key")
    try:
        yield
    finally:
        request_started.disconnect(dispatch_uid="test-old-key")


def test_a_process_that_held_the_old_key_still_reads_every_value(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    _rotate_elsewhere(personas.org)
    again = m.Incident.objects.get(pk=incident.pk)
    assert again.title == "Red Notice against a Uyghur poet in Istanbul"
    names = m.PersonName.objects.filter(person__targetings__incident=incident)
    assert "Gulnara Tokhtieva" in {n.value for n in names}


def test_a_write_sealed_with_the_old_key_is_refused_and_keeps_nothing(
    personas: Personas,
) -> None:
    _rotate_elsewhere(personas.org)
    events = AuditEvent.objects.count()
    with pytest.raises(StaleKeyError):
        incident_create(actor=personas.case_worker, data=incident_data())
    assert not m.Incident.objects.exists() and not m.PersonName.objects.exists()
    assert AuditEvent.objects.count() == events
    # Sent again, it is sealed with the new key and reads back.
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    assert m.Incident.objects.get(pk=incident.pk).title.startswith("Red Notice")


def test_each_request_reads_the_key_afresh_so_names_are_found(personas: Personas) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    _rotate_elsewhere(personas.org)
    # The name index is keyed by a subkey of the data key: with the old key held, a search
    # would find nothing, and say so without an error.
    found = verified_client(personas.case_worker).post("/incidents/", {"q": "Гульнара"})
    assert "Red Notice against a Uyghur poet" in found.content.decode()


def test_the_api_answers_409_when_the_key_changes_during_a_write(personas: Personas) -> None:
    client = Client(headers=bearer(api_token_create(user=personas.case_worker, label="test")))
    old = _rotate_elsewhere(personas.org)
    with _rotated_during_each_request(personas.org, old):
        answer = client.post("/api/v1/incidents", incident_body(), content_type="application/json")
    assert answer.status_code == 409
    assert "send it again" in answer.json()["detail"]
    assert not m.Incident.objects.exists()
    assert (
        client.post(
            "/api/v1/incidents", incident_body(), content_type="application/json"
        ).status_code
        == 201
    )


def test_a_page_asks_to_send_again_when_the_key_changes_during_a_write(
    personas: Personas,
) -> None:
    admin = verified_client(personas.admin)
    old = _rotate_elsewhere(personas.org)
    point = {"name": "Asylum unit", "email": "unit@interior.example", "active": "on"}
    with _rotated_during_each_request(personas.org, old):
        answer = admin.post("/alerts/focal-points/new/", point)
    assert answer.status_code == 409
    assert "Nothing was saved: please send it again." in answer.content.decode()
    assert not FocalPoint.objects.exists()
    assert admin.post("/alerts/focal-points/new/", point).status_code == 302
    assert FocalPoint.objects.get().email == "unit@interior.example"


def test_a_save_that_reads_first_learns_the_new_key_and_goes_through(
    personas: Personas,
) -> None:
    target = incident_create(actor=personas.case_worker, data=incident_data()).targets.first()
    assert target is not None
    form = {
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-0-value": "Gulnara Tokhtieva",
        "names-0-script": "Latn",
        "sex": "female",
        "residence_status": "refugee",
        "contact": "+90 555 000 0000",
    }
    old = _rotate_elsewhere(personas.org)
    client = verified_client(personas.case_worker)
    with _rotated_during_each_request(personas.org, old):
        answer = client.post(f"/persons/{target.person.uuid}/edit/", form)
    assert answer.status_code == 302
    sealed.forget_wrapped_keys()
    assert m.Person.objects.get(pk=target.person.pk).contact == "+90 555 000 0000"
