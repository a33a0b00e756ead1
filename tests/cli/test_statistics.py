"""`beyondreach statistics`: the API's table on the command line."""

from __future__ import annotations

import json

import pytest

from beyondreach.cli import main

from ..conftest import Personas
from ..statistics.conftest import recorded  # noqa: F401 - the incidents counted


def test_it_prints_a_two_way_table_as_csv_with_labels(
    recorded: Personas,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["statistics", "--org", "Safeguard Exiles", "--rows", "origin", "--cols", "year"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Origin state \\ Year,2023,2024,Total (incidents)"
    assert lines[1] == "China,1,1,2"
    assert lines[-1] == "Total,1,3,4"


def test_it_prints_json_filtered(
    recorded: Personas,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["statistics", "--org", "Safeguard Exiles", "--rows", "tactic", "--format", "json"]
    assert main([*args, "--filter", "origin=CN", "--filter", "started=2024"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["total"] == 1
    assert {c["row"] for c in body["cells"]} == {"assault", "spyware"}


def test_it_refuses_bad_filters_and_unknown_organisations(
    recorded: Personas,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["statistics", "--rows", "origin"]
    assert main([*base, "--org", "Nobody"]) == 1
    assert main([*base, "--org", "Safeguard Exiles", "--filter", "started=soon"]) == 1
    assert "started" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main([*base, "--org", "Safeguard Exiles", "--cols", "religion"])
    assert usage.value.code == 2


def test_it_prints_the_flows(
    recorded: Personas,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["statistics", "--org", "Safeguard Exiles", "--flows", "--filter", "origin=EG"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Origin state,Host country,Year,Incidents",
        "Egypt,No host: Online only,2024,1",
    ]
    assert main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["flows"] == [
        {"origin": "EG", "host": "online_only", "year": "2024", "value": 1}
    ]
    assert main(["statistics", "--org", "Safeguard Exiles"]) == 1
    assert "--rows" in capsys.readouterr().err
