"""The publish page's forms: the public address, and one row per table to publish."""

from __future__ import annotations

from typing import Any

from django import forms

from beyondreach.statistics.forms import DIMENSION_CHOICES
from beyondreach.statistics.maps import MAP_BY
from beyondreach.statistics.publish_tables import DP, KINDS, METHODS, SUPPRESSION, ItemSpec
from beyondreach.statistics.selectors import MEASURES

SLOTS = 4  # rows of the form: the published items, then empty ones up to this many


class Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels as the other forms write them
        super().__init__(*args, **kwargs)


class AddressForm(Form):
    address = forms.SlugField(
        max_length=60,
        label="Public address",
        help_text="The page will be /p/<address>/statistics/. Letters, digits and hyphens.",
    )


class ItemForm(Form):
    """One table to publish; a row left with no rows dimension publishes nothing."""

    kind = forms.ChoiceField(choices=list(KINDS.items()), initial="table", label="Show as")
    rows = forms.ChoiceField(
        choices=[("", "— (nothing)"), *DIMENSION_CHOICES], required=False, label="Rows"
    )
    cols = forms.ChoiceField(
        choices=[("", "— (one-way table)"), *DIMENSION_CHOICES], required=False, label="Columns"
    )
    measure = forms.ChoiceField(choices=list(MEASURES.items()), initial="incidents")
    method = forms.ChoiceField(
        choices=list(METHODS.items()), initial=SUPPRESSION, label="Disclosure control"
    )
    threshold = forms.IntegerField(
        min_value=2, max_value=100, initial=10, label="Threshold (suppression)"
    )
    base = forms.IntegerField(min_value=1, max_value=10, initial=5, label="Round to (base)")
    epsilon = forms.FloatField(
        min_value=0.01, max_value=10, initial=1.0, label="Epsilon (differential privacy)"
    )

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        rows, cols, kind = c.get("rows"), c.get("cols") or None, c.get("kind")
        if not rows:
            return c
        if cols == rows:
            self.add_error("cols", "Choose a dimension other than the rows'.")
        if kind == "series" and (cols not in ("year", "month") or rows in ("year", "month")):
            self.add_error("cols", "A series has lines of the rows, per year or month.")
        if kind == "map" and (rows not in MAP_BY or cols):
            self.add_error("rows", "A map is by origin state or host country, one-way.")
        if c.get("method") == DP and c.get("measure") != "incidents":
            self.add_error("measure", "Differential privacy is offered for incident counts.")
        return c

    def spec(self) -> ItemSpec | None:
        c = self.cleaned_data
        if not c.get("rows"):
            return None
        return ItemSpec(
            kind=c["kind"],
            rows=c["rows"],
            cols=c["cols"] or None,
            measure=c["measure"],
            method=c["method"],
            threshold=c["threshold"],
            base=c["base"],
            epsilon=c["epsilon"],
        )


ItemFormSet = forms.formset_factory(ItemForm, extra=0, max_num=SLOTS, absolute_max=SLOTS)


def initial_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The published items' requests, then empty rows up to SLOTS."""
    found = [{k: v or "" for k, v in item["spec"].items()} for item in items][:SLOTS]
    blank: dict[str, Any] = {"kind": "table", "measure": "incidents", "method": SUPPRESSION}
    blank |= {"threshold": 10, "base": 5, "epsilon": 1.0}
    return found + [dict(blank) for _ in range(SLOTS - len(found))]
