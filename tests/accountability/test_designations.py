"""Designations (issue 12, item 2): a state's listing of a defended person, its effects coded
for counts, the grounds sealed, and the appeal that ends it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from beyondreach.accountability import models as am
from beyondreach.accountability.services import (
    DesignationData,
    designation_create,
    designation_step_add,
    designation_step_decide,
)
from beyondreach.cases.services import incident_create
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client

GROUNDS = "Financing of a terrorist organisation through articles CANARY-grounds"


def _designation(personas: Personas, **fields: object) -> am.Designation:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    data = DesignationData(
        listing_state="TR",
        incident_uuids=[incident.uuid],
        authority="Ministry of the Interior",
        list_name="Wanted terrorists list (grey)",
        designated_on=dt.date(2023, 11, 2),
        effects=["asset_freeze", "bounty", "asset_freeze"],
        grounds=GROUNDS,
    )
    for name, value in fields.items():
        setattr(data, name, value)
    person = incident.targets.get(role="primary").person
    return designation_create(actor=personas.case_worker, person=person, data=data)


def test_an_appeal_puts_it_under_appeal_and_a_delisting_ends_it(personas: Personas) -> None:
    designation = _designation(personas)
    assert designation.effects == ["asset_freeze", "bounty"]
    step = designation_step_add(
        actor=personas.case_worker,
        designation=designation,
        kind="appeal",
        country="TR",
        filed_on=dt.date(2024, 1, 5),
    )
    designation.refresh_from_db()
    assert designation.status == "under_appeal"
    designation_step_decide(
        actor=personas.case_worker, step=step, outcome="delisted", decided_on=dt.date(2024, 9, 1)
    )
    designation.refresh_from_db()
    assert designation.status == "delisted"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"designation.create", "designation.step", "designation.step_decision"} <= actions


def test_bad_input_names_each_field_and_only_writers_of_the_organisation_write(
    personas: Personas,
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _designation(personas, listing_state="XX", effects=["exile"], incident_uuids=[])
    assert set(caught.value.errors) == {"listing_state", "effects.0", "incidents"}
    designation = _designation(personas)
    with pytest.raises(PermissionDeniedError):
        designation_step_add(
            actor=personas.analyst,
            designation=designation,
            kind="appeal",
            country="TR",
            filed_on=None,
        )
    with pytest.raises(NotFoundError):
        designation_step_add(
            actor=personas.outsider,
            designation=designation,
            kind="appeal",
            country="TR",
            filed_on=None,
        )


def test_the_grounds_are_sealed_and_shown_only_to_roles_that_see_identities(
    personas: Personas,
) -> None:
    designation = _designation(personas)
    with connection.cursor() as cursor:
        cursor.execute("SELECT grounds_sealed FROM accountability_designation")
        assert b"CANARY" not in bytes(cursor.fetchone()[0])
    url = f"/designations/{designation.uuid}/"
    page = verified_client(personas.case_worker).get(url).content.decode()
    assert "CANARY-grounds" in page and "Assets frozen; Bounty offered" in page
    analyst = verified_client(personas.analyst).get(url).content.decode()
    assert "Assets frozen; Bounty offered" in analyst and "Ministry of the Interior" in analyst
    assert "CANARY" not in analyst
    assert not any(n.value in analyst for n in designation.person.names.all())
    listed = verified_client(personas.viewer).get("/designations/").content.decode()
    assert "Türkiye" in listed and "Listed" in listed
