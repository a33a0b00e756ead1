from __future__ import annotations

from ..conftest import Personas
from .conftest import ClientFor


def test_it_lists_the_vocabularies_with_their_versions(
    personas: Personas, client_for: ClientFor
) -> None:
    body = client_for(personas.analyst).get("/api/v1/vocabularies").json()
    assert {v["name"] for v in body} == {
        "tactics",
        "target_groups",
        "actor_types",
        "person_statuses",
    }
    assert all(v["version"] and v["terms"] > 0 for v in body)


def test_it_gives_codes_labels_definitions_and_mappings(
    personas: Personas, client_for: ClientFor
) -> None:
    response = client_for(personas.viewer).get("/api/v1/vocabularies/tactics")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "tactics"
    assert body["version"]
    term = next(t for t in body["terms"] if t["code"] == "interpol_abuse")
    assert term["labels"]["en"]
    assert set(term) == {"code", "category", "labels", "definitions", "mappings", "retired"}
    assert set(term["mappings"]) == {"freedom_house", "huridocs"}


def test_it_answers_404_for_an_unknown_vocabulary(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    for name in ("colours", "tactics.yaml", "..%2Fsettings"):
        response = client.get(f"/api/v1/vocabularies/{name}")
        assert response.status_code == 404, name
        assert response.json()["errors"] == {}
    assert "tactics" in client.get("/api/v1/vocabularies/colours").json()["detail"]
