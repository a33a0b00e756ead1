"""Forms of the sharing pages: they parse and re-display; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from beyondreach.cases.forms import Form
from beyondreach.core.models import Organisation, User
from beyondreach.sharing.models import ShareLevel

LEVEL_HELP = {
    ShareLevel.FULL: "The record as you see it, names included, for roles that see identities. "
    "Only when every target agreed to sharing with partners.",
    ShareLevel.PSEUDONYMISED: "Dates, countries, tactics and other coded facts; names, "
    "narratives, places and references withheld, persons under a pseudonym.",
    ShareLevel.COUNTED: "Counted in the partner's statistics; the partner cannot open it.",
}


class ProposeForm(Form):
    partner_code = forms.UUIDField(
        label="The partner's sharing code",
        help_text="Their admin reads it on this page of their own account and gives it to you "
        "by a channel you trust.",
        error_messages={"invalid": "Enter a sharing code as shown on the partner's page."},
    )


class ShareForm(Form):
    partner = forms.ChoiceField(label="Partner organisation")
    level = forms.ChoiceField(
        label="What they may see",
        choices=[(v, f"{label}: {LEVEL_HELP[ShareLevel(v)]}") for v, label in ShareLevel.choices],
        widget=forms.RadioSelect,
        initial=ShareLevel.PSEUDONYMISED,
    )
    readers = forms.MultipleChoiceField(
        label="Named people",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to share with the whole partner organisation. Required for "
        "TLP:RED: then only the people ticked see it.",
    )

    def __init__(
        self,
        *args: Any,
        partners: list[Organisation],
        people: dict[int, list[User]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        partner_field = self.fields["partner"]
        readers_field = self.fields["readers"]
        assert isinstance(partner_field, forms.ChoiceField)
        assert isinstance(readers_field, forms.MultipleChoiceField)
        partner_field.choices = [("", "—"), *((str(p.uuid), p.name) for p in partners)]
        readers_field.choices = [
            (p.name, [(str(u.uuid), _person_label(u)) for u in people[p.pk]]) for p in partners
        ]


def _person_label(user: User) -> str:
    return f"{user.username} ({user.get_role_display()})"
