"""Entries of the access matrix (tests/web/matrix.py) for INTERPOL cases and designations: every
role reads them (the charge, number and names only for roles that see identities); admins
and case workers write."""

from __future__ import annotations

import datetime as dt

from beyondreach.accountability.services import (
    CaseData,
    DesignationData,
    ccf_request_file,
    designation_create,
    designation_step_add,
    interpol_case_create,
)
from beyondreach.cases.models import Incident

from ..conftest import Personas

Statuses = dict[str, tuple[int, int, int, int]]
# An empty POST is a form with its errors: 400.
WRITE = {"POST": (400, 400, 403, 403)}
PAGES: dict[str, tuple[str, Statuses]] = {
    "interpol/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "interpol/new/<str:person_id>/": ("staff", {"GET": (200, 200, 403, 403), **WRITE}),
    "interpol/<str:case_id>/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "interpol/<str:case_id>/ccf/": ("staff", WRITE),
    "interpol/<str:case_id>/steps/": ("staff", WRITE),
    "interpol/<str:case_id>/status/": ("staff", WRITE),
    "interpol/requests/<str:request_id>/admissible/": ("staff", WRITE),
    "interpol/requests/<str:request_id>/decision/": ("staff", WRITE),
    "designations/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "designations/new/<str:person_id>/": ("staff", {"GET": (200, 200, 403, 403), **WRITE}),
    "designations/<str:designation_id>/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "designations/<str:designation_id>/steps/": ("staff", WRITE),
    "designations/steps/<str:step_id>/decision/": ("staff", WRITE),
}


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    target = incident.targets.first()
    assert target is not None
    case = interpol_case_create(
        actor=personas.case_worker,
        person=target.person,
        data=CaseData(kind="red_notice", issuing_state="CN", incident_uuids=[incident.uuid]),
    )
    request = ccf_request_file(
        actor=personas.case_worker, case=case, kind="access", filed_on=dt.date(2025, 1, 2)
    )
    designation = designation_create(
        actor=personas.case_worker,
        person=target.person,
        data=DesignationData(listing_state="TR", incident_uuids=[incident.uuid]),
    )
    step = designation_step_add(
        actor=personas.case_worker,
        designation=designation,
        kind="appeal",
        country="TR",
        filed_on=None,
    )
    return {
        "case_id": str(case.uuid),
        "request_id": str(request.uuid),
        "designation_id": str(designation.uuid),
        "step_id": str(step.uuid),
    }
