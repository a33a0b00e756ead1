"""The trusted partners' pages (admins only): the senders of transfer files this
organisation knows by their signing key; add one from the string its admin gives, rename,
remove. Thin: parse, call one selector and one service, render; the rules are in
transfer_trust.py. A member who is not an admin gets 403, as on the other admin pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from beyondreach.alerts.forms import place
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import InvalidInputError
from beyondreach.interchange.models import TrustedSender
from beyondreach.interchange.partner_forms import (
    PartnerAddForm,
    PartnerRemoveForm,
    PartnerRenameForm,
)
from beyondreach.interchange.transfer_trust import (
    access_trusted_sender,
    trusted_sender_add,
    trusted_sender_remove,
    trusted_sender_rename,
    trusted_senders_of,
)


@member_required()
@require_http_methods(["GET", "HEAD", "POST"])
def partner_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    partners = trusted_senders_of(user)  # first: it refuses a member who is not an admin
    form = PartnerAddForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            added = trusted_sender_add(actor=user, key=d["key"], name=d["name"])
            messages.success(request, f"{added.name} is trusted now.")
            return redirect("transfer-partner-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
    status = 400 if request.method == "POST" else 200
    context = {"partners": partners, "form": form}
    return render(request, "interchange/partner_list.html", context, status=status)


@member_required()
@require_http_methods(["GET", "HEAD", "POST"])
def partner_detail(request: HttpRequest, partner_id: str) -> HttpResponse:
    """The partner, and the forms to rename it (POST here) and to remove it (POST to
    partner_remove)."""
    user = request_user(request)
    partner = access_trusted_sender(user, partner_id)
    form = PartnerRenameForm(_posted(request), initial={"name": partner.name})
    if request.method == "POST" and form.is_valid():
        try:
            trusted_sender_rename(actor=user, sender=partner, name=form.cleaned_data["name"])
            messages.success(request, f"Renamed: {partner.name}.")
            return redirect("transfer-partner-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
    status = 400 if request.method == "POST" else 200
    return _detail(request, partner, form, PartnerRemoveForm(), status)


@member_required()
@require_POST
def partner_remove(request: HttpRequest, partner_id: str) -> HttpResponse:
    user = request_user(request)
    partner = access_trusted_sender(user, partner_id)
    form = PartnerRemoveForm(request.POST)
    if form.is_valid():
        name = partner.name
        trusted_sender_remove(actor=user, sender=partner)
        messages.success(request, f"{name} is no longer trusted.")
        return redirect("transfer-partner-list")
    rename = PartnerRenameForm(initial={"name": partner.name})
    return _detail(request, partner, rename, form, 400)


def _posted(request: HttpRequest) -> QueryDict | None:
    # Not `request.POST or None`: an empty POST is a form sent empty, to show its errors.
    return request.POST if request.method == "POST" else None


def _detail(
    request: HttpRequest,
    partner: TrustedSender,
    rename: PartnerRenameForm,
    remove: PartnerRemoveForm,
    status: int,
) -> HttpResponse:
    context = {"partner": partner, "form": rename, "remove": remove}
    return render(request, "interchange/partner_detail.html", context, status=status)
