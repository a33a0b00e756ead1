"""A legal mechanism's and a response's date are recorded as precisely as they are known."""

from __future__ import annotations

from datetime import date

import pytest

from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.inputs import MechanismData, ResponseData
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import incident_create
from beyondreach.core.errors import InvalidInputError

from ..conftest import Personas, verified_client
from .factories import incident_data


def test_a_red_notice_of_spring_2021_and_an_appeal_of_2022(personas: Personas) -> None:
    incident = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            mechanisms=[
                MechanismData(
                    kind="interpol_red_notice",
                    issued_on=date(2021, 3, 1),
                    issued_precision="season",
                )
            ],
            responses=[
                ResponseData(
                    kind="legal_challenge", started_on=date(2022, 1, 1), started_precision="year"
                )
            ],
        ),
    )
    snapshot = incident_snapshot(access_incident(personas.case_worker, incident.uuid))
    assert snapshot["legal_mechanisms"][0]["issued_precision"] == "season"
    assert snapshot["responses"][0]["started_precision"] == "year"
    page = verified_client(personas.case_worker).get(f"/incidents/{incident.uuid}/")
    text = page.content.decode()
    assert "on 2021-03-01 (season)" in text and "(2022-01-01, year)" in text


def test_an_unknown_precision_is_refused_by_field(personas: Personas) -> None:
    with pytest.raises(InvalidInputError) as refused:
        incident_create(
            actor=personas.case_worker,
            data=incident_data(
                mechanisms=[MechanismData(kind="extradition_request", issued_precision="decade")]
            ),
        )
    assert list(refused.value.errors) == ["mechanisms.0.issued_precision"]
