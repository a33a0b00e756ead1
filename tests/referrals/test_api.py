"""An incident's referrals through the JSON API: what the incident page shows of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from beyondreach.core.models import User
from beyondreach.core.services import api_token_create
from beyondreach.referrals.services import OutcomeData, referral_record_outcome, referral_send

from ..api.conftest import bearer
from ..conftest import Personas
from .conftest import Bodies, consenting_incident


def _get(user: User, path: str) -> Any:
    return Client(headers=bearer(api_token_create(user=user))).get(path)


def test_every_role_sees_the_referral_and_only_case_workers_its_outcome(
    personas: Personas, bodies: Bodies
) -> None:
    incident = consenting_incident(personas)
    referral = referral_send(actor=personas.case_worker, incident=incident, body=bodies.link)
    referral_record_outcome(
        actor=personas.case_worker,
        referral=referral,
        data=OutcomeData(outcome="Relocated to Berlin", outcome_on=dt.date(2025, 5, 2)),
    )
    path = f"/api/v1/incidents/{incident.uuid}/referrals"
    (seen,) = _get(personas.case_worker, path).json()
    assert seen["id"] == str(referral.uuid) and seen["body"] == "Shelter City"
    assert seen["status"] == referral.status and seen["delivery"] == "link"
    assert seen["outcome"] == "Relocated to Berlin" and seen["outcome_on"] == "2025-05-02"
    (withheld,) = _get(personas.analyst, path).json()
    assert withheld["outcome"] == "[withheld]" and withheld["body"] == "Shelter City"
    assert _get(personas.outsider, path).status_code == 404


def test_an_incident_never_referred_has_an_empty_list(personas: Personas) -> None:
    incident = consenting_incident(personas)
    path = f"/api/v1/incidents/{incident.uuid}/referrals"
    assert _get(personas.viewer, path).json() == []
