"""Origin-to-host flows by year: the dyads, their downloads, their drill-down and the API."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from beyondreach.cases.selectors import IncidentFilters, incident_list_visible_to
from beyondreach.statistics.flows import Flow, statistics_flows

from ..api.conftest import ClientFor
from ..conftest import Personas, verified_client


def test_an_incident_is_in_each_of_its_flows_and_once_in_the_total(recorded: Personas) -> None:
    found = statistics_flows(recorded.analyst, IncidentFilters())
    assert set(found.flows) == {
        Flow("CN", "DE", "2024", 1),
        Flow("RU", "DE", "2024", 1),  # the same incident as China's
        Flow("CN", "DE", "2023", 1),
        Flow("CN", "TR", "2023", 1),  # the same incident as the line above
        Flow("IR", "DE", "2024", 1),
        Flow("EG", "online_only", "2024", 1),  # no host country: its reason
    }
    assert found.total == 4  # the out-of-scope incident and the outsider's are not counted
    targets = statistics_flows(recorded.analyst, IncidentFilters(), measure="targets")
    assert Flow("CN", "DE", "2024", 2) in targets.flows


def test_flows_follow_the_lists_filters_and_drill_down_to_exactly_their_incidents(
    recorded: Personas,
) -> None:
    found = statistics_flows(recorded.analyst, IncidentFilters(origin="CN", started="2023"))
    assert [(f.host, f.value) for f in found.flows] == [("DE", 1), ("TR", 1)]
    for flow in statistics_flows(recorded.analyst, IncidentFilters()).flows:
        drilled = statistics_flows(recorded.analyst, IncidentFilters()).drill(flow)
        assert drilled is not None
        assert drilled.origin == flow.origin and drilled.started == flow.year
        assert incident_list_visible_to(recorded.analyst, drilled).count() == flow.value
    # A flow of another origin than the one the filters ask for cannot be listed exactly.
    only_cn = statistics_flows(recorded.analyst, IncidentFilters(origin="RU"))
    assert only_cn.drill(Flow("CN", "DE", "2024", 1)) is None
    assert statistics_flows(recorded.outsider, IncidentFilters()).total == 1


def test_the_page_shows_the_flows_with_links_and_they_download(recorded: Personas) -> None:
    client = verified_client(recorded.analyst)
    text = client.get("/statistics/").content.decode()
    assert "Flows from origin state to host country by year" in text
    flows = text.split("flows-caption", 1)[1]
    row = re.search(r"<tr><th scope=\"row\">Egypt</th>(.*?)</tr>", flows)
    assert row and "No host: Online only" in row[1] and "2024" in row[1]
    link = re.search(r'href="(/incidents/\?[^"]+)">1</a>', row[1])
    assert link
    listed = client.get(link[1].replace("&amp;", "&")).content.decode()
    assert "1 incident matches" in listed
    query = {"origin": "CN", "download": "1"}
    csv = client.get("/statistics/flows.csv", query)
    assert csv["Content-Disposition"] == 'attachment; filename="statistics-flows.csv"'
    assert csv.content.decode().splitlines() == [
        "Origin state,Host country,Year,Incidents",
        "China,Germany,2023,1",
        "China,Germany,2024,1",
        "China,Türkiye,2023,1",
        # The filter picks incidents; an incident of China and Russia has both flows.
        "Russian Federation,Germany,2024,1",
    ]
    xlsx = client.get("/statistics/flows.xlsx", query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 5
    assert client.get("/statistics/flows.csv", {"measure": "nope"}).status_code == 400


def test_the_api_answers_the_flows_with_codes(recorded: Personas, client_for: ClientFor) -> None:
    client = client_for(recorded.viewer)
    body = client.get("/api/v1/statistics/flows", {"host": "DE"}).json()
    assert body["measure"] == "incidents" and body["total"] == 3
    assert {"origin": "IR", "host": "DE", "year": "2024", "value": 1} in body["flows"]
    assert {"origin": "CN", "host": "TR", "year": "2023", "value": 1} in body["flows"]
    assert client.get("/api/v1/statistics/flows", {"measure": "x"}).status_code == 422
    assert client.get("/api/v1/statistics/flows", {"q": "Aziz"}).status_code == 422
    outsider = client_for(recorded.outsider).get("/api/v1/statistics/flows").json()
    assert outsider["total"] == 1
