"""The statistics page: labels not codes, numbers that open the list, downloads, the chart."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from ..conftest import Personas, verified_client


def test_the_analyst_sees_a_crossed_table_with_labels_and_drill_down_links(
    recorded: Personas,
) -> None:
    client = verified_client(recorded.analyst)
    page = client.get("/statistics/", {"rows": "origin", "cols": "year"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "China" in text and "Russian Federation" in text and ">CN<" not in text
    assert "counts once in each of its cells" in text
    links = re.findall(r'<a href="(/incidents/\?[^"]+)">(\d+)</a>', text)
    assert links
    for url, count in links:
        listed = client.get(url.replace("&amp;", "&")).content.decode()
        # The list says how many match: exactly the number that linked to it.
        assert f"{count} incident{'s match' if count != '1' else ' matches'}" in listed, url


def test_bad_choices_are_field_errors_not_a_failure(recorded: Personas) -> None:
    client = verified_client(recorded.viewer)
    page = client.get("/statistics/", {"rows": "origin", "cols": "origin", "started": "soon"})
    assert page.status_code == 400
    assert "Choose a dimension other than the rows" in page.content.decode()
    assert client.get("/statistics/table.csv", {"rows": "religion"}).status_code == 400


def test_the_table_downloads_as_csv_and_xlsx(recorded: Personas) -> None:
    client = verified_client(recorded.viewer)
    query = {"rows": "tactic_category", "cols": "year", "download": "1"}
    csv = client.get("/statistics/table.csv", query)
    assert (
        csv["Content-Disposition"] == 'attachment; filename="statistics-tactic_category-year.csv"'
    )
    assert csv.content.decode().splitlines()[-1] == "Total,1,3,4"
    xlsx = client.get("/statistics/table.xlsx", query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == [
        "Tactic category \\ Year",
        "2023",
        "2024",
        "Total (incidents)",
    ]
    assert [c.value for c in sheet[sheet.max_row]] == ["Total", 1, 3, 4]


def test_the_chart_is_an_svg_and_a_png_drawn_on_the_server(recorded: Personas) -> None:
    client = verified_client(recorded.analyst)
    svg = client.get("/statistics/chart.svg", {"series": "origin", "period": "year"})
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert body.startswith("<svg") and "China" in body and "<script" not in body
    png = client.get("/statistics/chart.png", {"series": "tactic", "period": "month"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
