"""The printable report: a period's figures, series and tables, as the statistics count them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client
from .builders import record


@pytest.fixture
def year_2024(personas: Personas) -> Personas:
    """Three counted incidents of 2024; one of 2023, one out of scope, one of the outsider."""
    cw = personas.case_worker
    record(cw, origins=["CN", "RU"], tactics=["assault", "spyware"], targets=2)
    record(
        cw,
        origins=["CN"],
        tactics=["doxxing"],
        hosts=["TR", "DE"],
        start=date(2024, 7, 15),
        group="activist",
    )
    record(
        cw, origins=["IR"], tactics=["interpol_abuse"], hosts=[], start=date(2024, 7, 2), targets=3
    )
    record(cw, origins=["CN"], tactics=["assault"], start=date(2023, 5, 2))
    record(cw, origins=["CN"], tactics=["spyware"], scope=m.Scope.OUT_OF_SCOPE)
    record(personas.outsider, origins=["CN"], tactics=["assault"])
    return personas


def _figure(text: str, name: str) -> str:
    found = re.search(rf"<dt>{name}</dt><dd>([^<]+)", text)
    assert found, name
    return found.group(1).strip()


def _row(text: str, caption_id: str, label: str) -> list[str]:
    table = text[text.index(f'id="{caption_id}"') :]
    table = table[: table.index("</table>")]
    found = re.search(rf'<th scope="row">{re.escape(label)}</th>((?:<td[^>]*>[^<]*</td>)+)', table)
    assert found, (caption_id, label)
    return re.findall(r"<td[^>]*>([^<]*)</td>", found.group(1))


def test_a_year_s_report_gives_its_headline_figures_as_true_counts(year_2024: Personas) -> None:
    page = verified_client(year_2024.analyst).get("/statistics/report/", {"year": "2024"})
    assert page.status_code == 200
    text = page.content.decode()
    assert _figure(text, "Incidents") == "3"
    assert _figure(text, "Targets") == "6"  # 2 + 1 + 3: true sums, not incidents
    assert _figure(text, "Origin states") == "3"  # China, Russia, Iran
    assert _figure(text, "Host countries") == "2"  # Germany, Türkiye; "online only" is none
    assert _figure(text, "Meeting Freedom House's definition") == "33%"
    assert "(1 of 3)" in text
    assert "incidents that started in 2024" in text
    assert f"Made on {timezone.localdate():%-d %B %Y}" in text
    assert "counts once in each of its rows" in text


def test_its_tables_have_labels_and_count_an_incident_once_in_each_row(
    year_2024: Personas,
) -> None:
    text = verified_client(year_2024.viewer).get("/statistics/report/?year=2024").content.decode()
    assert _row(text, "origin-caption", "China") == ["2", "3"]
    assert _row(text, "origin-caption", "Russian Federation") == ["1", "2"]
    assert _row(text, "origin-caption", "Total (distinct)") == ["3", "6"]
    assert _row(text, "host-caption", "Germany") == ["2", "3"]
    assert _row(text, "host-caption", "No host: Online only") == ["1", "3"]
    assert _row(text, "tactic-caption", "Assault") == ["1", "2"]
    assert _row(text, "target_group-caption", "Activist") == ["1", "1"]
    assert _row(text, "flows-caption", "China") == ["Germany", "2024", "2"]
    # Every month of the year, those without an incident too.
    assert _row(text, "months-caption", "Mar") == ["1", "2"]
    assert _row(text, "months-caption", "Jul") == ["2", "4"]
    assert _row(text, "months-caption", "Dec") == ["0", "0"]
    assert ">CN<" not in text and "interpol_abuse" not in text


def test_a_range_of_dates_counts_the_incidents_under_way_in_it(year_2024: Personas) -> None:
    client = verified_client(year_2024.analyst)
    text = client.get(
        "/statistics/report/", {"date_from": "2024-07-01", "date_to": "2024-07-31"}
    ).content.decode()
    assert _figure(text, "Incidents") == "2"
    assert "1 July 2024 to 31 July 2024" in text
    assert _row(text, "months-caption", "Jul 2024") == ["2", "4"]


def test_an_incident_begun_before_the_range_is_counted_as_earlier(personas: Personas) -> None:
    record(personas.case_worker, origins=["CN"], tactics=["assault"], start=date(2024, 7, 2))
    ongoing = incident_data(
        origin_states=["IR"], tactics=["assault"], start_date=date(2024, 5, 20), ongoing=True
    )
    incident_create(actor=personas.case_worker, data=ongoing)
    text = (
        verified_client(personas.analyst)
        .get("/statistics/report/", {"date_from": "2024-07-01", "date_to": "2024-08-31"})
        .content.decode()
    )
    assert _figure(text, "Incidents") == "2"
    assert _row(text, "months-caption", "Earlier") == ["1", "2"]  # the factory names two targets
    assert _row(text, "months-caption", "Jul 2024") == ["1", "1"]
    assert _row(text, "months-caption", "Aug 2024") == ["0", "0"]


def test_without_a_period_it_shows_the_last_full_year(year_2024: Personas) -> None:
    text = verified_client(year_2024.analyst).get("/statistics/report/").content.decode()
    assert f"incidents that started in {timezone.localdate().year - 1}" in text


def test_the_chart_and_the_map_are_server_drawn_images(year_2024: Personas) -> None:
    client = verified_client(year_2024.analyst)
    text = client.get("/statistics/report/?year=2024").content.decode()
    chart = client.get("/statistics/report/chart.svg", {"year": "2024"})
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.startswith(b"<svg") and b"Jul" in chart.content
    map_src = re.search(r'<img src="(/statistics/map\.svg\?[^"]+)"', text)
    assert map_src and "map_by=host" in map_src.group(1) and "started=2024" in map_src.group(1)
    assert client.get(map_src.group(1).replace("&amp;", "&"))["Content-Type"] == "image/svg+xml"
    assert "<script" not in text.split("</head>")[1]


@pytest.mark.parametrize(
    "query, field_error",
    [
        ({"year": "next"}, "Enter a whole number."),
        ({"date_from": "2024-01-01"}, "A range needs both dates."),
        ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "The range ends before it starts."),
        ({"year": "2024", "date_from": "2024-01-01", "date_to": "2024-02-01"}, "not both"),
        ({"source": "everyone"}, "Select a valid choice."),
    ],
)
def test_bad_choices_are_field_errors(
    year_2024: Personas, query: dict[str, str], field_error: str
) -> None:
    client = verified_client(year_2024.analyst)
    page = client.get("/statistics/report/", query)
    assert page.status_code == 400
    assert field_error in page.content.decode()
    assert client.get("/statistics/report/chart.svg", query).status_code == 400


def test_the_statistics_page_links_to_the_report(year_2024: Personas) -> None:
    text = verified_client(year_2024.viewer).get("/statistics/").content.decode()
    assert 'href="/statistics/report/"' in text
