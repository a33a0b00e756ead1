"""A period's report: its headline figures, its incidents month by month, and its main
tables (by origin state, host country, tactic, target group, and the largest flows), as one
printable page. Every figure is the statistics' own (`statistics_table`, `statistics_flows`):
the same incidents, the same rule for incidents with several values, the same true sums of
targets.

A year is the incidents that started in it (the `started` filter, like the year and month
dimensions); a range of dates is the incident list's `date_from`/`date_to`, the incidents
whose span overlaps it, so an incident begun before the range and still going on is counted,
and is in the series as "Earlier".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.models import User
from beyondreach.statistics.charts import Series
from beyondreach.statistics.dimensions import DIMENSIONS, HOST
from beyondreach.statistics.flows import ORIGIN, YEAR, statistics_flows
from beyondreach.statistics.selectors import Table, statistics_table

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EARLIER = "Earlier"
TABLES = ("origin", "host", "tactic", "target_group")
ROWS_SHOWN = 20  # a table's largest values; the statistics page's downloads have them all
FLOWS_SHOWN = 15


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included
    year: int | None = None  # a calendar year: the incidents that started in it

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), year)

    def filters(self) -> IncidentFilters:
        if self.year is not None:
            return IncidentFilters(started=str(self.year))
        return IncidentFilters(date_from=self.first, date_to=self.last)

    def months(self) -> list[str]:
        """The months the period covers, as the month dimension writes them ("2024-03")."""
        index, end = (
            self.first.year * 12 + self.first.month - 1,
            self.last.year * 12 + self.last.month,
        )
        return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index, end)]

    def month_label(self, month: str) -> str:
        year, number = month.split("-")
        name = MONTHS[int(number) - 1]
        return name if self.year is not None else f"{name} {year}"

    @property
    def label(self) -> str:
        if self.year is not None:
            return str(self.year)
        return f"{_day(self.first)} to {_day(self.last)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


@dataclass(frozen=True)
class Line:
    label: str
    incidents: int
    targets: int


@dataclass(frozen=True)
class ReportTable:
    code: str  # the dimension's code: the table's id on the page
    heading: str  # the dimension's label
    lines: list[Line]  # the largest first, at most ROWS_SHOWN
    count: int  # values counted, shown or not
    incidents: int  # distinct incidents: not the sum of the lines
    targets: int

    @property
    def title(self) -> str:
        return f"By {self.heading.lower()}"


@dataclass(frozen=True)
class Headline:
    incidents: int
    targets: int
    origin_states: int
    host_countries: int
    freedom_house: int  # incidents meeting Freedom House's definition (a direct, physical tactic)

    @property
    def freedom_house_share(self) -> int | None:
        """Per cent, rounded; None with no incident."""
        return round(100 * self.freedom_house / self.incidents) if self.incidents else None


@dataclass(frozen=True)
class Flow:
    origin: str
    host: str
    year: str
    incidents: int


@dataclass(frozen=True)
class Report:
    period: Period
    source: str
    headline: Headline
    months: list[Line]  # one per month of the period; "Earlier" first if any began before it
    tables: list[ReportTable]
    flows: list[Flow]
    flow_count: int


def statistics_report(user: User, *, period: Period, source: str = "own") -> Report:
    """The user's counted incidents of the period, from `source` (own, partners or all)."""
    filters = period.filters()

    def count(rows: str, measure: str) -> Table:
        return statistics_table(user, filters, rows=rows, measure=measure, source=source)

    tables = {code: (count(code, "incidents"), count(code, "targets")) for code in TABLES}
    origins, origin_targets = tables["origin"]
    hosts = tables["host"][0]
    definition = count("fh_definition", "incidents")
    headline = Headline(
        incidents=origins.total,
        targets=origin_targets.total,
        origin_states=sum(1 for key in origins.row_totals if key),
        host_countries=sum(1 for key in hosts.row_totals if key and len(key) == 2),
        freedom_house=definition.row_totals.get("freedom_house", 0),
    )
    flows = statistics_flows(user, filters, measure="incidents", source=source)
    return Report(
        period,
        source,
        headline,
        report_months(user, period=period, source=source),
        [_table(code, *tables[code]) for code in TABLES],
        [
            Flow(ORIGIN.name(f.origin), HOST.name(f.host), YEAR.name(f.year), f.value)
            for f in flows.flows[:FLOWS_SHOWN]
        ],
        len(flows.flows),
    )


def _table(code: str, incidents: Table, targets: Table) -> ReportTable:
    dim = DIMENSIONS[code]
    lines = [
        Line(dim.name(key), n, targets.row_totals.get(key, 0))
        for key, n in list(incidents.row_totals.items())[:ROWS_SHOWN]
    ]
    return ReportTable(
        code, dim.label, lines, len(incidents.row_totals), incidents.total, targets.total
    )


def report_months(user: User, *, period: Period, source: str = "own") -> list[Line]:
    """One line per month of the period; first, "Earlier" if incidents began before it."""
    filters = period.filters()
    incidents, targets = (
        statistics_table(user, filters, rows="month", measure=measure, source=source).row_totals
        for measure in ("incidents", "targets")
    )
    months = period.months()
    # A month is one value per incident, so adding months up counts each incident once.
    earlier = [key for key in incidents if key and key < months[0]]
    lines = [
        Line(
            period.month_label(month),
            incidents.get(month, 0),
            targets.get(month, 0),
        )
        for month in months
    ]
    if earlier:
        before = Line(
            EARLIER, sum(incidents[k] for k in earlier), sum(targets.get(k, 0) for k in earlier)
        )
        lines.insert(0, before)
    return lines


def month_series(months: list[Line]) -> Series:
    """The chart: incidents per month, every month of the period, none left out."""
    counts = [line.incidents for line in months]
    values = {"Incidents": counts} if any(counts) else {}  # none: the chart says so
    return Series("Incidents per month", [line.label for line in months], values, "incidents")
