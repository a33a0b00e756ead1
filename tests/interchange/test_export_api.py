"""GET /api/v1/exports: a streamed file under the list's filters, and its refusals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from beyondreach.cli import main
from beyondreach.core.models import AuditEvent, User
from beyondreach.core.services import api_token_create

from ..api.conftest import ClientFor, bearer
from ..conftest import Personas
from .export_builders import CANARY, recorded

URL = "/api/v1/exports"


@pytest.fixture
def client_for(db: None) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers=bearer(api_token_create(user=user, label="test")))

    return make


def _table(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_it_streams_the_filtered_incidents_as_an_attachment(
    personas: Personas, client_for: ClientFor
) -> None:
    wanted = recorded(personas.case_worker, origins=("TJ",))
    recorded(personas.case_worker, origins=("CN",))

    answer = client_for(personas.case_worker).get(URL, {"format": "csv", "origin": "tj"})

    assert answer.status_code == 200
    assert isinstance(answer, StreamingHttpResponse)
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"].startswith('attachment; filename="incidents-csv-')
    assert answer["Cache-Control"].startswith("no-store")
    [row] = _table(answer.getvalue())
    assert row["id"] == str(wanted.uuid) and row["targets.name"] == CANARY


def test_an_analyst_gets_no_names_even_asking_for_the_owners_file(
    personas: Personas, client_for: ClientFor
) -> None:
    recorded(personas.case_worker)
    answer = client_for(personas.analyst).get(URL, {"format": "csv", "audience": "owner"})
    assert answer.status_code == 200
    assert CANARY.encode() not in answer.getvalue()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({}, "format"),
        ({"format": "csv", "audience": "everyone"}, "audience"),
        ({"format": "csv", "origin": "China"}, "origin"),
    ],
)
def test_it_answers_422_naming_the_bad_field(
    personas: Personas, client_for: ClientFor, query: dict[str, str], field: str
) -> None:
    answer = client_for(personas.case_worker).get(URL, query)
    assert answer.status_code == 422
    assert field in answer.json()["errors"]


def test_anonymous_callers_get_401_and_an_outsider_none_of_our_incidents(
    personas: Personas, client_for: ClientFor
) -> None:
    recorded(personas.case_worker)
    assert Client().get(URL, {"format": "csv"}).status_code == 401
    answer = client_for(personas.outsider).get(URL, {"format": "csv"})
    assert answer.status_code == 200
    assert _table(answer.getvalue()) == []


def test_the_command_line_writes_a_pseudonymised_file_unless_asked(
    personas: Personas, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    recorded(personas.case_worker, origins=("TJ",))
    recorded(personas.case_worker, origins=("CN",))
    out = tmp_path / "fh.csv"
    base = ["export", "--org", "Safeguard Exiles"]

    assert main([*base, "--format", "csv", "--filter", "origin=TJ", "-o", str(out)]) == 0
    [row] = _table(out.read_bytes())
    assert "targets.name" not in row and CANARY not in out.read_text()

    assert main([*base, "--format", "csv", "--audience", "owner"]) == 0
    assert capsysbinary.readouterr().out.count(CANARY.encode()) == 2
    event = AuditEvent.objects.filter(action="incident.export").latest("seq")
    assert event.actor is None and event.detail["by"] == "command line"


def test_the_command_line_refuses_bad_input(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["export", "--org", "Safeguard Exiles"]
    assert main([*base, "--format", "pdf"]) == 1
    assert "No export format 'pdf'" in capsys.readouterr().err
    assert main([*base, "--format", "csv", "--filter", "started=soon"]) == 1
    assert "started" in capsys.readouterr().err
    assert main(["export", "--org", "Nobody", "--format", "csv"]) == 1
