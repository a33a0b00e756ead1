"""Pages of the organisations that incidents targeted: the list, one organisation with its
incidents, and merging one recorded twice (and undoing it). Thin: parse, one selector or
service, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from beyondreach.cases import models as m
from beyondreach.cases.merges import organisation_merge, organisation_merge_undo
from beyondreach.cases.organisations import (
    access_organisation_merge,
    access_targeted_organisation,
    organisation_alias,
    organisation_merges,
    targeted_organisation_incidents,
    targeted_organisations_of,
)
from beyondreach.cases.services import record_viewed, records_listed
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import InvalidInputError

RECORD_TYPE = "targeted_organisation"
LISTED_AT_MOST = 500  # an organisation records tens or hundreds of them, not thousands


@member_required()
@require_safe
def targeted_organisation_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    targets = list(targeted_organisations_of(user)[:LISTED_AT_MOST])
    records_listed(actor=user, record_type=RECORD_TYPE, records=targets)
    rows = [(t, organisation_alias(t)) for t in targets]
    return render(request, "cases/targeted_organisation_list.html", {"rows": rows})


@member_required()
@require_safe
def targeted_organisation_detail(request: HttpRequest, target_id: str) -> HttpResponse:
    user = request_user(request)
    target = access_targeted_organisation(user, target_id)
    return _detail(request, target)


def _detail(request: HttpRequest, target: m.TargetedOrganisation, error: str = "") -> HttpResponse:
    user = request_user(request)
    record_viewed(actor=user, record_type=RECORD_TYPE, record=target)
    may_merge = user.can_write and user.sees_identities and target.merged_into_id is None
    others = [
        (o, organisation_alias(o))
        for o in (targeted_organisations_of(user)[:LISTED_AT_MOST] if may_merge else [])
        if o.pk != target.pk
    ]
    context = {
        "target": target,
        "alias": organisation_alias(target),
        "incidents": targeted_organisation_incidents(target),
        "merges": organisation_merges(target),
        "others": others,
        "error": error,
    }
    status = 400 if error else 200
    return render(request, "cases/targeted_organisation_detail.html", context, status=status)


@member_required(write=True)
@require_http_methods(["POST"])
def targeted_organisation_merge(request: HttpRequest, target_id: str) -> HttpResponse:
    """Merge the organisation chosen on the page (recorded twice) into this one."""
    user = request_user(request)
    target = access_targeted_organisation(user, target_id)
    chosen = request.POST.get("duplicate", "")
    if not chosen:
        return _detail(request, target, "Choose the organisation that is the same as this one.")
    try:
        organisation_merge(
            actor=user, survivor=target, merged=access_targeted_organisation(user, chosen)
        )
    except InvalidInputError as exc:
        return _detail(request, target, "; ".join(m for ms in exc.errors.values() for m in ms))
    return redirect("targeted-organisation-detail", target_id=target.uuid)


@member_required(write=True)
@require_http_methods(["POST"])
def organisation_merge_undo_view(request: HttpRequest, organisation_merge_id: str) -> HttpResponse:
    user = request_user(request)
    merge = access_organisation_merge(user, organisation_merge_id)
    organisation_merge_undo(actor=user, merge=merge)
    return redirect("targeted-organisation-detail", target_id=merge.survivor.uuid)
