"""Sharing pages. Thin: parse, call one selector and one service, render.

Admins: partner agreements. Case workers and admins of the owner: share an incident and
revoke. Every member of the partner: the "Shared with us" list and the read-only record.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import record_viewed
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.models import User
from beyondreach.sharing.export import shared_incident_view
from beyondreach.sharing.forms import ProposeForm, ShareForm
from beyondreach.sharing.models import Agreement
from beyondreach.sharing.selectors import (
    access_agreement,
    access_outgoing_share,
    access_shared_incident,
    active_partners,
    agreement_list_for,
    counted_summary_for,
    partner_people,
    shared_incident_list_visible_to,
    shares_of_incident,
)
from beyondreach.sharing.services import (
    ConsentMissingError,
    SharingError,
    agreement_accept,
    agreement_end,
    agreement_propose,
    incident_share,
    share_revoke,
    shared_incident_viewed,
)

PAGE_SIZE = 50


# --- Agreements (admins) ----------------------------------------------------------------


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    agreements = agreement_list_for(user)  # admins only: 403 for case workers
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposed = agreement_propose(actor=user, partner_code=form.cleaned_data["partner_code"])
        except SharingError as exc:
            form.add_error("partner_code", exc.message)
        else:
            messages.success(
                request, f"Proposed to {proposed.partner.name}. Their admin must now accept it."
            )
            return redirect("agreement-list")
    context = {"rows": [_row(a, user) for a in agreements], "form": form}
    return render(request, "sharing/agreements.html", context, status=400 if form.errors else 200)


def _row(agreement: Agreement, user: User) -> dict[str, object]:
    assert user.organisation_id is not None
    return {
        "agreement": agreement,
        "other": agreement.other(user.organisation_id),
        "incoming": agreement.partner_id == user.organisation_id,
    }


@member_required(write=True)
@require_POST
def agreement_accept_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    agreement = access_agreement(user, request.POST.get("agreement", ""))
    try:
        agreement_accept(actor=user, agreement=agreement)
        messages.success(request, f"Agreement with {agreement.proposer.name} accepted.")
    except SharingError as exc:
        messages.error(request, exc.message)
    return redirect("agreement-list")


@member_required(write=True)
@require_POST
def agreement_end_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    agreement = access_agreement(user, request.POST.get("agreement", ""))
    assert user.organisation_id is not None
    try:
        agreement_end(actor=user, agreement=agreement)
        other = agreement.other(user.organisation_id).name
        messages.success(
            request, f"Agreement with {other} ended; every share made under it is revoked."
        )
    except SharingError as exc:
        messages.error(request, exc.message)
    return redirect("agreement-list")


# --- The owner: share and revoke --------------------------------------------------------


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def incident_share_view(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = request_user(request)
    incident = access_incident(user, incident_id)
    partners = active_partners(user)
    form = ShareForm(request.POST or None, partners=partners, people=partner_people(partners))
    missing_consent = []
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            share = incident_share(
                actor=user,
                incident=incident,
                partner_id=uuid.UUID(c["partner"]),
                level=c["level"],
                reader_ids=[uuid.UUID(r) for r in c["readers"]],
            )
        except ConsentMissingError as exc:
            form.add_error("level", exc.message)
            missing_consent = exc.persons
        except SharingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Shared with {share.recipient.name} ({share.get_level_display()})."
            )
            return redirect("incident-detail", incident_id=incident.uuid)
    if request.method == "GET":
        record_viewed(actor=user, record_type="incident", record=incident)  # title and names
    context = {
        "incident": incident,
        "form": form,
        "partners": partners,
        "targets": list(incident.targets.all()),
        "missing_consent": missing_consent,
        "shares": shares_of_incident(user, incident),
    }
    return render(request, "sharing/share_form.html", context, status=400 if form.errors else 200)


@member_required(write=True)
@require_POST
def share_revoke_view(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = request_user(request)
    incident = access_incident(user, incident_id)
    share = access_outgoing_share(user, incident, request.POST.get("share", ""))
    try:
        share_revoke(actor=user, share=share)
        messages.success(
            request, f"Revoked: {share.recipient.name} can no longer open this incident."
        )
    except SharingError as exc:
        messages.error(request, exc.message)
    return redirect("incident-detail", incident_id=incident.uuid)


# --- The partner: what was shared with us -----------------------------------------------


@member_required()
@require_safe
def shared_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = _page_number(request.GET.get("page", ""))
    offset = (page - 1) * PAGE_SIZE
    rows = list(shared_incident_list_visible_to(user)[offset : offset + PAGE_SIZE + 1])
    context = {
        "rows": rows[:PAGE_SIZE],
        "page": page,
        "has_next": len(rows) > PAGE_SIZE,
        "counted": counted_summary_for(user),
    }
    return render(request, "sharing/shared_list.html", context)


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) <= 100_000 else 1


@member_required()
@require_safe
def shared_detail(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = request_user(request)
    shared = access_shared_incident(user, incident_id)
    shared_incident_viewed(actor=user, shared=shared, via="web")
    context = {"shared": shared, "incident": shared.incident, "view": shared_incident_view(shared)}
    return render(request, "sharing/shared_detail.html", context)
