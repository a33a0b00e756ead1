"""The statistics page, its downloads and its chart. Thin: parse, count, render."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.decorators import member_required, request_user
from beyondreach.statistics.charts import Series, series_of, series_png, series_svg, time_series
from beyondreach.statistics.dimensions import HOST, Key
from beyondreach.statistics.flows import (
    ORIGIN,
    YEAR,
    Flows,
    flows_csv,
    flows_xlsx,
    statistics_flows,
)
from beyondreach.statistics.forms import TABLE_FIELDS, ReportForm, StatisticsForm, with_defaults
from beyondreach.statistics.maps import WorldMap, map_png, map_svg, world_map
from beyondreach.statistics.report import (
    Period,
    month_series,
    report_months,
    statistics_report,
)
from beyondreach.statistics.selectors import PageTables, Table, statistics_table
from beyondreach.statistics.tables import table_csv, table_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Number:
    value: int
    url: str | None  # the incident list showing exactly these incidents; None: it cannot


@dataclass(frozen=True)
class Line:
    label: str
    cells: list[Number]
    total: Number


def _form(request: HttpRequest) -> StatisticsForm:
    return StatisticsForm(with_defaults(request.GET))


def _filters(form: StatisticsForm) -> IncidentFilters:
    c = form.cleaned_data
    return IncidentFilters(
        **{k: v for k, v in c.items() if k not in TABLE_FIELDS and v not in (None, "")}
    )


def _table(request: HttpRequest, form: StatisticsForm) -> Table:
    c = form.cleaned_data
    return statistics_table(
        request_user(request),
        _filters(form),
        rows=c["rows"],
        cols=c["cols"] or None,
        measure=c["measure"],
        source=c["source"],
    )


def _series(request: HttpRequest, form: StatisticsForm) -> Series:
    c = form.cleaned_data
    return time_series(
        request_user(request),
        _filters(form),
        series=c["series"],
        period=c["period"],
        top=c["top"],
        measure=c["measure"],
        source=c["source"],
    )


def _map(request: HttpRequest, form: StatisticsForm) -> WorldMap:
    c = form.cleaned_data
    return world_map(
        request_user(request),
        _filters(form),
        by=c["map_by"],
        measure=c["measure"],
        source=c["source"],
    )


def _flows(request: HttpRequest, form: StatisticsForm, total: int | None = None) -> Flows:
    return statistics_flows(
        request_user(request),
        _filters(form),
        measure=form.cleaned_data["measure"],
        source=form.cleaned_data["source"],
        total=total,
    )


FLOWS_SHOWN = 50  # the page's; the downloads have them all


def _flows_context(request: HttpRequest, form: StatisticsForm, total: int) -> dict[str, Any]:
    found = _flows(request, form, total)
    return {
        "lines": [
            (
                ORIGIN.name(f.origin),
                HOST.name(f.host),
                YEAR.name(f.year),
                Number(f.value, list_url(found.drill(f))),
            )
            for f in found.flows[:FLOWS_SHOWN]
        ],
        "count": len(found.flows),
        "shown": min(len(found.flows), FLOWS_SHOWN),
    }


def list_url(filters: IncidentFilters | None) -> str | None:
    if filters is None:
        return None
    values = {f.name: getattr(filters, f.name) for f in fields(filters)}
    query = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items() if v}
    return reverse("incident-list") + "?" + urlencode(query)


def _number(table: Table, value: int, row: Key | bool, col: Key | bool) -> Number:
    return Number(value, list_url(table.drill(row, col)) if value else None)


def _lines(table: Table) -> list[Line]:
    cols = list(table.col_totals)
    return [
        Line(
            table.rows.name(row),
            [_number(table, table.value(row, c), row, c) for c in cols],
            _number(table, total, row, False),
        )
        for row, total in table.row_totals.items()
    ]


def _map_context(found: WorldMap) -> dict[str, Any]:
    table, missing = found.table, set(found.not_drawn())
    return {
        "title": found.title,
        "by": table.rows.label,
        "lines": [
            Line(
                table.rows.name(key) + (" *" if key in missing else ""),
                [],
                _number(table, n, key, False),
            )
            for key, n in table.row_totals.items()
        ],
        "missing": bool(missing),
        "drawn": bool(found.countries()),
    }


@member_required()
@require_safe
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict[str, Any] = {"form": form, "query": urlencode(form.data)}
    if form.is_valid():
        chosen = form.cleaned_data
        # The table, the chart's and the map's: each distinct one counted once.
        tables = PageTables(
            request_user(request), _filters(form), chosen["measure"], chosen["source"]
        )
        table = tables.table(chosen["rows"], chosen["cols"] or None)
        series = series_of(tables.table(chosen["series"], chosen["period"]), chosen["top"])
        drawn = WorldMap(tables.table(chosen["map_by"]))
        context |= {
            "table": table,
            "lines": _lines(table),
            "col_labels": [table.cols.name(c) for c in table.col_totals] if table.cols else [],
            "col_totals": [_number(table, n, False, c) for c, n in table.col_totals.items()],
            "total": _number(table, table.total, False, False),
            "series": series,
            "map": _map_context(drawn),
            # The flows count the same incidents: their total is the table's.
            "flows": _flows_context(request, form, table.total),
        }
    return render(
        request, "statistics/statistics.html", context, status=400 if form.errors else 200
    )


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Some choices are not valid.", status=400, content_type="text/plain")
    if kind.startswith("map."):
        kind = kind.removeprefix("map.")
        drawn = _map(request, form)
        body: str | bytes = map_svg(drawn) if kind == "svg" else map_png(drawn)
        media = "image/svg+xml" if kind == "svg" else "image/png"
        name = f"statistics-map-{drawn.table.rows.code}.{kind}"
    elif kind.startswith("flows."):
        kind = kind.removeprefix("flows.")
        flows = _flows(request, form)
        body = flows_csv(flows) if kind == "csv" else flows_xlsx(flows)
        media = "text/csv; charset=utf-8" if kind == "csv" else XLSX
        name = f"statistics-flows.{kind}"
    elif kind in ("svg", "png"):
        series = _series(request, form)
        body = series_svg(series) if kind == "svg" else series_png(series)
        media = "image/svg+xml" if kind == "svg" else "image/png"
        name = f"statistics-chart.{kind}"
    else:
        table = _table(request, form)
        body = table_csv(table) if kind == "csv" else table_xlsx(table)
        media = "text/csv; charset=utf-8" if kind == "csv" else XLSX
        name = f"statistics-{table.rows.code}{'-' + table.cols.code if table.cols else ''}.{kind}"
    response = HttpResponse(body, content_type=media)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@member_required()
@require_safe
def statistics_download(request: HttpRequest, kind: str) -> HttpResponse:
    return _download(request, kind)


def _report_period(request: HttpRequest) -> tuple[ReportForm, Period | None]:
    form = ReportForm(request.GET)
    return form, form.period(timezone.localdate()) if form.is_valid() else None


def _map_query(period: Period, source: str) -> str:
    """The statistics page's map of the same incidents, by host country."""
    filters = period.filters()
    query = {"map_by": "host", "measure": "incidents", "source": source}
    query |= {"started": filters.started} if filters.started else {}
    for name in ("date_from", "date_to"):
        value = getattr(filters, name)
        query |= {name: value.isoformat()} if value else {}
    return urlencode(query)


@member_required()
@require_safe
def statistics_report_page(request: HttpRequest) -> HttpResponse:
    """A period as one printable page: figures, series, map and the main tables."""
    form, period = _report_period(request)
    context: dict[str, Any] = {"form": form, "made": timezone.localdate()}
    if period is not None:
        source = form.chosen_source()
        report = statistics_report(request_user(request), period=period, source=source)
        context |= {
            "report": report,
            "query": urlencode({k: v for k, v in form.data.items() if v}),
            "map_query": _map_query(period, source),
        }
    status = 400 if form.errors else 200
    return render(request, "statistics/report.html", context, status=status)


@member_required()
@require_safe
def statistics_report_chart(request: HttpRequest) -> HttpResponse:
    form, period = _report_period(request)
    if period is None:
        return HttpResponse("Some choices are not valid.", status=400, content_type="text/plain")
    months = report_months(request_user(request), period=period, source=form.chosen_source())
    return HttpResponse(series_svg(month_series(months)), content_type="image/svg+xml")
