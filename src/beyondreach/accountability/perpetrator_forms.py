"""The forms of perpetrators, their links to incidents and the sanctions dossier."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from beyondreach.accountability.forms import _blank, _date
from beyondreach.accountability.perpetrator_models import LegalBasis, PerpetratorKind
from beyondreach.accountability.perpetrators import (
    NAMES_MAX,
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
)
from beyondreach.cases.forms import COUNTRY_CHOICES, SCRIPT_CHOICES, Form
from beyondreach.cases.models import ActorRole, DatePrecision

NAME_ROWS = 4
SEALED = "Kept encrypted; shown only to roles that see identities."


class PerpetratorForm(Form):
    kind = forms.ChoiceField(choices=_blank(PerpetratorKind.choices), label="Kind")
    state = forms.ChoiceField(choices=COUNTRY_CHOICES, label="The state it acts for")
    nationality = forms.ChoiceField(choices=COUNTRY_CHOICES, required=False, label="Nationality")
    position = forms.CharField(
        max_length=300, required=False, label="Position or title", help_text=SEALED
    )
    birth_date = forms.CharField(
        max_length=10, required=False, label="Birth date", help_text="1965-04-01 or 1965."
    )
    notes = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Notes",
        help_text=SEALED,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, NAME_ROWS + 1):
            self.fields[f"name_{i}"] = forms.CharField(
                max_length=200,
                required=i == 1,
                label=f"Name {i}",
                help_text="In any script, every spelling you know, one per field. Kept encrypted;"
                " a search finds it in any script."
                if i == 1
                else "",
            )
            self.fields[f"script_{i}"] = forms.ChoiceField(
                choices=SCRIPT_CHOICES, required=False, label=f"Script of name {i}"
            )
        order = [f"{p}_{i}" for i in range(1, NAME_ROWS + 1) for p in ("name", "script")]
        self.order_fields(["kind", *order])

    @classmethod
    def initial_from(cls, perpetrator: Any) -> dict[str, str]:
        initial = {
            "kind": perpetrator.kind,
            "state": perpetrator.state,
            "nationality": perpetrator.nationality,
            "position": perpetrator.position,
            "birth_date": perpetrator.birth_date,
            "notes": perpetrator.notes,
        }
        for i, name in enumerate(perpetrator.names.all()[:NAME_ROWS], start=1):
            initial[f"name_{i}"], initial[f"script_{i}"] = name.value, name.script
        return initial

    def data_for_service(self) -> PerpetratorData:
        c = self.cleaned_data
        names = [
            PerpetratorNameData(c[f"name_{i}"], c[f"script_{i}"])
            for i in range(1, NAME_ROWS + 1)
            if c.get(f"name_{i}", "").strip()
        ][:NAMES_MAX]
        return PerpetratorData(
            kind=c["kind"],
            state=c["state"],
            nationality=c["nationality"],
            names=names,
            position=c["position"],
            birth_date=c["birth_date"],
            notes=c["notes"],
        )


class LinkForm(Form):
    incident = forms.ChoiceField(label="Incident")
    role = forms.ChoiceField(choices=_blank(ActorRole.choices), label="Role in it")
    period_from = _date(label="Acted from")
    from_precision = forms.ChoiceField(
        choices=_blank(DatePrecision.choices), required=False, label="How precise is 'from'"
    )
    period_to = _date(label="Acted until")
    to_precision = forms.ChoiceField(
        choices=_blank(DatePrecision.choices), required=False, label="How precise is 'until'"
    )
    evidence = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence of its part",
        help_text=SEALED,
    )
    sources = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="The incident's sources that support it",
    )

    def data_for_service(self) -> LinkData:
        c = self.cleaned_data
        return LinkData(
            incident_uuid=uuid.UUID(c["incident"]),
            role=c["role"],
            period_from=c["period_from"],
            from_precision=c["from_precision"],
            period_to=c["period_to"],
            to_precision=c["to_precision"],
            evidence=c["evidence"],
            source_uuids=[uuid.UUID(s) for s in c.get("sources", [])],
        )


class UnlinkForm(Form):
    incident = forms.UUIDField(widget=forms.HiddenInput)


class SearchForm(Form):
    q = forms.CharField(max_length=200, required=False, label="Name, in any script")


class DossierForm(Form):
    legal_basis = forms.ChoiceField(choices=_blank(LegalBasis.choices), label="Legal basis")
    link_to_case = forms.CharField(
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The submitting organisation and its link to the case",
        help_text="Who you are, how you know of these incidents, whom you represent.",
    )
    impact = forms.CharField(
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Impact",
        help_text="What the acts did to the targets and their families; why sanctions.",
    )
    exculpatory = forms.CharField(
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Exculpatory information",
        help_text="Anything that speaks for the perpetrator: denials, acts to stop the abuse.",
    )
