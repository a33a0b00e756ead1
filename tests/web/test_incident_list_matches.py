"""The incident list says how many incidents match its filters, counting no further than a
cap: past it, "more than", so a filter matching most of a million incidents stays fast."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondreach.cases import views
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client


def _matches(html: str) -> str:
    found = re.search(r'<p class="matches">(.*?)</p>', html)
    assert found, html
    return found.group(1)


def _record(personas: Personas, *origins: str) -> None:
    for origin in origins:
        incident_create(actor=personas.case_worker, data=incident_data(origin_states=[origin]))


def test_the_list_says_how_many_incidents_match_its_filters(personas: Personas) -> None:
    _record(personas, "CN", "CN", "IR")
    client = verified_client(personas.case_worker)
    assert _matches(client.get("/incidents/").content.decode()) == "3 incidents match."
    assert _matches(client.get("/incidents/?origin=IR").content.decode()) == "1 incident matches."
    assert _matches(client.get("/incidents/?origin=RU").content.decode()) == "No incidents match."
    partial = client.post("/incidents/", {"origin": "CN"}, headers={"HX-Request": "true"})
    assert _matches(partial.content.decode()) == "2 incidents match."


def test_a_list_of_several_pages_counts_and_says_which_are_shown(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _record(personas, "CN", "CN", "CN", "CN", "CN")
    client = verified_client(personas.case_worker)
    first = client.get("/incidents/?origin=CN").content.decode()
    assert _matches(first) == "5 incidents match; 1 to 2 shown."
    last = client.get("/incidents/?origin=CN&page=3").content.decode()
    assert _matches(last) == "5 incidents match; 5 to 5 shown."


def test_past_the_cap_the_list_says_more_than_and_counts_no_further(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "MATCHES_COUNTED", 3)
    _record(personas, "CN", "CN", "CN", "CN", "CN")
    client = verified_client(personas.case_worker)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/incidents/?origin=CN").content.decode()
    assert _matches(page) == "More than 3 incidents match; 1 to 2 shown."
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 4" in counts[0], counts
    # Beyond the cap, the pages shown so far are the floor.
    second = client.get("/incidents/?origin=CN&page=2").content.decode()
    assert _matches(second) == "More than 4 incidents match; 3 to 4 shown."


def test_the_last_page_is_counted_from_its_rows_without_a_count(personas: Personas) -> None:
    _record(personas, "CN", "IR")
    client = verified_client(personas.case_worker)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/incidents/").content.decode()
    assert _matches(page) == "2 incidents match."
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
