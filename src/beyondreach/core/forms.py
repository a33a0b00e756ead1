from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

REPLACEMENT_CHARACTER = "\ufffd"


class ReadableTextMixin(forms.Form):
    """Refuse text that arrived as bytes which are not UTF-8, naming the field.

    Django decodes form bodies with errors="replace", so damaged bytes would be stored as
    U+FFFD (�) and the writer never told. U+FFFD is how those bytes show after decoding: a
    person does not type it, and text pasted with it is already damaged, so a field holding
    it is sent back to be written again rather than stored half-readable.
    """

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            values = (
                self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else []
            )
            if any(REPLACEMENT_CHARACTER in str(v) for v in values):
                self.add_error(
                    name,
                    _(
                        "Some characters of this text could not be read (they show as �): "
                        "it was damaged on the way. Please write it again."
                    ),
                )
        return data


class LoginForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TokenForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    token = forms.RegexField(
        regex=r"^\d{6}$",
        label="Six-digit code",
        error_messages={"invalid": "Enter the six digits your authenticator app shows."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
