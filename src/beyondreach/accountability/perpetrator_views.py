"""Pages of perpetrators: the list with a search by name (blind index, a plain GET form), a
new one, one perpetrator with its incidents, the evidence for each and its sanctions
status, the links to incidents, and the sanctions dossier (review, then a printable page).
Thin, as views.py: parse, one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beyondreach.accountability import perpetrator_forms as pf
from beyondreach.accountability.dossier import DossierData, dossier_of, dossier_save
from beyondreach.accountability.perpetrator_models import Perpetrator, SanctionsDossier
from beyondreach.accountability.perpetrators import (
    access_perpetrator,
    access_perpetrator_link,
    link_sources,
    perpetrator_create,
    perpetrator_edit,
    perpetrator_ids_matching,
    perpetrator_link,
    perpetrator_links,
    perpetrator_list_decide,
    perpetrator_unlink,
    perpetrators_of,
)
from beyondreach.accountability.sanctions import perpetrator_sanctions
from beyondreach.accountability.views import written
from beyondreach.cases import models as cm
from beyondreach.cases.services import record_viewed
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import InvalidInputError
from beyondreach.core.models import User
from beyondreach.screening.models import PublicList

INCIDENT_CHOICES = 300  # the organisation's latest incidents offered to link


def label(perpetrator: Perpetrator, user: User) -> str:
    """A name for roles that see identities; else a code that names nobody."""
    if user.sees_identities:
        return next((n.value for n in perpetrator.names.all()), "")
    return f"{perpetrator.get_kind_display()} {str(perpetrator.uuid)[:8].upper()}"


@member_required()
@require_safe
def perpetrator_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = pf.SearchForm(request.GET or None)
    rows = perpetrators_of(user).annotate(incident_count=Count("links"))
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query and user.sees_identities:
        rows = rows.filter(pk__in=perpetrator_ids_matching(user, query))
    context = {
        "rows": [(p, label(p, user)) for p in rows[:500]],
        "form": form,
        "query": query,
    }
    return render(request, "accountability/perpetrator_list.html", context)


@member_required(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def perpetrator_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = pf.PerpetratorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        made = written(form, lambda c: perpetrator_create(actor=user, data=form.data_for_service()))
        if made is not None:
            return redirect("perpetrator-detail", perpetrator_id=made.uuid)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": "Record a perpetrator"}
    return render(request, "accountability/perpetrator_form.html", context, status=status)


@member_required(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def perpetrator_edit_view(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    if request.method == "POST":
        form = pf.PerpetratorForm(request.POST)
        if written(
            form,
            lambda c: perpetrator_edit(
                actor=user, perpetrator=perpetrator, data=form.data_for_service()
            ),
        ):
            return redirect("perpetrator-detail", perpetrator_id=perpetrator.uuid)
    else:
        form = pf.PerpetratorForm(initial=pf.PerpetratorForm.initial_from(perpetrator))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": "Edit the perpetrator", "perpetrator": perpetrator}
    return render(request, "accountability/perpetrator_form.html", context, status=status)


def _incident_choices(user: User) -> list[tuple[str, str]]:
    assert user.organisation_id is not None  # behind member_required
    incidents = cm.Incident.objects.filter(organisation_id=user.organisation_id).order_by(
        "-start_date", "-id"
    )[:INCIDENT_CHOICES]
    return [("", "—")] + [
        (str(i.uuid), f"{i.start_date or '(date not known)'} {i.title}") for i in incidents
    ]


def link_form(user: User, data: Any = None) -> pf.LinkForm:
    form = pf.LinkForm(data)
    form.fields["incident"].choices = _incident_choices(user)  # type: ignore[attr-defined]
    del form.fields["sources"]  # chosen once the incident is linked, on its own form
    return form


def link_edit_form(link: Any, data: Any = None) -> pf.LinkForm:
    chosen = {ref for ref, _ in link_sources(link)}
    form = pf.LinkForm(
        data,
        prefix=f"l{link.pk}",
        initial={
            "incident": str(link.incident.uuid),
            "role": link.role,
            "period_from": link.period_from,
            "from_precision": link.from_precision,
            "period_to": link.period_to,
            "to_precision": link.to_precision,
            "evidence": link.evidence,
            "sources": [str(s.uuid) for s in link.incident.sources.all() if s.reference in chosen],
        },
    )
    incident = form.fields["incident"]
    incident.choices = [(str(link.incident.uuid), "this incident")]  # type: ignore[attr-defined]
    incident.widget = incident.hidden_widget()
    form.fields["sources"].choices = [  # type: ignore[attr-defined]
        (str(s.uuid), f"{s.reference} ({s.get_reliability_display().lower()})")
        for s in link.incident.sources.all()
    ]
    return form


@member_required()
@require_safe
def perpetrator_detail(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    return _detail(request, perpetrator_id)


def _detail(
    request: HttpRequest, perpetrator_id: str, *, invalid: dict[str, Any] | None = None
) -> HttpResponse:
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    record_viewed(actor=user, record_type="perpetrator", record=perpetrator)
    given = invalid or {}
    edits = given.get("edit_forms", {})
    links = [
        (
            link,
            link_sources(link) if user.sees_identities else [],
            edits.get(link.pk) or (link_edit_form(link) if user.can_write else None),
        )
        for link in perpetrator_links(perpetrator)
    ]
    context = {
        "perpetrator": perpetrator,
        "label": label(perpetrator, user),
        "links": links,
        "link_form": given.get("link_form") or (link_form(user) if user.can_write else None),
        **_sanctions(perpetrator, user),
        "lists_loaded": PublicList.objects.order_by("name"),
    }
    status = 400 if invalid else 200
    return render(request, "accountability/perpetrator_detail.html", context, status=status)


@member_required(write=True)
@require_http_methods(["POST"])
def perpetrator_link_view(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    form = link_form(user, request.POST)
    if written(
        form,
        lambda c: perpetrator_link(
            actor=user, perpetrator=perpetrator, data=form.data_for_service()
        ),
    ):
        return redirect("perpetrator-detail", perpetrator_id=perpetrator.uuid)
    return _detail(request, perpetrator_id, invalid={"link_form": form})


@member_required(write=True)
@require_http_methods(["POST"])
def perpetrator_link_edit(request: HttpRequest, link_id: str) -> HttpResponse:
    user = request_user(request)
    link = access_perpetrator_link(user, link_id)
    form = link_edit_form(link, request.POST)
    perpetrator = link.perpetrator
    if written(
        form,
        lambda c: perpetrator_link(
            actor=user, perpetrator=perpetrator, data=form.data_for_service()
        ),
    ):
        return redirect("perpetrator-detail", perpetrator_id=perpetrator.uuid)
    return _detail(request, str(perpetrator.uuid), invalid={"edit_forms": {link.pk: form}})


@member_required(write=True)
@require_http_methods(["POST"])
def perpetrator_unlink_view(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    """Unlink an incident (the form's `incident`); unlinked already, nothing changes."""
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    form = pf.UnlinkForm(request.POST)
    if not form.is_valid():
        return _detail(request, perpetrator_id, invalid={"unlink_form": form})
    perpetrator_unlink(
        actor=user, perpetrator=perpetrator, incident_uuid=form.cleaned_data["incident"]
    )
    return redirect("perpetrator-detail", perpetrator_id=perpetrator.uuid)


LIST_DECIDED = {
    "match": "Recorded: this list entity is the perpetrator.",
    "not_match": "Set aside as a namesake: it no longer counts as the perpetrator's status.",
    "open": "The decision is taken back.",
}


def _sanctions(perpetrator: Perpetrator, user: User) -> dict[str, Any]:
    """The Sanctions section: the entities that are or may be the perpetrator, and apart
    the namesakes set aside. None for roles that see no names (a caption is a name)."""
    if not user.sees_identities:
        return {"sanctions": None, "set_aside": []}
    hits = perpetrator_sanctions(perpetrator)
    return {
        "sanctions": [h for h in hits if not h.set_aside],
        "set_aside": [h for h in hits if h.set_aside],
    }


@member_required(write=True)
@require_POST
def perpetrator_list_decision_view(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    """A case worker's decision on one list entity of the Sanctions section."""
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    decision = request.POST.get("decision", "")
    try:
        perpetrator_list_decide(
            actor=user,
            perpetrator=perpetrator,
            entity_ref=request.POST.get("entity", ""),
            decision=decision,
        )
    except InvalidInputError as exc:
        message = " ".join(m for found in exc.errors.values() for m in found)
        return render(request, "400.html", {"message": message}, status=400)
    messages.success(request, LIST_DECIDED[decision])
    return redirect(f"{reverse('perpetrator-detail', args=[perpetrator.uuid])}#sanctions-title")


@member_required(write=True)
@require_http_methods(["GET", "HEAD", "POST"])
def perpetrator_dossier(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    """The review: the dossier as it reads now, and the case worker's part of it."""
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    saved = SanctionsDossier.objects.filter(perpetrator=perpetrator).first()
    if request.method == "POST":
        form = pf.DossierForm(request.POST)
        if written(
            form,
            lambda c: dossier_save(
                actor=user,
                perpetrator=perpetrator,
                data=DossierData(
                    legal_basis=c["legal_basis"],
                    link_to_case=c["link_to_case"],
                    impact=c["impact"],
                    exculpatory=c["exculpatory"],
                ),
            ),
        ):
            return redirect("perpetrator-dossier", perpetrator_id=perpetrator.uuid)
    else:
        initial = {}
        if saved is not None:
            initial = {
                "legal_basis": saved.legal_basis,
                "link_to_case": saved.link_to_case,
                "impact": saved.impact,
                "exculpatory": saved.exculpatory,
            }
        form = pf.DossierForm(initial=initial)
    context = {
        "dossier": dossier_of(user, perpetrator, page="review"),
        "form": form,
        "label": label(perpetrator, user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accountability/dossier_review.html", context, status=status)


@member_required(write=True)
@require_safe
def perpetrator_dossier_print(request: HttpRequest, perpetrator_id: str) -> HttpResponse:
    user = request_user(request)
    perpetrator = access_perpetrator(user, perpetrator_id)
    if not SanctionsDossier.objects.filter(perpetrator=perpetrator).exists():
        return redirect("perpetrator-dossier", perpetrator_id=perpetrator.uuid)  # basis first
    dossier = dossier_of(user, perpetrator, page="print")
    context = {
        "dossier": dossier,
        "label": label(perpetrator, user),
        "organisation": user.organisation,
    }
    return render(request, "accountability/dossier_print.html", context)
