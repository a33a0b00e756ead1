"""The import API: a dry run answers with the plan and writes nothing; a run is queued, the
worker runs it, and GET shows its progress and result; errors are JSON, never a 500."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from beyondreach.cases import models as m

from ..api.conftest import ClientFor, client_for  # noqa: F401 - the fixture
from ..conftest import Personas

SHEET = (Path(__file__).parent / "data" / "fh_messy.csv").read_bytes()
MAPPING = json.dumps({"values": {"origin_country": {"Persia": "IR"}}})


def _upload(**fields: object) -> dict[str, object]:
    return {"file": SimpleUploadedFile("fh.csv", SHEET, "text/csv"), "format": "fh", **fields}


def test_a_dry_run_then_a_run_followed_to_its_end(
    transactional_db: None,  # committed for real: the worker runs outside the test's transaction
    personas: Personas,
    client_for: ClientFor,  # noqa: F811
) -> None:
    client = client_for(personas.case_worker)
    dry = client.post("/api/v1/imports", _upload(dry_run="true"))
    assert dry.status_code == 201, dry.content
    body = dry.json()
    assert body["status"] == "mapping"
    assert body["plan"] == {
        "create": 3,
        "update": 0,
        "unchanged": 0,
        "rejected_rows": 3,
        "persons_linked": 0,
        "persons_to_review": 0,
    }
    assert body["unmatched"]["origin_country"] == {"Persia": 1}
    assert {"row": 6, "column": "year", "value": "20x1"}.items() <= body["errors"][1].items()
    assert m.Incident.objects.count() == 0

    run = client.post("/api/v1/imports", _upload(mapping=MAPPING))
    assert run.status_code == 201 and run.json()["status"] == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    done = client.get(f"/api/v1/imports/{run.json()['id']}").json()
    assert (done["status"], done["percent"], done["created"], done["rejected_rows"]) == (
        "done",
        100,
        4,
        2,
    )
    assert [e["row"] for e in done["errors"]] == [6, 8]


def test_bad_requests_get_json_errors_and_readers_may_not_import(
    personas: Personas,
    client_for: ClientFor,  # noqa: F811
) -> None:
    writer = client_for(personas.admin)
    wrong = writer.post("/api/v1/imports", _upload(format="sav"))
    assert wrong.status_code == 422 and "format" in wrong.json()["errors"]
    bad_map = writer.post("/api/v1/imports", _upload(mapping="[1]", dry_run="true"))
    assert bad_map.status_code == 422 and "mapping" in bad_map.json()["errors"]
    for reader in (personas.analyst, personas.viewer):
        refused = client_for(reader).post("/api/v1/imports", _upload(dry_run="true"))
        assert refused.status_code == 403, refused.content
    job = writer.post("/api/v1/imports", _upload(dry_run="true")).json()["id"]
    assert client_for(personas.outsider).get(f"/api/v1/imports/{job}").status_code == 404
