"""Forms of the alerts pages. They parse and re-display; services.py decides what is valid,
and its field errors are put back on the fields (`place`)."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms

from beyondreach.alerts.models import DeadlineKind
from beyondreach.alerts.services import DeadlineData, FocalPointData, RuleData
from beyondreach.cases.forms import COUNTRIES, Form, set_choices
from beyondreach.vocab.loader import vocabulary

UUID_IN_TEXT = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def place(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """A service's field errors, on the field they name (else on the whole form)."""
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class EmailForm(Form):
    email = forms.EmailField(label="Send my alerts and reminders to", max_length=254)


class RuleForm(Form):
    host_countries = forms.MultipleChoiceField(
        choices=COUNTRIES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Host countries",
        help_text="Where the incident took place. None chosen: any. Ctrl or Shift for several.",
    )
    origin_states = forms.MultipleChoiceField(
        choices=COUNTRIES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Origin states",
        help_text="The state behind the incident. None chosen: any.",
    )
    tactics = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any tactic.",
    )
    target_groups = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Target groups",
        help_text="None ticked: any group.",
    )
    urgent_only = forms.BooleanField(
        required=False,
        label="Urgent incidents only",
        help_text="Urgent incidents are sent at once; without this, the others come in a "
        "daily digest.",
    )
    active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "tactics", vocabulary("tactics").choices())
        set_choices(self, "target_groups", vocabulary("target_groups").choices())

    def data_for_service(self) -> RuleData:
        c = self.cleaned_data
        return RuleData(
            origin_states=c["origin_states"],
            host_countries=c["host_countries"],
            tactics=c["tactics"],
            target_groups=c["target_groups"],
            urgent_only=c["urgent_only"],
            active=c["active"],
        )


class FocalPointForm(Form):
    name = forms.CharField(
        max_length=200, help_text='The authority or body, e.g. "Asylum unit, Ministry of X".'
    )
    email = forms.EmailField(required=False, max_length=254, label="E-mail")
    webhook_url = forms.CharField(
        required=False,
        max_length=500,
        label="Webhook URL",
        help_text="Where signed JSON alerts are posted (https). A secret to verify them is "
        "shown once, after saving.",
    )
    active = forms.BooleanField(required=False, initial=True, label="Active")

    def data_for_service(self) -> FocalPointData:
        c = self.cleaned_data
        return FocalPointData(
            name=c["name"], email=c["email"], webhook_url=c["webhook_url"], active=c["active"]
        )


class DeadlineForm(Form):
    kind = forms.ChoiceField(choices=DeadlineKind.choices, label="What")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    assignee = forms.ChoiceField(
        required=False, label="Remind", help_text="Empty: the incident's assignee."
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Note",
        help_text="Shown only to roles that see identities; never sent by e-mail.",
    )

    def __init__(self, *args: Any, assignees: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "assignee", [("", "—"), *assignees])

    def data_for_service(self) -> DeadlineData:
        c = self.cleaned_data
        return DeadlineData(
            kind=c["kind"],
            due_on=c["due_on"],
            assignee_uuid=uuid.UUID(c["assignee"]) if c["assignee"] else None,
            note=c["note"],
        )


class NewDeadlineForm(DeadlineForm):
    incident = forms.CharField(
        max_length=300,
        label="Incident",
        help_text="Paste the incident's address (from the browser) or its ID.",
    )

    field_order = ["incident", "kind", "due_on", "assignee", "note"]

    def clean_incident(self) -> str:
        found = UUID_IN_TEXT.search(self.cleaned_data["incident"])
        if found is None:
            raise forms.ValidationError("Paste the incident's address or ID.")
        return found.group(0)
