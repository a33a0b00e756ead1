"""Reading INTERPOL cases: every one through `access_*`, scoped to the caller's organisation."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from beyondreach.accountability import models as am
from beyondreach.cases import models as cm
from beyondreach.core.errors import NotFoundError, parse_record_id
from beyondreach.core.models import User


def _org_id(user: User) -> int:
    if not user.is_authenticated or user.organisation_id is None:
        raise NotFoundError("Not found.")
    return user.organisation_id


def interpol_cases_of(user: User) -> QuerySet[am.InterpolCase]:
    return (
        am.InterpolCase.objects.filter(organisation_id=_org_id(user))
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
        .filter(organisation_id=_org_id(user), uuid=parse_record_id(request_id))
        .first()
    )
    if request is None:
        raise NotFoundError("No such request.")
    return request


def person_interpol_cases(person: cm.Person) -> list[am.InterpolCase]:
    return list(person.interpol_cases.order_by("-created_at"))
