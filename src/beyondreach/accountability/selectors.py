"""Reading INTERPOL cases: every one through `access_*`, scoped to the caller's organisation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from beyondreach.accountability import models as am
from beyondreach.cases import models as cm
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, parse_record_id
from beyondreach.core.models import User


def interpol_cases_of(user: User) -> QuerySet[am.InterpolCase]:
    return (
        am.InterpolCase.objects.filter(organisation_id=member_org_id(user))
        .select_related("person")
        .prefetch_related("ccf_requests", "person__names")
        .order_by("-created_at", "-id")
    )


def access_interpol_case(user: User, case_id: str | uuid.UUID) -> am.InterpolCase:
    case = interpol_cases_of(user).filter(uuid=parse_record_id(case_id)).first()
    if case is None:
        raise NotFoundError("No such case.")
    return case


def access_ccf_request(user: User, request_id: str | uuid.UUID) -> am.CcfRequest:
    request = (
        am.CcfRequest.objects.select_related("case", "deadline")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(request_id))
        .first()
    )
    if request is None:
        raise NotFoundError("No such request.")
    return request


@dataclass(frozen=True)
class Counts:
    """The organisation's cases counted (issue 12, item 6): notices by issuing state and
    year, and the CCF's decisions by their grounds. Coded parts only: every role sees them."""

    years: list[int | None]  # None: the date is not known
    by_state: list[tuple[str, list[int], int]]  # state, a count per year, its total
    by_ground: list[tuple[str, int]]  # ground's label, decisions citing it
    by_outcome: list[tuple[str, int]]
    decided: int


def interpol_counts(user: User) -> Counts:
    cases = am.InterpolCase.objects.filter(organisation_id=member_org_id(user))
    cells: dict[tuple[str, int | None], int] = {}
    for state, year, n in (
        cases.annotate(year=ExtractYear("issued_on"))
        .values_list("issuing_state", "year")
        .annotate(n=Count("id"))
    ):
        cells[(state, year)] = n
    years = sorted({y for _, y in cells}, key=lambda y: (y is None, y or 0))
    states = sorted({s for s, _ in cells}, key=lambda s: -sum(cells.get((s, y), 0) for y in years))
    by_state = [
        (s, [cells.get((s, y), 0) for y in years], sum(cells.get((s, y), 0) for y in years))
        for s in states
    ]
    decisions = am.CcfRequest.objects.filter(organisation_id=member_org_id(user)).exclude(
        outcome=am.CcfOutcome.PENDING
    )
    grounds: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    # Grounds are a JSON list, which SQLite cannot group by element: counted here, over the
    # organisation's decisions (tens or hundreds).
    for outcome, cited in decisions.values_list("outcome", "grounds"):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        for ground in set(cited):
            grounds[ground] = grounds.get(ground, 0) + 1
    return Counts(
        years=years,
        by_state=by_state,
        by_ground=[(str(label), grounds.get(code, 0)) for code, label in am.CcfGround.choices],
        by_outcome=[
            (str(label), outcomes[code])
            for code, label in am.CcfOutcome.choices
            if code in outcomes
        ],
        decided=sum(outcomes.values()),
    )


def designations_of(user: User) -> QuerySet[am.Designation]:
    return (
        am.Designation.objects.filter(organisation_id=member_org_id(user))
        .select_related("person")
        .prefetch_related("person__names")
        .order_by("-created_at", "-id")
    )


def access_designation(user: User, designation_id: str | uuid.UUID) -> am.Designation:
    found = designations_of(user).filter(uuid=parse_record_id(designation_id)).first()
    if found is None:
        raise NotFoundError("No such designation.")
    return found


def access_designation_step(user: User, step_id: str | uuid.UUID) -> am.DesignationStep:
    step = (
        am.DesignationStep.objects.select_related("designation")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(step_id))
        .first()
    )
    if step is None:
        raise NotFoundError("No such step.")
    return step


def person_interpol_cases(person: cm.Person) -> list[am.InterpolCase]:
    return list(person.interpol_cases.order_by("-created_at"))


@dataclass(frozen=True)
class DesignationCounts:
    """The organisation's designations counted by listing state (issue 12, item 6), with
    their status now. Coded parts only: every role sees them."""

    statuses: list[tuple[str, str]]  # code, label: the columns, those counted only
    by_state: list[tuple[str, list[int], int]]  # listing state, a count per status, its total
    total: int


def designation_counts(user: User) -> DesignationCounts:
    cells = {
        (state, status): n
        for state, status, n in am.Designation.objects.filter(organisation_id=member_org_id(user))
        .values_list("listing_state", "status")
        .annotate(n=Count("id"))
    }
    statuses = [
        (c, str(label)) for c, label in am.DesignationStatus.choices if c in {s for _, s in cells}
    ]
    states = {s for s, _ in cells}
    total_of = {s: sum(n for (st, _), n in cells.items() if st == s) for s in states}
    by_state = [
        (s, [cells.get((s, c), 0) for c, _ in statuses], total_of[s])
        for s in sorted(states, key=lambda s: (-total_of[s], s))
    ]
    return DesignationCounts(statuses=statuses, by_state=by_state, total=sum(total_of.values()))
