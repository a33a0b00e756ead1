"""Forms of the trusted partners' pages. They parse and re-display; transfer_trust.py
decides what is valid (a key, a name), and its errors land on these fields by name."""

from __future__ import annotations

from django import forms

from beyondreach.cases.forms import Form
from beyondreach.interchange.transfer_trust import NAME_LENGTH

NAME_HELP = "As the import page will name its files. Stored encrypted."


class PartnerAddForm(Form):
    key = forms.CharField(
        label="The partner's transfer key",
        max_length=400,  # 89 characters, and room for a paste wrapped across lines
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text="The one string their admin gives you, from their Import page: two keys "
        "joined by a colon. Take it from them by a channel you trust (in person, a call).",
    )
    name = forms.CharField(label="Name", max_length=NAME_LENGTH, help_text=NAME_HELP)


class PartnerRenameForm(Form):
    name = forms.CharField(label="Name", max_length=NAME_LENGTH, help_text=NAME_HELP)


class PartnerRemoveForm(Form):
    confirm = forms.BooleanField(
        label="Remove this partner: its next file will come from an unknown sender",
        error_messages={"required": "Tick the box to remove the partner."},
    )
