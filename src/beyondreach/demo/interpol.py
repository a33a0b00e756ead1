"""The demo's INTERPOL and designation cases, so that the CCF request pack, the deadlines
board's CCF clock and "INTERPOL in numbers" can be tried without recording a case first
(README.md, docs/accountability.md):

- the Red Notice of the Cologne incident: a request for deletion to the CCF, found
  admissible about eight and a half months ago, so that its nine-month clock ends within the
  deadlines board's next 30 days, and the border stop in Germany;
- a diffusion from Tajikistan against the blogger of the Istanbul extradition hearing: an
  access request the CCF answered, and a correction request it decided on Article 3
  (deleted), which the decisions-by-grounds table counts;
- the Bahraini ministry's listing of one of the designated exiles, with an appeal pending.

Every record is fictional and made through the services, as a case worker would."""

from __future__ import annotations

import datetime as dt

from beyondreach.accountability.services import (
    CaseData,
    DesignationData,
    ccf_decision,
    ccf_request_file,
    designation_create,
    designation_step_add,
    interpol_case_create,
    national_step_add,
)
from beyondreach.cases import models as cm
from beyondreach.core.models import User


def _primary(incident: cm.Incident) -> cm.Person:
    target = incident.targets.filter(role="primary", person__isnull=False).order_by("id")[0]
    assert target.person is not None
    return target.person


def demo_interpol(worker: User, incidents: dict[str, cm.Incident], today: dt.date) -> None:
    _red_notice(worker, incidents["red_notice"], today)
    _diffusion(worker, incidents["extradition"], today)
    _designation(worker, incidents["designation"], today)


def _red_notice(worker: User, incident: cm.Incident, today: dt.date) -> None:
    case = interpol_case_create(
        actor=worker,
        person=_primary(incident),
        data=CaseData(
            kind="red_notice",
            issuing_state="TR",
            incident_uuids=[incident.uuid],
            issued_on=incident.start_date - dt.timedelta(days=200) if incident.start_date else None,
            issued_precision="day",
            status="active",
            reference="Demo-RN-2025/77",
            charge="Terrorist propaganda (fictional)",
        ),
    )
    ccf_request_file(
        actor=worker,
        case=case,
        kind="correction_deletion",
        # Admissible about eight and a half months ago: the nine-month clock ends within
        # the deadlines board's next 30 days.
        filed_on=today - dt.timedelta(days=290),
        admissible_on=today - dt.timedelta(days=262),
    )
    national_step_add(
        actor=worker,
        case=case,
        country="DE",
        kind="border_stop",
        on=incident.start_date,
        note="Stopped at the border in Cologne, released the same day.",
    )


def _diffusion(worker: User, incident: cm.Incident, today: dt.date) -> None:
    case = interpol_case_create(
        actor=worker,
        person=_primary(incident),
        data=CaseData(
            kind="diffusion",
            issuing_state="TJ",
            incident_uuids=[incident.uuid],
            issued_on=today - dt.timedelta(days=700),
            issued_precision="month",
            status="deleted",
            reference="Demo-DIF-2024/12",
            charge="Extremism (fictional)",
        ),
    )
    access = ccf_request_file(
        actor=worker,
        case=case,
        kind="access",
        filed_on=today - dt.timedelta(days=600),
        admissible_on=today - dt.timedelta(days=580),
    )
    ccf_decision(
        actor=worker,
        request=access,
        outcome="access_given",
        grounds=[],
        decided_on=today - dt.timedelta(days=470),
    )
    deletion = ccf_request_file(
        actor=worker,
        case=case,
        kind="correction_deletion",
        filed_on=today - dt.timedelta(days=460),
        admissible_on=today - dt.timedelta(days=440),
    )
    ccf_decision(
        actor=worker,
        request=deletion,
        outcome="deleted",
        grounds=["article_3", "refugee_status"],
        decided_on=today - dt.timedelta(days=200),
    )
    national_step_add(
        actor=worker,
        case=case,
        country="TR",
        kind="arrest",
        on=incident.start_date,
        note="Detained on Dushanbe's extradition request, though the diffusion was deleted.",
    )


def _designation(worker: User, incident: cm.Incident, today: dt.date) -> None:
    designation = designation_create(
        actor=worker,
        person=_primary(incident),
        data=DesignationData(
            listing_state="BH",
            incident_uuids=[incident.uuid],
            authority="Ministry of the Interior (fictional)",
            list_name="National terrorist list",
            designated_on=incident.start_date,
            designated_precision="day",
            effects=["asset_freeze", "relatives_prosecuted"],
            grounds="Membership of a terrorist organisation (fictional)",
        ),
    )
    designation_step_add(
        actor=worker,
        designation=designation,
        kind="foreign_refusal",
        country="GB",
        filed_on=today - dt.timedelta(days=30),
    )
