"""The export page (/exports/, from the incident list with its filters) and its file.

A name search is never carried to these pages: a name in a URL ends up in browser history
and proxy logs (cases/views.py), so the list's link leaves it out and says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beyondreach.cases.selectors import IncidentFilters, incident_match_count
from beyondreach.cases.views import FilterForm
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import InvalidInputError
from beyondreach.core.models import User
from beyondreach.interchange.export_api import export_response
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.formats import export_formats

COUNTED_UP_TO = 100_000  # the page says "more than" beyond, without reading every match
AUDIENCE_CHOICES = [
    ("owner", "With names and free text, as you see the incidents"),
    ("pseudonymised", "Naming nobody: pseudonyms, no names, no free text"),
]


# The formats most asked for first: tables, then the research codings, then the exchanges.
ORDER = ("csv", "xlsx", "fh", "dyads", "sdg16101", "ftm", "esf", "uwazi", "beyondreach")


def _order(code: str) -> tuple[int, str]:
    return (ORDER.index(code) if code in ORDER else len(ORDER), code)


class ExportForm(forms.Form):
    format = forms.ChoiceField(widget=forms.RadioSelect, label="Format")
    audience = forms.ChoiceField(
        choices=AUDIENCE_CHOICES, widget=forms.RadioSelect, label="Who reads it", required=False
    )
    to = forms.CharField(
        label="Transfer file: the receiving organisation's transfer key",
        help_text="Their admin gives it (from their Import page, or `beyondreach "
        "transfer-key`), or the name of an organisation of this server. The file opens only "
        "with their key, and is signed with this organisation's.",
        required=False,
        max_length=200,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **{"label_suffix": "", **kwargs})
        chosen = self.fields["format"]
        assert isinstance(chosen, forms.ChoiceField)
        formats = sorted(export_formats().values(), key=lambda f: _order(f.code))
        if user.role != "admin":  # a transfer file holds every record, names and files
            formats = [f for f in formats if not f.transfer]
            del self.fields["to"]
        chosen.choices = [(f.code, f"{f.label}. {f.description}".strip()) for f in formats]
        if not user.sees_identities:
            del self.fields["audience"]  # their files name nobody in any case


def _filter_data(request: HttpRequest) -> QueryDict:
    data = request.GET.copy()
    for key in ("q", "page", "format", "audience", "to"):
        data.pop(key, None)
    return data


def _filters(form: FilterForm) -> IncidentFilters:
    return IncidentFilters(**{k: v for k, v in form.cleaned_data.items() if k != "page" and v})


def _chosen(form: FilterForm) -> list[tuple[str, str]]:
    """The filters given, as the page names them: label and value."""
    shown = []
    for name, value in form.cleaned_data.items():
        if not value or name in ("q", "page"):
            continue
        field = form.fields[name]
        text = value.isoformat() if isinstance(value, date) else str(value)
        choices = dict(getattr(field, "choices", []))
        shown.append(
            (str(field.label or name.replace("_", " ").capitalize()), choices.get(text, text))
        )
    return shown


def _page(
    request: HttpRequest, filters_form: FilterForm, form: ExportForm, status: int = 200
) -> HttpResponse:
    user = request_user(request)
    valid = filters_form.is_valid()
    count = (
        incident_match_count(user, _filters(filters_form), limit=COUNTED_UP_TO + 1) if valid else 0
    )
    context = {
        "filters_form": filters_form,
        "form": form,
        "chosen": _chosen(filters_form) if valid else [],
        "hidden": [(k, v) for k, values in _filter_data(request).lists() for v in values if v],
        "count": count,
        "more": count > COUNTED_UP_TO,
        "counted_up_to": COUNTED_UP_TO,
    }
    return render(request, "interchange/export.html", context, status=status)


@member_required()
@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters_form = FilterForm(_filter_data(request))
    form = ExportForm(initial={"format": "csv", "audience": "owner"}, user=user)
    return _page(request, filters_form, form, status=200 if filters_form.is_valid() else 400)


@member_required()
@require_safe
def export_file(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters_form = FilterForm(_filter_data(request))
    form = ExportForm(request.GET, user=user)
    if not (filters_form.is_valid() and form.is_valid()):
        return _page(request, filters_form, form, status=400)
    try:
        found = export_incidents(
            viewer=user,
            filters=_filters(filters_form),
            format=form.cleaned_data["format"],
            audience=form.cleaned_data.get("audience") or "owner",
            to=form.cleaned_data.get("to") or "",
        )
    except InvalidInputError as exc:  # a transfer file without a key, or a key not valid
        for name, messages in exc.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return _page(request, filters_form, form, status=400)
    # member_required types a view as answering an HttpResponse; Django serves any response
    # class, and this one streams.
    return export_response(found)  # type: ignore[return-value]
