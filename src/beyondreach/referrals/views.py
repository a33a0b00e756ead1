"""Referral pages: protection bodies (admins), sending from an incident, a referral's page
with its outcome form, and the body's secure link (no account). Thin: parse, call one
selector and one service, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from beyondreach.alerts.forms import place
from beyondreach.cases.selectors import access_incident
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import ApplicationError, InvalidInputError, NotFoundError
from beyondreach.referrals import services as svc
from beyondreach.referrals.forms import BodyForm, OutcomeForm, ReferralForm
from beyondreach.referrals.models import ProtectionBody, Referral
from beyondreach.referrals.packet import targets_without_consent
from beyondreach.referrals.selectors import (
    access_protection_body,
    access_referral,
    active_bodies_for,
    admin_org_id,
    protection_bodies_of,
)

# --- Protection bodies (admins) ---------------------------------------------------------


@member_required()
@require_http_methods(["GET", "POST"])
def body_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    admin_org_id(user)
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.protection_body_create(actor=user, data=form.data_for_service())
            messages.success(request, "Protection body added.")
            return redirect("protection-body-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
    status = 400 if request.method == "POST" else 200
    context = {"bodies": protection_bodies_of(user), "form": form}
    return render(request, "referrals/bodies.html", context, status=status)


def _body_initial(body: ProtectionBody) -> dict[str, object]:
    return {
        "name": body.name,
        "kind": body.kind,
        "email": body.email,
        "public_key": body.public_key,
        "active": body.active,
    }


@member_required()
@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, body_id: str) -> HttpResponse:
    user = request_user(request)
    body = access_protection_body(user, body_id)
    form = BodyForm(request.POST or None, initial=_body_initial(body))
    if request.method == "POST" and form.is_valid():
        try:
            svc.protection_body_update(actor=user, body=body, data=form.data_for_service())
            messages.success(request, "Protection body saved.")
            return redirect("protection-body-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/body_form.html", {"form": form, "body": body}, status=status)


# --- Sending and following up -----------------------------------------------------------


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = request_user(request)
    incident = access_incident(user, incident_id)
    bodies = active_bodies_for(user)
    form = ReferralForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        body = next(b for b in bodies if str(b.uuid) == form.cleaned_data["body"])
        try:
            referral = svc.referral_send(
                actor=user,
                incident=incident,
                body=body,
                follow_up_on=form.cleaned_data["follow_up_on"],
            )
            messages.success(request, f"Referred to {body.name}.")
            return redirect("referral-detail", referral_id=referral.uuid)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    context = {
        "incident": incident,
        "form": form,
        "bodies": bodies,
        "without_consent": targets_without_consent(incident),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/referral_form.html", context, status=status)


def _outcome_initial(referral: Referral) -> dict[str, object]:
    return {
        "outcome": referral.outcome,
        "outcome_on": referral.outcome_on,
        "follow_up_on": referral.follow_up_on,
        "closed": referral.closed_at is not None,
    }


@member_required()
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = request_user(request)
    referral = access_referral(user, referral_id)
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                svc.referral_record_outcome(
                    actor=user, referral=referral, data=form.data_for_service()
                )
                messages.success(request, "Referral updated.")
                return redirect("referral-detail", referral_id=referral.uuid)
            except InvalidInputError as exc:
                place(form, exc.errors)
        status = 400
    else:
        form, status = OutcomeForm(initial=_outcome_initial(referral)), 200
    context = {"referral": referral, "form": form}
    return render(request, "referrals/referral_detail.html", context, status=status)


@member_required(write=True)
@require_POST
def referral_acknowledged(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = request_user(request)
    referral = access_referral(user, referral_id)
    svc.referral_acknowledge(referral=referral, actor=user)
    messages.success(request, "Recorded as acknowledged.")
    return redirect("referral-detail", referral_id=referral.uuid)


@member_required(write=True)
@require_POST
def referral_revoke(request: HttpRequest, referral_id: str) -> HttpResponse:
    user = request_user(request)
    referral = access_referral(user, referral_id)
    try:
        svc.referral_revoke_link(actor=user, referral=referral)
        messages.success(request, "The link no longer works.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("referral-detail", referral_id=referral.uuid)


# --- The body's secure link -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def referral_link(request: HttpRequest, token: str) -> HttpResponse:
    """Whoever holds the link reads the packet and can acknowledge it (CSRF-protected)."""
    try:
        referral = svc.referral_by_link(token)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        svc.referral_acknowledge(referral=referral)
        return redirect("referral-link", token=token)
    packet = svc.referral_link_viewed(referral=referral)
    context = {
        "referral": referral,
        "packet": packet,
        "incident": packet["incident"],
        "packet_json": json.dumps(packet, ensure_ascii=False, indent=2, sort_keys=True),
    }
    response = render(request, "referrals/link.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
