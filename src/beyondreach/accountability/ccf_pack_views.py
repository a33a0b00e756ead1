"""The CCF request pack's pages: a review of what the pack holds, with the choice of the
request and its grounds, then the printable pack (printed to PDF from the browser). Admins
and case workers only; every view of a pack is audited (ccf_pack.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beyondreach.accountability import models as am
from beyondreach.accountability.ccf_pack import ccf_pack, ccf_pack_viewed
from beyondreach.accountability.selectors import access_interpol_case
from beyondreach.cases.forms import Form
from beyondreach.core.decorators import member_required, request_user


class PackForm(Form):
    request_kind = forms.ChoiceField(
        choices=am.CcfRequestKind.choices,
        widget=forms.RadioSelect,
        initial=am.CcfRequestKind.CORRECTION_DELETION,
        label="The request",
    )
    grounds = forms.MultipleChoiceField(
        choices=am.CcfGround.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Its grounds",
        help_text="At least one for a request to correct or delete the data.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deletion = cleaned.get("request_kind") == am.CcfRequestKind.CORRECTION_DELETION
        if deletion and not cleaned.get("grounds"):
            self.add_error("grounds", "Choose the grounds of the request to correct or delete.")
        return cleaned


def _render(request: HttpRequest, case_id: str, form: PackForm, *, printable: bool) -> HttpResponse:
    user = request_user(request)
    case = access_interpol_case(user, case_id)
    valid = form.is_bound and form.is_valid()
    kind: str = (
        form.cleaned_data["request_kind"] if valid else am.CcfRequestKind.CORRECTION_DELETION
    )
    grounds: list[str] = [*form.cleaned_data["grounds"]] if valid else []
    pack = ccf_pack(user, case, request_kind=kind, grounds=grounds)
    printing = printable and valid
    ccf_pack_viewed(actor=user, pack=pack, printable=printing)
    context = {
        "pack": pack,
        "case": case,
        "form": form,
        "query": urlencode({"request_kind": kind, "grounds": grounds}, doseq=True),
    }
    if printing:
        return render(request, "accountability/ccf_pack_print.html", context)
    status = 400 if form.is_bound and not valid else 200
    return render(request, "accountability/ccf_pack.html", context, status=status)


@member_required()
@require_safe
def interpol_ccf_pack(request: HttpRequest, case_id: str) -> HttpResponse:
    """The review: every section the pack will hold, and the choice of request and grounds."""
    form = PackForm(request.GET) if request.GET else PackForm()
    return _render(request, case_id, form, printable=False)


@member_required()
@require_safe
def interpol_ccf_pack_print(request: HttpRequest, case_id: str) -> HttpResponse:
    """The printable pack; without a valid choice, the review again with its errors (400)."""
    return _render(request, case_id, PackForm(request.GET), printable=True)
