"""Writes of INTERPOL cases: each checks the caller's organisation and role and writes its
audit event. A CCF request found admissible puts the CCF's clock on the deadlines board
(alerts.Deadline on the case's first incident), so the existing reminders announce it."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from beyondreach.accountability import models as am
from beyondreach.alerts.services import DeadlineData, deadline_create, deadline_done
from beyondreach.cases import models as cm
from beyondreach.cases.inputs import FieldErrors
from beyondreach.core.access import writer_org
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, NotFoundError
from beyondreach.core.models import Organisation, User

REFERENCE_MAX, CHARGE_MAX, NOTE_MAX, NAME_MAX = 100, 2000, 2000, 200


def _audit(actor: User, action: str, case: am.InterpolCase, **detail: str) -> None:
    audit_record(
        organisation=case.organisation,
        actor=actor,
        action=f"interpol_case.{action}",
        record_type="interpol_case",
        record_id=case.uuid,
        detail=detail or None,
    )


@dataclass
class CaseData:
    kind: str
    issuing_state: str
    incident_uuids: list[uuid.UUID] = field(default_factory=list)
    issued_on: dt.date | None = None
    issued_precision: str = ""
    public: bool = False
    status: str = am.NoticeStatus.ACTIVE
    reference: str = ""
    charge: str = ""


def interpol_case_create(*, actor: User, person: cm.Person, data: CaseData) -> am.InterpolCase:
    """A notice, diffusion or SLTD entry against a person the organisation records, linked to
    the incidents it caused (at least one: the deadlines board hangs on incidents)."""
    org = writer_org(actor)
    if person.organisation_id != org.pk:
        raise NotFoundError("No such person.")
    errors = FieldErrors()
    errors.choice(data.kind, am.NoticeKind, "kind")
    errors.country(data.issuing_state, "issuing_state")
    errors.choice(data.status, am.NoticeStatus, "status")
    errors.choice(data.issued_precision, cm.DatePrecision, "issued_precision", blank=True)
    if len(data.reference) > REFERENCE_MAX:
        errors.add("reference", f"At most {REFERENCE_MAX} characters.")
    if len(data.charge) > CHARGE_MAX:
        errors.add("charge", f"At most {CHARGE_MAX} characters.")
    incidents = _linked_incidents(org, data.incident_uuids, errors)
    errors.raise_found()
    with transaction.atomic():
        case = am.InterpolCase(
            organisation=org,
            person=person,
            kind=data.kind,
            issuing_state=data.issuing_state.upper(),
            issued_on=data.issued_on,
            issued_precision=data.issued_precision if data.issued_on else "",
            public=data.public,
            status=data.status,
            created_by=actor,
        )
        case.reference, case.charge = data.reference.strip(), data.charge.strip()
        case.save()
        case.incidents.set(incidents)
        _audit(actor, "create", case)
    return case


def interpol_case_status(*, actor: User, case: am.InterpolCase, status: str) -> am.InterpolCase:
    if case.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such case.")
    errors = FieldErrors()
    errors.choice(status, am.NoticeStatus, "status")
    errors.raise_found()
    with transaction.atomic():
        case.status = status
        case.save(update_fields=["status"])
        _audit(actor, "status", case, status=status)
    return case


# The dates a case may hold. A CCF clock adds up to nine months to one: year 9999 would
# overflow the calendar. The form and the API refuse the same range with the same words.
FIRST_YEAR, LAST_YEAR = 1900, 2200
DATE_RANGE = f"Give a date between {FIRST_YEAR} and {LAST_YEAR}."


def _check_dates(errors: FieldErrors, **dates: dt.date | None) -> None:
    for name, value in dates.items():
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors.add(name, DATE_RANGE)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 January + 1 = 28/29 February).
    Written here rather than adding python-dateutil for this one sum."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ccf_request_file(
    *,
    actor: User,
    case: am.InterpolCase,
    kind: str,
    filed_on: dt.date,
    admissible_on: dt.date | None = None,
) -> am.CcfRequest:
    """A request to the CCF; with the date it was found admissible, its clock starts."""
    org = writer_org(actor)
    if case.organisation_id != org.pk:
        raise NotFoundError("No such case.")
    errors = FieldErrors()
    errors.choice(kind, am.CcfRequestKind, "kind")
    _check_dates(errors, filed_on=filed_on, admissible_on=admissible_on)
    if admissible_on is not None and admissible_on < filed_on:
        errors.add("admissible_on", "Found admissible before it was filed: check the dates.")
    errors.raise_found()
    with transaction.atomic():
        request = am.CcfRequest.objects.create(
            organisation=org, case=case, kind=kind, filed_on=filed_on
        )
        _audit(actor, "ccf_request", case, request=str(request.uuid), kind=kind)
        if admissible_on is not None:
            _start_clock(actor, request, admissible_on)
    return request


def ccf_request_admissible(
    *, actor: User, request: am.CcfRequest, admissible_on: dt.date
) -> am.CcfRequest:
    if request.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such request.")
    errors = FieldErrors()
    _check_dates(errors, admissible_on=admissible_on)
    errors.raise_found()
    if admissible_on < request.filed_on:
        raise InvalidInputError(
            {"admissible_on": ["Found admissible before it was filed: check the dates."]}
        )
    if request.admissible_on is not None:
        raise InvalidInputError({"admissible_on": ["Its clock runs already."]})
    with transaction.atomic():
        _start_clock(actor, request, admissible_on)
    return request


def _start_clock(actor: User, request: am.CcfRequest, admissible_on: dt.date) -> None:
    months = am.CCF_MONTHS[am.CcfRequestKind(request.kind)]
    incident = request.case.incidents.order_by("id").first()
    assert incident is not None  # a case is made with at least one incident
    label = am.CcfRequestKind(request.kind).label.lower()
    request.admissible_on = admissible_on
    request.deadline = deadline_create(
        actor=actor,
        incident=incident,
        data=DeadlineData(
            kind="appeal",
            due_on=add_months(admissible_on, months),
            # Reminded: who the incident is assigned to, else who follows the request.
            assignee_uuid=(incident.assignee or actor).uuid,
            note=f"The CCF's decision is due: request for {label}, admissible on "
            f"{admissible_on.isoformat()} ({months} months).",
        ),
    )
    request.save(update_fields=["admissible_on", "deadline"])
    _audit(actor, "ccf_admissible", request.case, request=str(request.uuid))


def ccf_decision(
    *,
    actor: User,
    request: am.CcfRequest,
    outcome: str,
    grounds: list[str],
    decided_on: dt.date,
) -> am.CcfRequest:
    """The CCF's answer and its grounds, coded; the clock stops."""
    if request.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such request.")
    errors = FieldErrors()
    errors.choice(outcome, am.CcfOutcome, "outcome")
    if outcome == am.CcfOutcome.PENDING:
        errors.add("outcome", "A decision is not pending.")
    for i, ground in enumerate(grounds):
        errors.choice(ground, am.CcfGround, f"grounds.{i}")
    if decided_on < request.filed_on:
        errors.add("decided_on", "Decided before it was filed: check the dates.")
    errors.raise_found()
    with transaction.atomic():
        request.outcome, request.grounds, request.decided_on = outcome, grounds, decided_on
        request.save(update_fields=["outcome", "grounds", "decided_on"])
        if request.deadline is not None and request.deadline.done_at is None:
            deadline_done(actor=actor, deadline=request.deadline)
        _audit(actor, "ccf_decision", request.case, request=str(request.uuid), outcome=outcome)
    return request


def national_step_add(
    *,
    actor: User,
    case: am.InterpolCase,
    country: str,
    kind: str,
    on: dt.date | None,
    note: str = "",
) -> am.NationalStep:
    """An arrest, an extradition hearing's result, asylum: what a host country did."""
    org = writer_org(actor)
    if case.organisation_id != org.pk:
        raise NotFoundError("No such case.")
    errors = FieldErrors()
    errors.country(country, "country")
    errors.choice(kind, am.StepKind, "kind")
    if len(note) > NOTE_MAX:
        errors.add("note", f"At most {NOTE_MAX} characters.")
    errors.raise_found()
    with transaction.atomic():
        step = am.NationalStep(
            organisation=org, case=case, country=country.upper(), kind=kind, on=on
        )
        step.note = note.strip()
        step.save()
        _audit(actor, "step", case, step=str(step.uuid), kind=kind)
    return step


@dataclass
class DesignationData:
    listing_state: str
    incident_uuids: list[uuid.UUID] = field(default_factory=list)
    authority: str = ""
    list_name: str = ""
    designated_on: dt.date | None = None
    designated_precision: str = ""
    effects: list[str] = field(default_factory=list)
    status: str = am.DesignationStatus.ACTIVE
    grounds: str = ""


def _linked_incidents(org: Organisation, uuids: list[uuid.UUID], errors: FieldErrors) -> list[Any]:
    incidents = list(cm.Incident.objects.filter(organisation=org, uuid__in=uuids))
    if not uuids:
        errors.add("incidents", "Link at least one incident: the detention, the hearing...")
    elif len(incidents) != len(set(uuids)):
        errors.add("incidents", "No such incident in your records.")
    return incidents


def designation_create(*, actor: User, person: cm.Person, data: DesignationData) -> am.Designation:
    """A state's listing of a person the organisation records (its terrorist list, say),
    linked to the incidents it caused or that came with it."""
    org = writer_org(actor)
    if person.organisation_id != org.pk:
        raise NotFoundError("No such person.")
    errors = FieldErrors()
    errors.country(data.listing_state, "listing_state")
    errors.choice(data.status, am.DesignationStatus, "status")
    errors.choice(data.designated_precision, cm.DatePrecision, "designated_precision", blank=True)
    for i, effect in enumerate(data.effects):
        errors.choice(effect, am.DesignationEffect, f"effects.{i}")
    for name in ("authority", "list_name"):
        if len(getattr(data, name)) > NAME_MAX:
            errors.add(name, f"At most {NAME_MAX} characters.")
    if len(data.grounds) > CHARGE_MAX:
        errors.add("grounds", f"At most {CHARGE_MAX} characters.")
    incidents = _linked_incidents(org, data.incident_uuids, errors)
    errors.raise_found()
    with transaction.atomic():
        designation = am.Designation(
            organisation=org,
            person=person,
            listing_state=data.listing_state.upper(),
            authority=data.authority.strip(),
            list_name=data.list_name.strip(),
            designated_on=data.designated_on,
            designated_precision=data.designated_precision if data.designated_on else "",
            effects=sorted(set(data.effects)),
            status=data.status,
            created_by=actor,
        )
        designation.grounds = data.grounds.strip()
        designation.save()
        designation.incidents.set(incidents)
        _audit_designation(actor, "create", designation)
    return designation


def _audit_designation(actor: User, action: str, d: am.Designation, **detail: str) -> None:
    audit_record(
        organisation=d.organisation,
        actor=actor,
        action=f"designation.{action}",
        record_type="designation",
        record_id=d.uuid,
        detail=detail or None,
    )


def designation_step_add(
    *,
    actor: User,
    designation: am.Designation,
    kind: str,
    country: str,
    filed_on: dt.date | None,
) -> am.DesignationStep:
    """An appeal, a request to delist, a foreign authority's refusal to act on the listing."""
    org = writer_org(actor)
    if designation.organisation_id != org.pk:
        raise NotFoundError("No such designation.")
    errors = FieldErrors()
    errors.choice(kind, am.DesignationStepKind, "kind")
    errors.country(country, "country")
    errors.raise_found()
    with transaction.atomic():
        step = am.DesignationStep.objects.create(
            organisation=org,
            designation=designation,
            kind=kind,
            country=country.upper(),
            filed_on=filed_on,
        )
        if kind in (am.DesignationStepKind.APPEAL, am.DesignationStepKind.DELISTING_REQUEST):
            designation.status = am.DesignationStatus.UNDER_APPEAL
            designation.save(update_fields=["status"])
        _audit_designation(actor, "step", designation, step=str(step.uuid), kind=kind)
    return step


def designation_step_decide(
    *, actor: User, step: am.DesignationStep, outcome: str, decided_on: dt.date
) -> am.DesignationStep:
    """A step's outcome; a delisting ends the listing, an upheld one keeps it listed."""
    if step.organisation_id != writer_org(actor).pk:
        raise NotFoundError("No such step.")
    errors = FieldErrors()
    errors.choice(outcome, am.StepOutcome, "outcome")
    if outcome == am.StepOutcome.PENDING:
        errors.add("outcome", "A decision is not pending.")
    if step.filed_on and decided_on < step.filed_on:
        errors.add("decided_on", "Decided before it was filed: check the dates.")
    errors.raise_found()
    designation = step.designation
    with transaction.atomic():
        step.outcome, step.decided_on = outcome, decided_on
        step.save(update_fields=["outcome", "decided_on"])
        if outcome == am.StepOutcome.DELISTED:
            designation.status = am.DesignationStatus.DELISTED
        elif designation.status == am.DesignationStatus.UNDER_APPEAL:
            designation.status = am.DesignationStatus.ACTIVE
        designation.save(update_fields=["status"])
        _audit_designation(actor, "step_decision", designation, outcome=outcome)
    return step
