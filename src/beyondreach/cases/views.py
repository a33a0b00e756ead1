"""Incident and person pages. Thin: parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from beyondreach.cases import models as m
from beyondreach.cases.duplicates import PersonCandidate, person_candidates
from beyondreach.cases.export import incident_view, person_view, pseudonym
from beyondreach.cases.forms import (
    COUNTRY_CHOICES,
    NEW_PERSON,
    Form,
    IncidentForm,
    NameFormSet,
    PersonForm,
    QuickSelect,
    SharedChoiceField,
    incident_data_from_forms,
    incident_initial,
    part_formsets,
    person_data_from_forms,
    person_initial,
    place_errors,
    set_choices,
)
from beyondreach.cases.merges import person_merge, person_merge_undo
from beyondreach.cases.organisations import organisation_alias, organisation_candidates
from beyondreach.cases.selectors import (
    COUNTED,
    NO_HOST,
    STARTED,
    TACTIC_CATEGORIES,
    IncidentCodes,
    IncidentFilters,
    access_incident,
    access_person,
    access_person_merge,
    incident_list_codes,
    incident_match_count,
    incident_page,
    person_incidents,
    person_merges,
    person_page,
    record_history,
)
from beyondreach.cases.services import (
    incident_create,
    incident_update,
    person_update,
    record_viewed,
)
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import ApplicationError, InvalidInputError
from beyondreach.core.models import User
from beyondreach.vocab.loader import Vocabulary, vocabulary

PAGE_SIZE = 50
# The list counts its matches up to here and says "more than" beyond: counting them all
# would read every match (incident_match_count).
MATCHES_COUNTED = 1000


DEFINITION_CHOICES = [
    ("", "Any tactic"),
    ("freedom_house", "Direct, physical (Freedom House)"),
    ("other", "No direct, physical tactic"),
]


# A host country, or none: whatever the reason, or one of them (selectors.IncidentFilters).
HOST_FILTER_CHOICES = [
    ("", "—"),
    (NO_HOST, "No host country (any reason)"),
    *[(code, f"No host country: {label}") for code, label in m.HostReason.choices],
    *COUNTRY_CHOICES[1:],
]


class FilterForm(Form):
    q = forms.CharField(required=False, label="Target's name (any script)", max_length=200)
    # QuickSelect and SharedChoiceField: the page is the most visited, and its choices were
    # its slowest part (bench/).
    origin = SharedChoiceField(
        choices=COUNTRY_CHOICES, required=False, label="Origin state", widget=QuickSelect
    )
    host = SharedChoiceField(
        choices=HOST_FILTER_CHOICES, required=False, label="Host country", widget=QuickSelect
    )
    tactic = SharedChoiceField(required=False, widget=QuickSelect)
    target_group = SharedChoiceField(required=False, widget=QuickSelect)
    date_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    date_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )
    status = SharedChoiceField(
        choices=[("", "—"), *m.CaseStatus.choices], required=False, widget=QuickSelect
    )
    verification = SharedChoiceField(
        choices=[("", "—"), *m.Verification.choices], required=False, widget=QuickSelect
    )
    scope = SharedChoiceField(
        choices=[("", "—"), *m.Scope.choices, (COUNTED, "In scope or borderline")],
        required=False,
        widget=QuickSelect,
    )
    definition = SharedChoiceField(
        choices=DEFINITION_CHOICES, required=False, label="Definition", widget=QuickSelect
    )
    tactic_category = SharedChoiceField(required=False, widget=QuickSelect)
    actor_type = SharedChoiceField(required=False, widget=QuickSelect)
    mechanism_kind = SharedChoiceField(
        choices=[("", "—"), *m.MechanismKind.choices],
        required=False,
        label="Legal mechanism",
        widget=QuickSelect,
    )
    started = forms.RegexField(
        regex=STARTED,
        required=False,
        max_length=7,
        label="Started in (year or month)",
        help_text="2024 or 2024-03",
        error_messages={"invalid": "Give a year (2024) or a month (2024-03)."},
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "tactic", [("", "—"), *vocabulary("tactics").choices()])
        set_choices(self, "target_group", [("", "—"), *vocabulary("target_groups").choices()])
        set_choices(self, "tactic_category", [("", "—"), *TACTIC_CATEGORIES.items()])
        set_choices(self, "actor_type", [("", "—"), *vocabulary("actor_types").choices()])


@member_required()
@require_http_methods(["GET", "HEAD", "POST"])
def incident_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    data = _search_data(request)
    form = FilterForm(data or None)
    rows: list[m.Incident] = []
    page, has_next, matches = 1, False, ""
    if not data or form.is_valid():
        c = form.cleaned_data if data else {}
        if c.get("q") and not user.sees_identities:
            form.add_error("q", "Your role does not see names, so it cannot search by them.")
        else:
            filters = IncidentFilters(**{k: v for k, v in c.items() if k != "page" and v})
            page = c.get("page") or 1
            found = incident_page(user, filters, page=page, page_size=PAGE_SIZE)
            rows, has_next = found.rows, found.has_next
            matches = _matches(user, filters, page=page, shown=len(rows), has_next=has_next)
    context = {
        "form": form,
        "rows": _list_rows(rows, user),
        "page": page,
        "has_next": has_next,
        "matches": matches,
    }
    template = (
        "cases/_incident_rows.html"
        if request.headers.get("HX-Request")
        else "cases/incident_list.html"
    )
    return render(request, template, context, status=400 if form.errors else 200)


def _matches(user: User, filters: IncidentFilters, *, page: int, shown: int, has_next: bool) -> str:
    """What the list says of its matches: 237 incidents match; 51 to 100 shown. Counted only
    when another page follows: on the last page the rows already tell."""
    first, last = (page - 1) * PAGE_SIZE + 1, (page - 1) * PAGE_SIZE + shown
    if not shown:
        return ""
    limit = max(MATCHES_COUNTED, last)
    total = incident_match_count(user, filters, limit=limit + 1) if has_next else last
    if total > limit:
        text = f"More than {limit:,} incidents match"
    else:
        text = f"{total:,} incident{pluralize(total, ' matches,s match')}"
    return f"{text}; {first:,} to {last:,} shown." if page > 1 or has_next else f"{text}."


@dataclass(frozen=True)
class ListRow:
    """One line of the incident list, as shown: the template only writes these out."""

    url: str
    start_date: date | None
    title: str
    origins: str
    hosts: str
    tactics: list[str]
    target_count: int  # people and organisations, a group by its size
    status: str
    verification: str
    tlp: str
    tlp_label: str


def _list_rows(incidents: list[m.Incident], viewer: User) -> list[ListRow]:
    codes, tactics = incident_list_codes(incidents), vocabulary("tactics")
    return [_list_row(incident, viewer, codes[incident.pk], tactics) for incident in incidents]


# The labels of a list row's coded columns, read once: get_FOO_display() builds the
# field's choices again on every call, and reverse() walks the URL patterns, 150 and 50
# times a page (about 1.5 ms of the list page's CPU, bench/README.md).
_STATUS, _VERIFICATION, _TLP = (
    dict(choices) for choices in (m.CaseStatus.choices, m.Verification.choices, m.Tlp.choices)
)
_ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def _detail_url(incident: m.Incident) -> str:
    return _detail_url_pattern().replace(_ZERO_UUID, str(incident.uuid))


@lru_cache(maxsize=1)
def _detail_url_pattern() -> str:
    return reverse("incident-detail", args=[_ZERO_UUID])


def _list_row(
    incident: m.Incident, viewer: User, codes: IncidentCodes, tactics: Vocabulary
) -> ListRow:
    title = incident.title if viewer.sees_identities else f"Incident {str(incident.uuid)[:8]}"
    return ListRow(
        url=_detail_url(incident),
        start_date=incident.start_date,
        title=title,
        origins=", ".join(codes.origins),
        hosts=", ".join(codes.hosts) or _no_host(incident.host_reason),
        tactics=[tactics.label(code) for code in codes.tactics],
        target_count=incident.target_count,
        status=_STATUS.get(incident.status, incident.status),
        verification=_VERIFICATION.get(incident.verification, incident.verification),
        tlp=incident.tlp,
        tlp_label=_TLP.get(incident.tlp, incident.tlp),
    )


def _no_host(reason: str) -> str:
    return f"None: {dict(m.HostReason.choices).get(reason, 'not given')}"


def _search_data(request: HttpRequest) -> QueryDict:
    """The filters of a list page: coded filters by GET, a name search only by POST.

    A name in a URL ends up in browser history, proxy logs and bookmarks; in a POST body it
    does not. So a GET drops `q`, and the page's form posts whenever a name is searched.
    """
    if request.method == "POST":
        return request.POST
    data = request.GET.copy()
    data.pop("q", None)
    return data


@member_required()
@require_safe
def incident_detail(request: HttpRequest, incident_id: str) -> HttpResponse:
    user = request_user(request)
    incident = access_incident(user, incident_id)
    record_viewed(actor=user, record_type="incident", record=incident)
    context = {
        "incident": incident,
        "view": incident_view(incident, user),
        "history": record_history(user, incident.uuid),
        "vocab": {n: vocabulary(n) for n in ("tactics", "target_groups", "actor_types")},
        # The list needs names and sizes, not the files themselves.
        "documents": list(incident.documents.defer("original_sealed", "clean_sealed")),
    }
    return render(request, "cases/incident_detail.html", context)


def _assignees(user: User) -> list[tuple[str, str]]:
    return [
        (str(u.uuid), u.username)
        for u in User.objects.filter(organisation=user.organisation, is_active=True).order_by(
            "username"
        )
    ]


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    return _incident_form(request, None)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, incident_id: str) -> HttpResponse:
    incident = access_incident(request_user(request), incident_id)
    return _incident_form(request, incident)


def _incident_form(request: HttpRequest, incident: m.Incident | None) -> HttpResponse:
    return incident_form_page(request, incident)


def incident_form_page(
    request: HttpRequest,
    incident: m.Incident | None,
    *,
    initial: tuple[dict[str, Any], dict[str, list[dict[str, Any]]]] | None = None,
    after_create: Callable[[m.Incident], None] | None = None,
) -> HttpResponse:
    """The one incident form: new, edit, or new from another record (`initial` pre-fills it,
    `after_create` links the new incident back, in the same transaction)."""
    user = request_user(request)
    assignees = _assignees(user)
    if request.method == "GET":
        head, parts = incident_initial(incident) if incident else (initial or ({}, {}))
        form = IncidentForm(initial=head, assignees=assignees)
        sets = part_formsets(initial=parts)
        return _render_form(request, form, sets, incident)
    more = request.POST.get("more", "")
    form = IncidentForm(request.POST, assignees=assignees)
    sets = part_formsets(request.POST, more=more)
    if more:  # "add a row" keeps everything typed and shows one more blank row
        return _render_form(request, form, sets, incident, validate=False)
    if form.is_valid() and all(s.is_valid() for s in sets.values()):
        asked = ask_same_person(user, sets["targets"])
        if ask_same_organisation(user, sets["organisations"]) or asked:
            return _render_form(request, form, sets, incident, status=400)
        try:
            data = incident_data_from_forms(form, sets)
            if incident is None:
                with transaction.atomic():
                    incident = incident_create(actor=user, data=data)
                    if after_create is not None:
                        after_create(incident)
            else:
                incident = incident_update(actor=user, incident=incident, data=data)
            return redirect("incident-detail", incident_id=incident.uuid)
        except InvalidInputError as exc:
            place_errors(exc.errors, form, sets)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return _render_form(request, form, sets, incident, status=400)


def ask_same_person(user: User, targets: forms.BaseFormSet) -> bool:  # type: ignore[type-arg]
    """Before a new person is made for a name typed in a target row, offer the recorded
    persons whose names match it, in any script: one typed "Гульнара Тохтиева" may be the
    "Gulnara Tokhtieva" of an earlier incident. Without JavaScript: the form comes back
    with the question, answered on the next post. True when a row asks."""
    return _ask_same(
        targets,
        "same_person",
        lambda c: [
            (str(p.uuid), _candidate_label(p))
            for p in person_candidates(user, [c.get("name") or "", c.get("other_name") or ""])
        ],
        "person",
    )


def ask_same_organisation(user: User, rows: forms.BaseFormSet) -> bool:  # type: ignore[type-arg]
    """The same question for an organisation named again: "Exile Radio" may be recorded."""
    return _ask_same(
        rows,
        "same_organisation",
        lambda c: [
            (str(o.uuid), _organisation_label(o))
            for o in organisation_candidates(user, c.get("name") or "")
        ],
        "organisation",
    )


def _ask_same(
    rows: forms.BaseFormSet,  # type: ignore[type-arg]
    field_name: str,
    candidates_of: Callable[[dict[str, Any]], list[tuple[str, str]]],
    noun: str,
) -> bool:
    asked = False
    for row in rows.forms:
        c = row.cleaned_data if row.has_changed() else {}
        if not c or c.get("DELETE") or c.get(noun):
            continue
        candidates = candidates_of(c)
        answer = c.get(field_name) or ""
        if not candidates or answer == NEW_PERSON or answer in {v for v, _ in candidates}:
            continue
        field = row.fields[field_name]
        field.widget = forms.RadioSelect(
            choices=[*candidates, (NEW_PERSON, f"A new {noun}: none of these")]
        )
        count = len(candidates)
        row.add_error(
            field_name,
            f"{count} recorded {noun}{pluralize(count)} match{pluralize(count, 'es,')} this "
            f"name. Is it the same {noun}? Choose one, or a new {noun}.",
        )
        asked = True
    return asked


def _organisation_label(o: m.TargetedOrganisation) -> str:
    kind = dict(m.OrganisationKind.choices).get(o.kind, o.kind)
    where = f", {o.country}" if o.country else ""
    return f"{o.name} ({organisation_alias(o)}; {kind}{where})"


def _candidate_label(p: PersonCandidate) -> str:
    countries = ", ".join(p.nationalities) or "nationality not recorded"
    incidents = f"in {p.incidents} incident{pluralize(p.incidents)}"
    return f"{p.name} ({p.pseudonym}; {countries}; {incidents}): {'; '.join(p.why)}"


def _render_form(
    request: HttpRequest,
    form: IncidentForm,
    sets: dict[str, Any],
    incident: m.Incident | None,
    *,
    validate: bool = True,
    status: int = 200,
) -> HttpResponse:
    if not validate:
        _hide_errors(form, *sets.values())
    context = {
        "form": form,
        "sets": sets,
        "incident": incident,
        "tactic_vocab": vocabulary("tactics"),
    }
    return render(request, "cases/incident_form.html", context, status=status)


def _hide_errors(*items: forms.Form | forms.BaseFormSet) -> None:  # type: ignore[type-arg]
    """Show bound data without errors: after "add a row", nothing was submitted for saving,
    so "this field is required" on a row not yet filled would only confuse."""
    for item in items:
        for f in item.forms if isinstance(item, forms.BaseFormSet) else [item]:
            f.errors.clear()
        if isinstance(item, forms.BaseFormSet):
            item.non_form_errors().clear()


@member_required()
@require_http_methods(["GET", "HEAD", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # Names come only by POST, never in the URL (see _search_data).
    query = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    error = ""
    if query and not user.sees_identities:
        error, persons = "Your role does not see names, so it cannot search by them.", []
    else:
        persons = person_page(user, query=query, page=1, page_size=PAGE_SIZE).rows
    rows = [(p, person_view(p, user)) for p in persons]
    return render(
        request,
        "cases/person_list.html",
        {"rows": rows, "query": query, "error": error},
        status=400 if error else 200,
    )


@member_required()
@require_safe
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    user = request_user(request)
    person = access_person(user, person_id)
    record_viewed(actor=user, record_type="person", record=person)
    context = {
        "person": person,
        "view": person_view(person, user),
        "pseudonym": pseudonym(person),
        "targetings": person_incidents(person),
        "merges": person_merges(person),
        "history": record_history(user, person.uuid),
    }
    return render(request, "cases/person_detail.html", context)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    user = request_user(request)
    person = access_person(user, person_id)
    if request.method == "GET":
        head, names = person_initial(person)
        form, name_set = PersonForm(initial=head), NameFormSet(initial=names, prefix="names")
    elif request.POST.get("more"):  # one more blank name row, nothing typed is lost
        data = request.POST.copy()
        data["names-TOTAL_FORMS"] = str(int(data.get("names-TOTAL_FORMS") or 0) + 1)
        form, name_set = PersonForm(data), NameFormSet(data, prefix="names")
        _hide_errors(form, name_set)
        return render(
            request, "cases/person_form.html", {"form": form, "names": name_set, "person": person}
        )
    else:
        form, name_set = PersonForm(request.POST), NameFormSet(request.POST, prefix="names")
        if form.is_valid() and name_set.is_valid():
            try:
                person_update(
                    actor=user, person=person, data=person_data_from_forms(form, name_set)
                )
                return redirect("person-detail", person_id=person.uuid)
            except InvalidInputError as exc:
                for path, messages in exc.errors.items():
                    field = path.split(".")[1] if "." in path else None
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/person_form.html",
        {"form": form, "names": name_set, "person": person},
        status=status,
    )


class MergeSearchForm(Form):
    q = forms.CharField(max_length=200, label="The duplicate's name (any script)")


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def person_merge_page(request: HttpRequest, person_id: str) -> HttpResponse:
    """Find the duplicate of this person by name, then merge it into this one. A name comes
    by POST only (see _search_data); without JavaScript, one page and two posts."""
    user = request_user(request)
    person = access_person(user, person_id)
    if person.merged_into_id:
        return redirect("person-detail", person_id=person.uuid)
    form = MergeSearchForm(request.POST if request.method == "POST" else None)
    candidates: list[PersonCandidate] = []
    chosen = request.POST.get("duplicate", "")
    if chosen:
        try:
            duplicate = access_person(user, chosen)
            person_merge(actor=user, survivor=person, merged=duplicate)
        except InvalidInputError as exc:
            form.add_error(None, "; ".join(m for ms in exc.errors.values() for m in ms))
        else:
            return redirect("person-detail", person_id=person.uuid)
    elif form.is_valid():
        candidates = [
            c for c in person_candidates(user, [form.cleaned_data["q"]]) if c.uuid != person.uuid
        ]
        if not candidates:
            form.add_error("q", "No other recorded person has this name.")
    context = {
        "person": person,
        "pseudonym": pseudonym(person),
        "name": next((n.value for n in person.names.all()), ""),
        "form": form,
        "candidates": [(c, _candidate_label(c)) for c in candidates],
    }
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "cases/person_merge.html", context, status=status)


@member_required(write=True)
@require_http_methods(["POST"])
def person_merge_undo_view(request: HttpRequest, merge_id: str) -> HttpResponse:
    user = request_user(request)
    merge = person_merge_undo(actor=user, merge=access_person_merge(user, merge_id))
    return redirect("person-detail", person_id=merge.survivor.uuid)
