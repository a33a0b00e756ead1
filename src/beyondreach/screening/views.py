"""The screening page: a case worker's open matches and the two decisions. Thin: one
selector, one service, render. Works without JavaScript (plain forms, POST/redirect/GET)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from beyondreach.cases.export import pseudonym
from beyondreach.core.decorators import member_required, request_user
from beyondreach.screening.models import MatchStatus
from beyondreach.screening.selectors import access_screening_match, screening_matches_open
from beyondreach.screening.services import screening_match_decide, screening_matches_viewed

DECIDED = {
    MatchStatus.CONFIRMED: "Recorded as a match.",
    MatchStatus.DISMISSED: "Recorded as not a match: it will not be raised again.",
}


@member_required(write=True)
@require_safe
def match_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    matches = list(screening_matches_open(user))
    screening_matches_viewed(actor=user, matches=matches)
    rows = [{"match": m, "pseudonym": pseudonym(m.person)} for m in matches]
    return render(request, "screening/list.html", {"rows": rows})


@member_required(write=True)
@require_POST
def match_decide(request: HttpRequest, match_id: str) -> HttpResponse:
    user = request_user(request)
    match = access_screening_match(user, match_id)
    decision = request.POST.get("decision", "")
    if decision not in DECIDED:
        return render(request, "400.html", {"message": "Choose a decision."}, status=400)
    screening_match_decide(actor=user, match=match, decision=decision)
    messages.success(request, DECIDED[MatchStatus(decision)])
    return redirect("screening-list")
