"""The forms of INTERPOL cases: what a case worker types, turned into the services' input."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from beyondreach.accountability import models as am
from beyondreach.accountability.services import DATE_RANGE, FIRST_YEAR, LAST_YEAR
from beyondreach.cases.forms import COUNTRY_CHOICES, Form
from beyondreach.cases.models import DatePrecision


def _date(required: bool = False, label: str | None = None, help_text: str = "") -> forms.DateField:
    widget = forms.DateInput(
        attrs={"type": "date", "min": f"{FIRST_YEAR}-01-01", "max": f"{LAST_YEAR}-12-31"}
    )
    return forms.DateField(
        required=required,
        widget=widget,
        label=label,
        help_text=help_text,
        validators=[_plausible],
    )


def _plausible(value: dt.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(DATE_RANGE)


def _blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class CaseForm(Form):
    kind = forms.ChoiceField(choices=_blank(am.NoticeKind.choices))
    issuing_state = forms.ChoiceField(choices=COUNTRY_CHOICES, label="Issuing state")
    issued_on = _date(label="Issued on")
    issued_precision = forms.ChoiceField(
        choices=_blank(DatePrecision.choices), required=False, label="How precise is that date"
    )
    public = forms.BooleanField(required=False, label="Public on INTERPOL's website")
    status = forms.ChoiceField(choices=am.NoticeStatus.choices, initial=am.NoticeStatus.ACTIVE)
    reference = forms.CharField(
        max_length=100,
        required=False,
        label="Notice or diffusion number",
        help_text="Kept encrypted; shown only to roles that see identities.",
    )
    charge = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The charge, as the issuing state states it",
        help_text="Kept encrypted; shown only to roles that see identities.",
    )
    incidents = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="The incidents it caused",
        help_text="The detention at a border, the extradition hearing... at least one.",
    )


class CcfForm(Form):
    kind = forms.ChoiceField(
        choices=_blank(am.CcfRequestKind.choices), label="Request to the CCF for"
    )
    filed_on = _date(required=True, label="Filed on")
    admissible_on = _date(
        label="Found admissible on", help_text="When known: the CCF's clock starts then."
    )


class AdmissibleForm(Form):
    admissible_on = _date(required=True, label="Found admissible on")


class DecisionForm(Form):
    outcome = forms.ChoiceField(
        choices=_blank([c for c in am.CcfOutcome.choices if c[0] != am.CcfOutcome.PENDING]),
        label="The CCF's decision",
    )
    grounds = forms.MultipleChoiceField(
        choices=am.CcfGround.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Its grounds",
    )
    decided_on = _date(required=True, label="Decided on")


class StepForm(Form):
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, label="Country")
    kind = forms.ChoiceField(choices=_blank(am.StepKind.choices), label="Step")
    on = _date(label="On")
    note = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept encrypted; shown only to roles that see identities.",
    )


class StatusForm(Form):
    status = forms.ChoiceField(choices=am.NoticeStatus.choices, label="Status of the notice")


class DesignationForm(Form):
    listing_state = forms.ChoiceField(choices=COUNTRY_CHOICES, label="Listing state")
    authority = forms.CharField(
        max_length=200,
        required=False,
        label="Authority",
        help_text="E.g. Ministry of the Interior.",
    )
    list_name = forms.CharField(
        max_length=200, required=False, label="List", help_text="As the state names it."
    )
    designated_on = _date(label="Listed on")
    designated_precision = forms.ChoiceField(
        choices=_blank(DatePrecision.choices), required=False, label="How precise is that date"
    )
    effects = forms.MultipleChoiceField(
        choices=am.DesignationEffect.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Its effects",
    )
    status = forms.ChoiceField(choices=am.DesignationStatus.choices, label="Status")
    grounds = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The grounds, as the state states them",
        help_text="Kept encrypted; shown only to roles that see identities.",
    )
    incidents = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="The incidents it caused or came with",
        help_text="At least one.",
    )


class DesignationStepForm(Form):
    kind = forms.ChoiceField(choices=_blank(am.DesignationStepKind.choices), label="Step")
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, label="Where")
    filed_on = _date(label="Filed on")


class StepDecisionForm(Form):
    outcome = forms.ChoiceField(
        choices=_blank([c for c in am.StepOutcome.choices if c[0] != am.StepOutcome.PENDING]),
        label="Outcome",
    )
    decided_on = _date(required=True, label="Decided on")
