"""The API records a date not known with the precision "unknown" and a null start_date, and
refuses either without the other by field (issue 9 item 4)."""

from __future__ import annotations

import pytest

from beyondreach.cases import models as m

from ..conftest import Personas
from .conftest import ClientFor, incident_body

API = "/api/v1"


def test_the_api_records_an_incident_whose_date_is_not_known(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.case_worker)
    body = incident_body(start_date=None, start_precision="unknown", ongoing=True)
    created = client.post(f"{API}/incidents", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    read = client.get(f"{API}/incidents/{created.json()['id']}").json()
    assert (read["start_date"], read["start_precision"], read["ongoing"]) == (
        None,
        "unknown",
        True,
    )


@pytest.mark.parametrize(
    ("start_date", "precision", "why"),
    [
        (None, "day", "Give the date, or choose the precision “Unknown”."),
        ("2024-03-01", "unknown", "A date marked as not known has no date"),
    ],
)
def test_a_date_and_unknown_contradict_and_the_api_says_where(
    personas: Personas, client_for: ClientFor, start_date: str | None, precision: str, why: str
) -> None:
    client = client_for(personas.case_worker)
    body = incident_body(start_date=start_date, start_precision=precision)
    refused = client.post(f"{API}/incidents", body, content_type="application/json")
    assert refused.status_code == 422
    assert why in refused.json()["errors"]["start_date"][0]
    assert not m.Incident.objects.exists()
