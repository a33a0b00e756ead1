"""Pages of designations: the organisation's list, a new one from a person's page, and one
designation with its effects and the steps against it. Thin, as views.py."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from beyondreach.accountability import forms as af
from beyondreach.accountability.list_filters import designations_filtered
from beyondreach.accountability.selectors import (
    access_designation,
    access_designation_step,
    designations_of,
)
from beyondreach.accountability.services import (
    DesignationData,
    designation_create,
    designation_step_add,
    designation_step_decide,
)
from beyondreach.accountability.views import incident_choices, person_label, written
from beyondreach.cases.export import pseudonym
from beyondreach.cases.selectors import access_person
from beyondreach.cases.services import record_viewed
from beyondreach.core.decorators import member_required, request_user


@member_required()
@require_safe
def designation_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    found, chosen = designations_filtered(designations_of(user), request.GET)
    rows = [(d, person_label(user, d)) for d in found[:500]]
    context = {"rows": rows, "chosen": chosen}
    return render(request, "accountability/designation_list.html", context)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def designation_new(request: HttpRequest, person_id: str) -> HttpResponse:
    user = request_user(request)
    person = access_person(user, person_id)
    form = af.DesignationForm(request.POST if request.method == "POST" else None)
    form.fields["incidents"].choices = incident_choices(person)  # type: ignore[attr-defined]
    if request.method == "POST":
        designation = written(
            form,
            lambda c: designation_create(
                actor=user,
                person=person,
                data=DesignationData(
                    listing_state=c["listing_state"],
                    incident_uuids=[*c["incidents"]],
                    authority=c["authority"],
                    list_name=c["list_name"],
                    designated_on=c["designated_on"],
                    designated_precision=c["designated_precision"],
                    effects=[*c["effects"]],
                    status=c["status"],
                    grounds=c["grounds"],
                ),
            ),
        )
        if designation is not None:
            return redirect("designation-detail", designation_id=designation.uuid)
    context = {"form": form, "person": person, "pseudonym": pseudonym(person)}
    status = 400 if request.method == "POST" else 200
    return render(request, "accountability/designation_new.html", context, status=status)


@member_required()
@require_safe
def designation_detail(request: HttpRequest, designation_id: str) -> HttpResponse:
    return _detail(request, designation_id)


def _detail(
    request: HttpRequest, designation_id: str, *, invalid: dict[str, Any] | None = None
) -> HttpResponse:
    user = request_user(request)
    designation = access_designation(user, designation_id)
    record_viewed(actor=user, record_type="designation", record=designation)
    given = invalid or {}
    decisions = given.get("decision_forms", {})
    context = {
        "designation": designation,
        "person_label": person_label(user, designation),
        "incidents": designation.incidents.order_by(F("start_date").asc(nulls_last=True)),
        "steps": [
            (s, decisions.get(s.pk, af.StepDecisionForm(prefix=f"s{s.pk}")))
            for s in designation.steps.all()
        ],
        "step_form": given.get("step_form", af.DesignationStepForm()),
    }
    status = 400 if invalid else 200
    return render(request, "accountability/designation_detail.html", context, status=status)


@member_required(write=True)
@require_http_methods(["POST"])
def designation_step_view(request: HttpRequest, designation_id: str) -> HttpResponse:
    user = request_user(request)
    designation = access_designation(user, designation_id)
    form = af.DesignationStepForm(request.POST)
    if written(
        form,
        lambda c: designation_step_add(
            actor=user,
            designation=designation,
            kind=c["kind"],
            country=c["country"],
            filed_on=c["filed_on"],
        ),
    ):
        return redirect("designation-detail", designation_id=designation.uuid)
    return _detail(request, designation_id, invalid={"step_form": form})


@member_required(write=True)
@require_http_methods(["POST"])
def designation_step_decision(request: HttpRequest, step_id: str) -> HttpResponse:
    user = request_user(request)
    step = access_designation_step(user, step_id)
    form = af.StepDecisionForm(request.POST, prefix=f"s{step.pk}")
    if written(
        form,
        lambda c: designation_step_decide(
            actor=user, step=step, outcome=c["outcome"], decided_on=c["decided_on"]
        ),
    ):
        return redirect("designation-detail", designation_id=step.designation.uuid)
    designation_id = str(step.designation.uuid)
    return _detail(request, designation_id, invalid={"decision_forms": {step.pk: form}})
