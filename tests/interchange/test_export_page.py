"""The export page and its file: reached from the list with its filters, for every role."""

from __future__ import annotations

import csv
import io
import re

from ..conftest import Personas, verified_client
from .export_builders import CANARY, recorded


def test_the_list_links_to_the_export_with_its_filters_but_never_a_name(
    personas: Personas,
) -> None:
    recorded(personas.case_worker, origins=("TJ",))
    client = verified_client(personas.case_worker)

    page = client.get("/incidents/", {"origin": "TJ", "started": "2023"}).content.decode()
    assert 'href="/exports/?origin=TJ&amp;started=2023"' in page

    searched = client.post("/incidents/", {"q": "Zarina", "origin": "TJ"}).content.decode()
    [link] = re.findall(r'href="(/exports/[^"]*)"', searched)
    assert link == "/exports/?origin=TJ" and "Zarina" not in link
    assert "leaves out the name searched" in searched


def test_the_page_names_the_filters_and_counts_the_incidents(personas: Personas) -> None:
    recorded(personas.case_worker, origins=("TJ",))
    recorded(personas.case_worker, origins=("TJ",))
    recorded(personas.case_worker, origins=("CN",))

    page = verified_client(personas.case_worker).get("/exports/", {"origin": "TJ"})

    text = page.content.decode()
    assert page.status_code == 200
    assert "<dt>Origin state</dt><dd>Tajikistan</dd>" in text
    assert "2 incidents will be exported." in text
    assert 'name="origin" value="TJ"' in text  # carried to the file
    assert "Naming nobody" in text  # a case worker may choose the audience


def test_an_analyst_page_offers_no_audience_and_says_why(personas: Personas) -> None:
    text = verified_client(personas.analyst).get("/exports/").content.decode()
    assert "Every incident of your organisation" in text
    assert 'name="audience"' not in text
    assert "Your role does not see names" in text


def test_the_file_holds_the_filtered_incidents(personas: Personas) -> None:
    wanted = recorded(personas.case_worker, origins=("TJ",))
    recorded(personas.case_worker, origins=("CN",))
    client = verified_client(personas.case_worker)

    answer = client.get("/exports/file/", {"origin": "TJ", "format": "csv", "audience": "owner"})

    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment;")
    content = b"".join(answer.streaming_content).decode()  # type: ignore[attr-defined]
    [row] = list(csv.DictReader(io.StringIO(content)))
    assert row["id"] == str(wanted.uuid) and row["targets.name"] == CANARY


def test_a_bad_choice_shows_the_page_with_the_field_and_why(personas: Personas) -> None:
    client = verified_client(personas.case_worker)
    answer = client.get("/exports/file/", {"format": "pdf"})
    assert answer.status_code == 400
    assert "Select a valid choice. pdf is not one of the available choices." in (
        answer.content.decode()
    )
    bad_filter = client.get("/exports/", {"started": "soon"})
    assert bad_filter.status_code == 400
    assert "Give a year (2024) or a month (2024-03)." in bad_filter.content.decode()
