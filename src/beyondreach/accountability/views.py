"""Pages of INTERPOL cases: the organisation's list, a new case from a person's page, and a
case with its CCF requests, their clocks and the steps in host countries. Thin: parse, one
selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import F
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from beyondreach.accountability import forms as af
from beyondreach.accountability.list_filters import interpol_cases_filtered
from beyondreach.accountability.selectors import (
    access_ccf_request,
    access_interpol_case,
    interpol_cases_of,
    interpol_counts,
)
from beyondreach.accountability.services import (
    CaseData,
    ccf_decision,
    ccf_request_admissible,
    ccf_request_file,
    interpol_case_create,
    interpol_case_status,
    national_step_add,
)
from beyondreach.cases.export import pseudonym
from beyondreach.cases.models import Person
from beyondreach.cases.selectors import access_person, person_incidents
from beyondreach.cases.services import record_viewed
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import InvalidInputError
from beyondreach.core.models import User

RECORD_TYPE = "interpol_case"


def incident_choices(person: Person) -> list[tuple[str, str]]:
    """The person's incidents, to link a case or designation to (writers see titles)."""
    return [
        (str(t.incident.uuid), f"{t.incident.start_date:%Y-%m-%d} {t.incident.title}")
        for t in person_incidents(person)
    ]


def person_label(user: User, case: Any) -> str:
    if user.sees_identities:
        return next((n.value for n in case.person.names.all()), "")
    return pseudonym(case.person)


@member_required()
@require_safe
def interpol_case_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    cases, chosen = interpol_cases_filtered(user, interpol_cases_of(user), request.GET)
    rows = [(c, person_label(user, c)) for c in cases[:500]]
    context = {"rows": rows, "counts": interpol_counts(user), "chosen": chosen}
    return render(request, "accountability/case_list.html", context)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def interpol_case_new(request: HttpRequest, person_id: str) -> HttpResponse:
    user = request_user(request)
    person = access_person(user, person_id)
    form = af.CaseForm(request.POST if request.method == "POST" else None)
    form.fields["incidents"].choices = incident_choices(person)  # type: ignore[attr-defined]
    if request.method == "POST":
        case = written(
            form,
            lambda c: interpol_case_create(
                actor=user,
                person=person,
                data=CaseData(
                    kind=c["kind"],
                    issuing_state=c["issuing_state"],
                    incident_uuids=[*c["incidents"]],
                    issued_on=c["issued_on"],
                    issued_precision=c["issued_precision"],
                    public=c["public"],
                    status=c["status"],
                    reference=c["reference"],
                    charge=c["charge"],
                ),
            ),
        )
        if case is not None:
            return redirect("interpol-case-detail", case_id=case.uuid)
    context = {"form": form, "person": person, "pseudonym": pseudonym(person)}
    status = 400 if request.method == "POST" else 200
    return render(request, "accountability/case_new.html", context, status=status)


T = TypeVar("T")


def written(form: Form, write: Callable[[dict[str, Any]], T]) -> T | None:
    """The write's result when the form is valid and the service takes it; else None, with
    the service's field errors placed on the form to show again."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except InvalidInputError as exc:
        place_errors(form, exc)
        return None


def place_errors(form: Form, exc: InvalidInputError) -> None:
    for path, messages in exc.errors.items():
        name = path.split(".")[0]
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


@member_required()
@require_safe
def interpol_case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    return _detail(request, case_id)


def _detail(
    request: HttpRequest, case_id: str, *, invalid: dict[str, Any] | None = None
) -> HttpResponse:
    user = request_user(request)
    case = access_interpol_case(user, case_id)
    record_viewed(actor=user, record_type=RECORD_TYPE, record=case)
    forms: dict[str, Any] = {
        "ccf_form": af.CcfForm(),
        "step_form": af.StepForm(),
        "status_form": af.StatusForm(initial={"status": case.status}),
        "admissible_forms": {},
        "decision_forms": {},
        **(invalid or {}),
    }
    requests = [
        (
            r,
            forms["admissible_forms"].get(r.pk, af.AdmissibleForm(prefix=f"a{r.pk}")),
            forms["decision_forms"].get(r.pk, af.DecisionForm(prefix=f"d{r.pk}")),
        )
        for r in case.ccf_requests.select_related("deadline").all()
    ]
    context = {
        "case": case,
        "person_label": person_label(user, case),
        "incidents": case.incidents.order_by(F("start_date").asc(nulls_last=True)),
        "requests": requests,
        "steps": case.steps.all(),
        **{k: v for k, v in forms.items() if k.endswith("_form")},
    }
    return render(
        request, "accountability/case_detail.html", context, status=400 if invalid else 200
    )


@member_required(write=True)
@require_http_methods(["POST"])
def interpol_ccf_file(request: HttpRequest, case_id: str) -> HttpResponse:
    user = request_user(request)
    case = access_interpol_case(user, case_id)
    form = af.CcfForm(request.POST)
    if written(
        form,
        lambda c: ccf_request_file(
            actor=user,
            case=case,
            kind=c["kind"],
            filed_on=c["filed_on"],
            admissible_on=c["admissible_on"],
        ),
    ):
        return redirect("interpol-case-detail", case_id=case.uuid)
    return _detail(request, case_id, invalid={"ccf_form": form})


@member_required(write=True)
@require_http_methods(["POST"])
def interpol_ccf_admissible(request: HttpRequest, request_id: str) -> HttpResponse:
    user = request_user(request)
    ccf = access_ccf_request(user, request_id)
    form = af.AdmissibleForm(request.POST, prefix=f"a{ccf.pk}")
    if written(
        form,
        lambda c: ccf_request_admissible(actor=user, request=ccf, admissible_on=c["admissible_on"]),
    ):
        return redirect("interpol-case-detail", case_id=ccf.case.uuid)
    return _detail(request, str(ccf.case.uuid), invalid={"admissible_forms": {ccf.pk: form}})


@member_required(write=True)
@require_http_methods(["POST"])
def interpol_ccf_decision(request: HttpRequest, request_id: str) -> HttpResponse:
    user = request_user(request)
    ccf = access_ccf_request(user, request_id)
    form = af.DecisionForm(request.POST, prefix=f"d{ccf.pk}")
    if written(
        form,
        lambda c: ccf_decision(
            actor=user,
            request=ccf,
            outcome=c["outcome"],
            grounds=[*c["grounds"]],
            decided_on=c["decided_on"],
        ),
    ):
        return redirect("interpol-case-detail", case_id=ccf.case.uuid)
    return _detail(request, str(ccf.case.uuid), invalid={"decision_forms": {ccf.pk: form}})


@member_required(write=True)
@require_http_methods(["POST"])
def interpol_step_add(request: HttpRequest, case_id: str) -> HttpResponse:
    user = request_user(request)
    case = access_interpol_case(user, case_id)
    form = af.StepForm(request.POST)
    if written(
        form,
        lambda c: national_step_add(
            actor=user, case=case, country=c["country"], kind=c["kind"], on=c["on"], note=c["note"]
        ),
    ):
        return redirect("interpol-case-detail", case_id=case.uuid)
    return _detail(request, case_id, invalid={"step_form": form})


@member_required(write=True)
@require_http_methods(["POST"])
def interpol_case_status_view(request: HttpRequest, case_id: str) -> HttpResponse:
    user = request_user(request)
    case = access_interpol_case(user, case_id)
    form = af.StatusForm(request.POST)
    if written(form, lambda c: interpol_case_status(actor=user, case=case, status=c["status"])):
        return redirect("interpol-case-detail", case_id=case.uuid)
    return _detail(request, case_id, invalid={"status_form": form})
