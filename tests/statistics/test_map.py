"""The world map: drawn on the server from the shipped shapes, its numbers as a table."""

from __future__ import annotations

import re

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.statistics.maps import drawn_ids, map_spec, numeric_code, world_map

from ..conftest import Personas, verified_client


def test_countries_are_keyed_by_their_numeric_code_and_small_ones_are_not_drawn(
    recorded: Personas,
) -> None:
    assert numeric_code("CN") == "156" and numeric_code("DE") == "276"
    assert {"156", "643", "276", "792"} <= drawn_ids()
    hosts = world_map(recorded.analyst, IncidentFilters(), by="host", measure="incidents")
    assert hosts.countries() == [("DE", 3), ("TR", 1)]
    assert hosts.not_drawn() == ["online_only"]  # a reason for no host is no country
    spec = map_spec(hosts)
    values = spec["layer"][1]["transform"][0]["from"]["data"]["values"]
    assert {"id": "276", "name": "Germany", "value": 3} in values


def test_the_map_is_an_svg_drawn_without_a_request_and_a_png(recorded: Personas) -> None:
    client = verified_client(recorded.analyst)
    svg = client.get("/statistics/map.svg", {"map_by": "origin"})
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert body.startswith("<svg") and "<script" not in body and "http" not in body.split(">", 1)[1]
    assert "Incidents by origin state" in body
    assert len(re.findall(r"<path", body)) > 150  # every country's shape
    png = client.get("/statistics/map.png", {"map_by": "host", "download": "1"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png["Content-Disposition"] == 'attachment; filename="statistics-map-host.png"'


def test_the_page_shows_the_map_and_its_numbers_with_drill_down_links(
    recorded: Personas,
) -> None:
    client = verified_client(recorded.viewer)
    text = client.get("/statistics/", {"map_by": "host"}).content.decode()
    assert 'src="/statistics/map.svg?' in text
    assert "Incidents by host country: the map's numbers" in text
    assert re.search(r'<th scope="row">Germany</th><td><a href="/incidents/\?[^"]*host=DE', text)
    assert "No host: Online only *" in text
    assert "Not on the map" in text
    assert client.get("/statistics/map.svg", {"map_by": "tactic"}).status_code == 400
