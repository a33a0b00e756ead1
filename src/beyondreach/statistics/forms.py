"""The statistics page's form: what to count, by what, under the incident list's filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from beyondreach.cases.forms import QuickSelect
from beyondreach.cases.views import FilterForm
from beyondreach.statistics.dimensions import DIMENSIONS
from beyondreach.statistics.maps import MAP_BY
from beyondreach.statistics.report import Period
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


class ReportForm(forms.Form):
    """The report's period, a calendar year or a range of dates, and whose incidents."""

    year = forms.IntegerField(min_value=1900, max_value=2999, required=False, label="Year")
    date_from = forms.DateField(
        required=False, label="Or from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(choices=list(SOURCES.items()), required=False, label="Incidents")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].widget = QuickSelect(choices=self.fields["source"].choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if cleaned.get("year") and (first or last):
            self.add_error("year", "Choose a year or a range of dates, not both.")
        elif bool(first) != bool(last):
            self.add_error("date_to" if first else "date_from", "A range needs both dates.")
        elif first and last and first > last:
            self.add_error("date_to", "The range ends before it starts.")
        return cleaned

    def period(self, today: date) -> Period:
        """The chosen period; without one, the last full calendar year."""
        c = self.cleaned_data
        if c.get("date_from") and c.get("date_to"):
            return Period(c["date_from"], c["date_to"])
        return Period.of_year(c.get("year") or today.year - 1)

    def chosen_source(self) -> str:
        return str(self.cleaned_data.get("source") or "own")
