"""GET /api/v1/statistics: the table's shape, its refusals, and who may count what."""

from __future__ import annotations

from typing import Any

from ..api.conftest import ClientFor
from ..conftest import Personas

URL = "/api/v1/statistics"


def test_a_two_way_table_has_cells_totals_and_a_total(
    recorded: Personas, client_for: ClientFor
) -> None:
    answer = client_for(recorded.analyst).get(URL, {"rows": "origin", "cols": "tactic"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {
        *("rows", "cols", "measure", "source", "cells", "row_totals", "col_totals", "total")
    }
    assert body["source"] == "own"
    assert (body["rows"], body["cols"], body["measure"]) == ("origin", "tactic", "incidents")
    assert {"row": "CN", "col": "assault", "value": 2} in body["cells"]
    assert body["row_totals"][0] == {"row": "CN", "value": 2}
    assert {"col": "assault", "value": 2} in body["col_totals"]
    assert body["total"] == 4


def test_a_one_way_table_filtered_like_the_list(recorded: Personas, client_for: ClientFor) -> None:
    query: dict[str, Any] = {"rows": "year", "origin": "cn", "measure": "targets"}
    body = client_for(recorded.viewer).get(URL, query).json()
    assert body["cols"] is None and body["col_totals"] == []
    assert body["cells"] == [
        {"row": "2023", "col": None, "value": 1},
        {"row": "2024", "col": None, "value": 2},
    ]
    assert body["total"] == 3


def test_an_unknown_dimension_is_a_422_naming_the_field(
    recorded: Personas, client_for: ClientFor
) -> None:
    client = client_for(recorded.analyst)
    answer = client.get(URL, {"rows": "religion"})
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["rows"]
    assert client.get(URL, {"rows": "origin", "cols": "nope"}).json()["errors"].keys() == {"cols"}
    assert client.get(URL, {"rows": "origin", "measure": "x"}).status_code == 422
    assert client.get(URL, {"rows": "origin", "started": "24"}).status_code == 422
    assert client.get(URL).status_code == 422


def test_a_name_is_no_statistics_filter(recorded: Personas, client_for: ClientFor) -> None:
    answer = client_for(recorded.case_worker).get(URL, {"rows": "origin", "q": "Aziz"})
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["q"]


def test_every_role_counts_and_the_outsider_counts_only_its_own(
    recorded: Personas, client_for: ClientFor
) -> None:
    for user in (recorded.admin, recorded.case_worker, recorded.analyst, recorded.viewer):
        assert client_for(user).get(URL, {"rows": "origin"}).json()["total"] == 4
    outsider = client_for(recorded.outsider).get(URL, {"rows": "origin"}).json()
    assert outsider["row_totals"] == [{"row": "CN", "value": 1}]


def test_without_a_token_it_is_401(recorded: Personas, client: Any) -> None:
    assert client.get(URL, {"rows": "origin"}).status_code == 401
