"""Filters of the INTERPOL cases' and designations' lists, so that a count on the statistics
page opens the records it counted: `/interpol/?issuing_state=CN&year=2023`,
`?ground=article_3`, `?outcome=deleted`; `/designations/?listing_state=TR&status=active`.
A value that is not a code is ignored (the list then says nothing of it)."""

from __future__ import annotations

from collections.abc import Mapping

import pycountry
from django.db.models import QuerySet

from beyondreach.accountability import models as am
from beyondreach.core.models import User

UNKNOWN_YEAR = "unknown"  # the year of a notice whose date is not known


def _state(code: str) -> str | None:
    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return f"{found.name} ({code})" if found else None


def interpol_cases_filtered(
    user: User, cases: QuerySet[am.InterpolCase], params: Mapping[str, str]
) -> tuple[QuerySet[am.InterpolCase], list[str]]:
    """`cases` (the caller's, from `interpol_cases_of`) narrowed by the codes in `params`,
    and what was chosen, in words."""
    chosen: list[str] = []
    state = params.get("issuing_state", "").upper()
    if name := _state(state):
        cases, chosen = cases.filter(issuing_state=state), [*chosen, f"issuing state {name}"]
    year = params.get("year", "")
    if year == UNKNOWN_YEAR:
        cases, chosen = cases.filter(issued_on__isnull=True), [*chosen, "date issued not known"]
    elif year.isdigit() and len(year) == 4:
        cases, chosen = cases.filter(issued_on__year=int(year)), [*chosen, f"issued in {year}"]
    ground = params.get("ground", "")
    if ground in am.CcfGround.values:
        # Grounds are a JSON list, which SQLite cannot search by element: read here, over
        # the organisation's decisions, as interpol_counts counts them.
        decided = am.CcfRequest.objects.filter(organisation=user.organisation).exclude(
            outcome=am.CcfOutcome.PENDING
        )
        ids = {case for case, cited in decided.values_list("case_id", "grounds") if ground in cited}
        cases = cases.filter(pk__in=ids)
        chosen.append(f"a decision of the CCF citing {am.CcfGround(ground).label}")
    outcome = params.get("outcome", "")
    if outcome in am.CcfOutcome.values and outcome != am.CcfOutcome.PENDING:
        cases = cases.filter(ccf_requests__outcome=outcome).distinct()
        chosen.append(f"a decision of the CCF: {am.CcfOutcome(outcome).label}")
    return cases, chosen


def designations_filtered(
    designations: QuerySet[am.Designation], params: Mapping[str, str]
) -> tuple[QuerySet[am.Designation], list[str]]:
    chosen: list[str] = []
    state = params.get("listing_state", "").upper()
    if name := _state(state):
        designations = designations.filter(listing_state=state)
        chosen.append(f"listing state {name}")
    status = params.get("status", "")
    if status in am.DesignationStatus.values:
        designations = designations.filter(status=status)
        chosen.append(f"status {am.DesignationStatus(status).label}")
    return designations, chosen
