"""Forms of the referral pages. They parse and re-display; services.py decides validity."""

from __future__ import annotations

from typing import Any

from django import forms

from beyondreach.cases.forms import Form
from beyondreach.referrals.models import BodyKind, ProtectionBody
from beyondreach.referrals.services import BodyData, OutcomeData


class BodyForm(Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=BodyKind.choices)
    email = forms.EmailField(label="E-mail", max_length=254)
    public_key = forms.CharField(
        label="Public key",
        required=False,
        max_length=200,
        help_text="Optional: the body's X25519 public key in base64 (libsodium sealed boxes). "
        "With it, referrals go encrypted by e-mail; without it, as a secure link.",
    )
    active = forms.BooleanField(required=False, initial=True)

    def data_for_service(self) -> BodyData:
        d = self.cleaned_data
        return BodyData(d["kind"], d["name"], d["email"], d["public_key"], d["active"])


class ReferralForm(Form):
    body = forms.ChoiceField(label="Protection body")
    follow_up_on = forms.DateField(
        label="Follow up on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: you are reminded of this date.",
    )

    def __init__(self, *args: Any, bodies: list[ProtectionBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(b.uuid), f"{b.name} ({b.get_kind_display()})") for b in bodies]


class OutcomeForm(Form):
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    outcome_on = forms.DateField(
        label="Outcome date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up_on = forms.DateField(
        label="Follow up on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed = forms.BooleanField(label="Closed: no more follow-up", required=False)

    def data_for_service(self) -> OutcomeData:
        d = self.cleaned_data
        return OutcomeData(d["outcome"], d["outcome_on"], d["follow_up_on"], d["closed"])
