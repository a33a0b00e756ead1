"""The statistics page's form: what to count, by what, under the incident list's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from beyondreach.cases.forms import QuickSelect
from beyondreach.cases.views import FilterForm
from beyondreach.statistics.dimensions import DIMENSIONS
from beyondreach.statistics.maps import MAP_BY
from beyondreach.statistics.selectors import MEASURES, SOURCES

DIMENSION_CHOICES = [(d.code, d.label) for d in DIMENSIONS.values()]
TABLE_FIELDS = ("rows", "cols", "measure", "source", "series", "period", "top", "map_by")


class StatisticsForm(FilterForm):
    """The list's filters (one definition), less a target's name: counts name no one."""

    rows = forms.ChoiceField(choices=DIMENSION_CHOICES, initial="origin", label="Rows")
    cols = forms.ChoiceField(
        choices=[("", "— (one-way table)"), *DIMENSION_CHOICES], required=False, label="Columns"
    )
    measure = forms.ChoiceField(choices=list(MEASURES.items()), initial="incidents")
    source = forms.ChoiceField(choices=list(SOURCES.items()), initial="own", label="Incidents")
    series = forms.ChoiceField(
        choices=DIMENSION_CHOICES, initial="origin", label="Chart: one line per"
    )
    period = forms.ChoiceField(
        choices=[("year", "Year"), ("month", "Month")], initial="year", label="Chart: per"
    )
    top = forms.IntegerField(min_value=1, max_value=12, initial=5, label="Chart: lines (top)")
    map_by = forms.ChoiceField(choices=list(MAP_BY.items()), initial="origin", label="Map: by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["q"], self.fields["page"]
        for name in ("rows", "cols", "measure", "source", "series", "period", "map_by"):
            self.fields[name].widget = QuickSelect(choices=self.fields[name].choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("cols") and cleaned.get("cols") == cleaned.get("rows"):
            self.add_error("cols", "Choose a dimension other than the rows'.")
        if cleaned.get("series") in ("year", "month"):
            self.add_error("series", "Lines per year or month are the chart's time axis.")
        return cleaned


def with_defaults(data: Any) -> dict[str, Any]:
    """The query string, with the form's initial values for the table fields left out."""
    found = {k: v for k, v in data.items() if v}
    for name in TABLE_FIELDS:
        initial = StatisticsForm.base_fields[name].initial
        if name not in found and initial is not None:
            found[name] = str(initial)
    return found
