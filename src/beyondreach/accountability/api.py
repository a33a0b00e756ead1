"""JSON API on INTERPOL cases, designations and perpetrators (issue 12), mounted by
beyondreach/api.py under /api/v1/.

Handlers only parse, call one `access_*` selector or service, and render, as cases/api.py:
every record named in a URL or a body comes through an `access_*` selector (404 outside the
caller's organisation), every write through accountability.services / perpetrators (403 for
read-only roles, 422 naming the fields), and every record goes out through an explicit output
schema. Sealed parts (a notice's number, the charge, notes, grounds as stated, names,
evidence) go out only to roles that see identities, as "[withheld]" (a list: empty) to
others; a read with identities is audited as the pages audit it (`*.view`, `*.list`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from uuid import UUID

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from beyondreach.accountability import models as am
from beyondreach.accountability import perpetrator_models as pm
from beyondreach.accountability.perpetrators import (
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
    access_perpetrator,
    perpetrator_create,
    perpetrator_ids_matching,
    perpetrator_link,
    perpetrator_links,
    perpetrators_of,
)
from beyondreach.accountability.selectors import (
    access_ccf_request,
    access_designation,
    access_designation_step,
    access_interpol_case,
    designations_of,
    interpol_cases_of,
)
from beyondreach.accountability.services import (
    DATE_RANGE,
    FIRST_YEAR,
    LAST_YEAR,
    CaseData,
    DesignationData,
    ccf_decision,
    ccf_request_admissible,
    ccf_request_file,
    designation_create,
    designation_step_add,
    designation_step_decide,
    interpol_case_create,
    interpol_case_status,
    national_step_add,
)
from beyondreach.cases.api import (
    NOT_BLANK,
    Code,
    Country,
    In,
    IsoDate,
    Line,
    Long,
    NoNul,
    OptionalCountry,
    PageIn,
    Text,
    page_of,
)
from beyondreach.cases.export import WITHHELD, pseudonym
from beyondreach.cases.models import ActorRole
from beyondreach.cases.selectors import access_incident, access_person
from beyondreach.cases.services import record_viewed, records_listed
from beyondreach.core.decorators import api_user
from beyondreach.core.models import User

router = Router(tags=["accountability"])


def _plausible(value: dt.date) -> dt.date:
    # Refused here too, so that one 422 names every bad field with the others.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError("date_range", DATE_RANGE)
    return value


Day = Annotated[IsoDate, AfterValidator(_plausible)]


def _sealed(value: str, viewer: User) -> str:
    return value if viewer.sees_identities else WITHHELD


# --- INTERPOL cases --------------------------------------------------------------------------


class InterpolCaseIn(In):
    person: UUID = Field(description="The person the notice targets (recorded by you).")
    incidents: list[UUID] = Field(
        max_length=50,
        description="The incidents it caused (at least one): a detention, a hearing.",
        json_schema_extra={"minItems": 1},
    )
    kind: am.NoticeKind
    issuing_state: Country
    issued_on: Day | None = None
    issued_precision: Code = Field("", description="day, month, season, year, approximate.")
    public: bool = Field(False, description="Public on INTERPOL's website.")
    status: am.NoticeStatus = am.NoticeStatus.ACTIVE
    reference: Annotated[str, StringConstraints(max_length=100), NoNul] = Field(
        "", description="The notice's number (sealed)."
    )
    charge: Text = Field("", description="The charge as the issuing state states it (sealed).")


class InterpolFiltersIn(Schema):
    kind: am.NoticeKind | None = None
    issuing_state: Country | None = None
    status: am.NoticeStatus | None = None


class CcfRequestIn(In):
    kind: am.CcfRequestKind
    filed_on: Day
    admissible_on: Day | None = Field(
        None, description="The day the CCF found it admissible: its clock starts."
    )


class AdmissibleIn(In):
    admissible_on: Day


class CcfDecisionIn(In):
    outcome: am.CcfOutcome = Field(description="Not `pending`.")
    grounds: list[am.CcfGround] = Field(default_factory=list, max_length=10)
    decided_on: Day


class NationalStepIn(In):
    country: Country
    kind: am.StepKind
    on: Day | None = None
    note: Text = Field("", description="Sealed.")


class StatusIn(In):
    status: am.NoticeStatus


class CcfRequestOut(Schema):
    id: UUID
    kind: str
    filed_on: dt.date
    admissible_on: dt.date | None
    clock_months: int = Field(description="The CCF's time to decide from admissibility.")
    due_on: dt.date | None = Field(description="The CCF's decision is due (from admissibility).")
    clock_running: bool
    outcome: str
    grounds: list[str]
    decided_on: dt.date | None


class NationalStepOut(Schema):
    id: UUID
    country: str
    kind: str
    on: dt.date | None
    note: str


class InterpolCaseSummaryOut(Schema):
    id: UUID
    person: UUID
    pseudonym: str
    kind: str
    issuing_state: str
    issued_on: dt.date | None
    issued_precision: str
    public: bool
    status: str
    ccf_requests: int
    created_at: dt.datetime


class InterpolCaseOut(Schema):
    id: UUID
    person: UUID
    pseudonym: str
    incidents: list[UUID]
    kind: str
    issuing_state: str
    issued_on: dt.date | None
    issued_precision: str
    public: bool
    status: str
    reference: str = Field(description="The notice's number; `[withheld]` without identities.")
    charge: str = Field(description="`[withheld]` without identities.")
    ccf_requests: list[CcfRequestOut]
    national_steps: list[NationalStepOut]
    created_at: dt.datetime


class InterpolCasePageOut(Schema):
    items: list[InterpolCaseSummaryOut]
    page: int
    page_size: int
    has_next: bool


def _ccf_out(request: am.CcfRequest) -> dict[str, Any]:
    deadline = request.deadline
    return {
        "id": request.uuid,
        "kind": request.kind,
        "filed_on": request.filed_on,
        "admissible_on": request.admissible_on,
        "clock_months": am.CCF_MONTHS.get(am.CcfRequestKind(request.kind), 0)
        if request.kind in am.CcfRequestKind.values
        else 0,
        "due_on": deadline.due_on if deadline else None,
        "clock_running": deadline is not None and deadline.done_at is None,
        "outcome": request.outcome,
        "grounds": list(request.grounds),
        "decided_on": request.decided_on,
    }


def _step_out(step: am.NationalStep, viewer: User) -> dict[str, Any]:
    return {
        "id": step.uuid,
        "country": step.country,
        "kind": step.kind,
        "on": step.on,
        "note": _sealed(step.note, viewer),
    }


def _case_out(case: am.InterpolCase, viewer: User) -> dict[str, Any]:
    requests = case.ccf_requests.select_related("deadline").order_by("filed_on", "id")
    return {
        "id": case.uuid,
        "person": case.person.uuid,
        "pseudonym": pseudonym(case.person),
        "incidents": list(case.incidents.order_by("id").values_list("uuid", flat=True)),
        "kind": case.kind,
        "issuing_state": case.issuing_state,
        "issued_on": case.issued_on,
        "issued_precision": case.issued_precision,
        "public": case.public,
        "status": case.status,
        "reference": _sealed(case.reference, viewer),
        "charge": _sealed(case.charge, viewer),
        "ccf_requests": [_ccf_out(r) for r in requests],
        "national_steps": [_step_out(s, viewer) for s in case.steps.order_by("on", "id")],
        "created_at": case.created_at,
    }


def _case_row(case: am.InterpolCase) -> dict[str, Any]:
    return {
        "id": case.uuid,
        "person": case.person.uuid,
        "pseudonym": pseudonym(case.person),
        "kind": case.kind,
        "issuing_state": case.issuing_state,
        "issued_on": case.issued_on,
        "issued_precision": case.issued_precision,
        "public": case.public,
        "status": case.status,
        "ccf_requests": len(case.ccf_requests.all()),  # prefetched by interpol_cases_of
        "created_at": case.created_at,
    }


def _only(qs: QuerySet[Any], **chosen: Any) -> QuerySet[Any]:
    return qs.filter(**{k: v for k, v in chosen.items() if v is not None})


@router.get("/interpol-cases", response=InterpolCasePageOut)
def interpol_case_list(
    request: HttpRequest, filters: Query[InterpolFiltersIn], paging: Query[PageIn]
) -> dict[str, Any]:
    """The organisation's INTERPOL cases, newest first: coded parts and the person's
    pseudonym only (so not audited)."""
    user = api_user(request)
    qs = _only(interpol_cases_of(user), **filters.model_dump())
    return page_of(qs, paging, lambda rows: [_case_row(c) for c in rows])


@router.post("/interpol-cases", response={201: InterpolCaseOut})
def interpol_case_post(request: HttpRequest, payload: InterpolCaseIn) -> Status[dict[str, Any]]:
    """Record a notice, diffusion or SLTD entry against a person (admins, case workers)."""
    user = api_user(request)
    person = access_person(user, payload.person)
    case = interpol_case_create(
        actor=user,
        person=person,
        data=CaseData(
            kind=str(payload.kind),
            issuing_state=payload.issuing_state,
            incident_uuids=payload.incidents,
            issued_on=payload.issued_on,
            issued_precision=payload.issued_precision,
            public=payload.public,
            status=str(payload.status),
            reference=payload.reference,
            charge=payload.charge,
        ),
    )
    return Status(201, _case_out(access_interpol_case(user, case.uuid), user))


@router.get("/interpol-cases/{case_id}", response=InterpolCaseOut)
def interpol_case_detail(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    """A case with its CCF requests (clocks, outcomes, grounds) and national steps; audited
    (`interpol_case.view`) for roles that see identities."""
    user = api_user(request)
    case = access_interpol_case(user, case_id)
    record_viewed(actor=user, record_type="interpol_case", record=case)
    return _case_out(case, user)


@router.post("/interpol-cases/{case_id}/status", response=InterpolCaseOut)
def interpol_case_status_post(
    request: HttpRequest, case_id: UUID, payload: StatusIn
) -> dict[str, Any]:
    """The notice's status now (deleted, blocked...)."""
    user = api_user(request)
    case = access_interpol_case(user, case_id)
    interpol_case_status(actor=user, case=case, status=str(payload.status))
    return _case_out(access_interpol_case(user, case_id), user)


@router.post("/interpol-cases/{case_id}/ccf-requests", response={201: CcfRequestOut})
def ccf_request_post(
    request: HttpRequest, case_id: UUID, payload: CcfRequestIn
) -> Status[dict[str, Any]]:
    """A request to the CCF; with `admissible_on`, its clock goes on the deadlines board."""
    user = api_user(request)
    case = access_interpol_case(user, case_id)
    made = ccf_request_file(
        actor=user,
        case=case,
        kind=str(payload.kind),
        filed_on=payload.filed_on,
        admissible_on=payload.admissible_on,
    )
    return Status(201, _ccf_out(access_ccf_request(user, made.uuid)))


@router.post("/ccf-requests/{request_id}/admissible", response=CcfRequestOut)
def ccf_request_admissible_post(
    request: HttpRequest, request_id: UUID, payload: AdmissibleIn
) -> dict[str, Any]:
    """The CCF found the request admissible: its clock starts (once)."""
    user = api_user(request)
    found = access_ccf_request(user, request_id)
    ccf_request_admissible(actor=user, request=found, admissible_on=payload.admissible_on)
    return _ccf_out(access_ccf_request(user, request_id))


@router.post("/ccf-requests/{request_id}/decision", response=CcfRequestOut)
def ccf_decision_post(
    request: HttpRequest, request_id: UUID, payload: CcfDecisionIn
) -> dict[str, Any]:
    """The CCF's decision and its grounds; the clock stops."""
    user = api_user(request)
    found = access_ccf_request(user, request_id)
    ccf_decision(
        actor=user,
        request=found,
        outcome=str(payload.outcome),
        grounds=[str(g) for g in payload.grounds],
        decided_on=payload.decided_on,
    )
    return _ccf_out(access_ccf_request(user, request_id))


@router.post("/interpol-cases/{case_id}/national-steps", response={201: NationalStepOut})
def national_step_post(
    request: HttpRequest, case_id: UUID, payload: NationalStepIn
) -> Status[dict[str, Any]]:
    """What a host country did: an arrest, an extradition's result, asylum."""
    user = api_user(request)
    case = access_interpol_case(user, case_id)
    step = national_step_add(
        actor=user,
        case=case,
        country=payload.country,
        kind=str(payload.kind),
        on=payload.on,
        note=payload.note,
    )
    return Status(201, _step_out(step, user))


# --- Designations ----------------------------------------------------------------------------


class DesignationIn(In):
    person: UUID = Field(description="The person listed (recorded by you).")
    incidents: list[UUID] = Field(max_length=50, json_schema_extra={"minItems": 1})
    listing_state: Country
    authority: Annotated[str, StringConstraints(max_length=200), NoNul] = ""
    list_name: Annotated[str, StringConstraints(max_length=200), NoNul] = ""
    designated_on: Day | None = None
    designated_precision: Code = ""
    effects: list[am.DesignationEffect] = Field(default_factory=list, max_length=10)
    status: am.DesignationStatus = am.DesignationStatus.ACTIVE
    grounds: Text = Field("", description="The grounds as stated (sealed).")


class DesignationFiltersIn(Schema):
    listing_state: Country | None = None
    status: am.DesignationStatus | None = None


class DesignationStepIn(In):
    kind: am.DesignationStepKind
    country: Country
    filed_on: Day | None = None


class StepDecisionIn(In):
    outcome: am.StepOutcome = Field(description="Not `pending`.")
    decided_on: Day


class DesignationStepOut(Schema):
    id: UUID
    kind: str
    country: str
    filed_on: dt.date | None
    outcome: str
    decided_on: dt.date | None


class DesignationSummaryOut(Schema):
    id: UUID
    person: UUID
    pseudonym: str
    listing_state: str
    authority: str
    list_name: str
    designated_on: dt.date | None
    designated_precision: str
    effects: list[str]
    status: str
    created_at: dt.datetime


class DesignationOut(DesignationSummaryOut):
    incidents: list[UUID]
    grounds: str = Field(description="`[withheld]` without identities.")
    steps: list[DesignationStepOut]


class DesignationPageOut(Schema):
    items: list[DesignationSummaryOut]
    page: int
    page_size: int
    has_next: bool


def _designation_row(d: am.Designation) -> dict[str, Any]:
    return {
        "id": d.uuid,
        "person": d.person.uuid,
        "pseudonym": pseudonym(d.person),
        "listing_state": d.listing_state,
        "authority": d.authority,
        "list_name": d.list_name,
        "designated_on": d.designated_on,
        "designated_precision": d.designated_precision,
        "effects": list(d.effects),
        "status": d.status,
        "created_at": d.created_at,
    }


def _designation_step_out(step: am.DesignationStep) -> dict[str, Any]:
    return {
        "id": step.uuid,
        "kind": step.kind,
        "country": step.country,
        "filed_on": step.filed_on,
        "outcome": step.outcome,
        "decided_on": step.decided_on,
    }


def _designation_out(d: am.Designation, viewer: User) -> dict[str, Any]:
    return {
        **_designation_row(d),
        "incidents": list(d.incidents.order_by("id").values_list("uuid", flat=True)),
        "grounds": _sealed(d.grounds, viewer),
        "steps": [_designation_step_out(s) for s in d.steps.order_by("filed_on", "id")],
    }


@router.get("/designations", response=DesignationPageOut)
def designation_list(
    request: HttpRequest, filters: Query[DesignationFiltersIn], paging: Query[PageIn]
) -> dict[str, Any]:
    """The organisation's designations, newest first: coded parts and pseudonyms only."""
    user = api_user(request)
    qs = _only(designations_of(user), **filters.model_dump())
    return page_of(qs, paging, lambda rows: [_designation_row(d) for d in rows])


@router.post("/designations", response={201: DesignationOut})
def designation_post(request: HttpRequest, payload: DesignationIn) -> Status[dict[str, Any]]:
    """Record a state's listing of a person (admins, case workers)."""
    user = api_user(request)
    person = access_person(user, payload.person)
    made = designation_create(
        actor=user,
        person=person,
        data=DesignationData(
            listing_state=payload.listing_state,
            incident_uuids=payload.incidents,
            authority=payload.authority,
            list_name=payload.list_name,
            designated_on=payload.designated_on,
            designated_precision=payload.designated_precision,
            effects=[str(e) for e in payload.effects],
            status=str(payload.status),
            grounds=payload.grounds,
        ),
    )
    return Status(201, _designation_out(access_designation(user, made.uuid), user))


@router.get("/designations/{designation_id}", response=DesignationOut)
def designation_detail(request: HttpRequest, designation_id: UUID) -> dict[str, Any]:
    """A designation with its appeal and delisting steps; audited (`designation.view`)."""
    user = api_user(request)
    found = access_designation(user, designation_id)
    record_viewed(actor=user, record_type="designation", record=found)
    return _designation_out(found, user)


@router.post("/designations/{designation_id}/steps", response={201: DesignationStepOut})
def designation_step_post(
    request: HttpRequest, designation_id: UUID, payload: DesignationStepIn
) -> Status[dict[str, Any]]:
    """An appeal, a request to delist, a foreign authority's refusal to act on the listing."""
    user = api_user(request)
    found = access_designation(user, designation_id)
    step = designation_step_add(
        actor=user,
        designation=found,
        kind=str(payload.kind),
        country=payload.country,
        filed_on=payload.filed_on,
    )
    return Status(201, _designation_step_out(step))


@router.post("/designation-steps/{step_id}/decision", response=DesignationStepOut)
def designation_step_decision_post(
    request: HttpRequest, step_id: UUID, payload: StepDecisionIn
) -> dict[str, Any]:
    """A step's outcome: a delisting ends the listing, an upheld one keeps it listed."""
    user = api_user(request)
    step = access_designation_step(user, step_id)
    designation_step_decide(
        actor=user, step=step, outcome=str(payload.outcome), decided_on=payload.decided_on
    )
    return _designation_step_out(access_designation_step(user, step_id))


# --- Perpetrators ----------------------------------------------------------------------------


class PerpetratorNameIn(In):
    value: Annotated[str, StringConstraints(max_length=200), NoNul] = Field(
        json_schema_extra=NOT_BLANK
    )
    script: Annotated[str, StringConstraints(max_length=4), NoNul] = Field(
        "", description="ISO 15924: Latn, Cyrl, Arab, Hans..."
    )


class PerpetratorIn(In):
    kind: pm.PerpetratorKind
    state: Country = Field(description="The state it acts for.")
    names: list[PerpetratorNameIn] = Field(
        max_length=8, description="At least one, in any script (sealed).", min_length=1
    )
    nationality: OptionalCountry = ""
    position: Line = Field("", description="Sealed.")
    birth_date: Annotated[str, StringConstraints(max_length=10), NoNul] = Field(
        "", description='"1965-04-01", "1965-04" or "1965" (sealed).'
    )
    notes: Annotated[str, StringConstraints(max_length=4000), NoNul] = Field(
        "", description="Sealed."
    )


class PerpetratorFiltersIn(Schema):
    kind: pm.PerpetratorKind | None = None
    state: Country | None = None
    q: Annotated[str, StringConstraints(max_length=200), NoNul] = Field(
        "", description="A name, in any script (admins and case workers only)."
    )


class LinkIn(In):
    role: ActorRole
    period_from: Day | None = None
    from_precision: Code = ""
    period_to: Day | None = None
    to_precision: Code = ""
    evidence: Long = Field("", description="How we know (sealed).")
    sources: list[UUID] = Field(
        default_factory=list, max_length=50, description="Ids of the incident's sources."
    )


class PerpetratorNameOut(Schema):
    value: str
    script: str


class PerpetratorSummaryOut(Schema):
    id: UUID
    label: str = Field(description="The first name; without identities, a code naming nobody.")
    names: list[PerpetratorNameOut] = Field(description="Empty without identities.")
    kind: str
    state: str
    nationality: str
    incidents: int
    created_at: dt.datetime


class PerpetratorLinkOut(Schema):
    id: UUID
    incident: UUID
    title: str = Field(description="The incident's title; `[withheld]` without identities.")
    start_date: dt.date | None
    role: str
    period_from: dt.date | None
    from_precision: str
    period_to: dt.date | None
    to_precision: str
    evidence: str
    sources: list[str] = Field(description="Supporting sources' references; empty without.")


class PerpetratorOut(PerpetratorSummaryOut):
    position: str
    birth_date: str
    notes: str
    links: list[PerpetratorLinkOut]


class PerpetratorPageOut(Schema):
    items: list[PerpetratorSummaryOut]
    page: int
    page_size: int
    has_next: bool


def _perpetrator_row(p: pm.Perpetrator, viewer: User, incidents: int) -> dict[str, Any]:
    names = [{"value": n.value, "script": n.script} for n in p.names.all()]
    shown = viewer.sees_identities
    code = f"{p.get_kind_display()} {str(p.uuid)[:8].upper()}"
    return {
        "id": p.uuid,
        "label": (names[0]["value"] if names else "") if shown else code,
        "names": names if shown else [],
        "kind": p.kind,
        "state": p.state,
        "nationality": p.nationality,
        "incidents": incidents,
        "created_at": p.created_at,
    }


def _link_out(link: pm.PerpetratorLink, viewer: User) -> dict[str, Any]:
    shown = viewer.sees_identities
    refs: list[str] = json.loads(link.sources) if shown and link.sources else []
    return {
        "id": link.uuid,
        "incident": link.incident.uuid,
        "title": _sealed(link.incident.title, viewer),
        "start_date": link.incident.start_date,
        "role": link.role,
        "period_from": link.period_from,
        "from_precision": link.from_precision,
        "period_to": link.period_to,
        "to_precision": link.to_precision,
        "evidence": _sealed(link.evidence, viewer),
        "sources": refs,
    }


def _perpetrator_out(p: pm.Perpetrator, viewer: User) -> dict[str, Any]:
    links = perpetrator_links(p)
    return {
        **_perpetrator_row(p, viewer, len(links)),
        "position": _sealed(p.position, viewer),
        "birth_date": _sealed(p.birth_date, viewer),
        "notes": _sealed(p.notes, viewer),
        "links": [_link_out(link, viewer) for link in links],
    }


@router.get("/perpetrators", response=PerpetratorPageOut)
def perpetrator_list(
    request: HttpRequest, filters: Query[PerpetratorFiltersIn], paging: Query[PageIn]
) -> dict[str, Any]:
    """The organisation's perpetrators, newest first; `q` finds names across scripts (403 to
    analysts and viewers). Names are shown to roles that see identities: audited
    (`perpetrator.list`)."""
    user = api_user(request)
    qs = _only(perpetrators_of(user), kind=filters.kind, state=filters.state)
    query = filters.q.strip()
    if query:
        qs = qs.filter(pk__in=perpetrator_ids_matching(user, query))
    qs = qs.annotate(incident_count=Count("links"))

    def render(rows: list[pm.Perpetrator]) -> list[dict[str, Any]]:
        records_listed(actor=user, record_type="perpetrator", records=rows)
        return [_perpetrator_row(p, user, p.incident_count) for p in rows]  # type: ignore[attr-defined]

    return page_of(qs, paging, render)


@router.post("/perpetrators", response={201: PerpetratorOut})
def perpetrator_post(request: HttpRequest, payload: PerpetratorIn) -> Status[dict[str, Any]]:
    """Record an agency, official, proxy or company once (admins, case workers)."""
    user = api_user(request)
    made = perpetrator_create(
        actor=user,
        data=PerpetratorData(
            kind=str(payload.kind),
            state=payload.state,
            names=[PerpetratorNameData(n.value, n.script) for n in payload.names],
            nationality=payload.nationality,
            position=payload.position,
            birth_date=payload.birth_date,
            notes=payload.notes,
        ),
    )
    return Status(201, _perpetrator_out(access_perpetrator(user, made.uuid), user))


@router.get("/perpetrators/{perpetrator_id}", response=PerpetratorOut)
def perpetrator_detail(request: HttpRequest, perpetrator_id: UUID) -> dict[str, Any]:
    """A perpetrator with every incident it acted in: role, period, evidence and sources;
    audited (`perpetrator.view`) for roles that see identities."""
    user = api_user(request)
    found = access_perpetrator(user, perpetrator_id)
    record_viewed(actor=user, record_type="perpetrator", record=found)
    return _perpetrator_out(found, user)


@router.put("/perpetrators/{perpetrator_id}/incidents/{incident_id}", response=PerpetratorLinkOut)
def perpetrator_link_put(
    request: HttpRequest, perpetrator_id: UUID, incident_id: UUID, payload: LinkIn
) -> dict[str, Any]:
    """Link the perpetrator to an incident it acted in, or update that link: role, period,
    evidence, and which of the incident's sources support it."""
    user = api_user(request)
    found = access_perpetrator(user, perpetrator_id)
    incident = access_incident(user, incident_id)
    link = perpetrator_link(
        actor=user,
        perpetrator=found,
        data=LinkData(
            incident_uuid=incident.uuid,
            role=str(payload.role),
            period_from=payload.period_from,
            from_precision=payload.from_precision,
            period_to=payload.period_to,
            to_precision=payload.to_precision,
            evidence=payload.evidence,
            source_uuids=payload.sources,
        ),
    )
    return _link_out(link, user)
