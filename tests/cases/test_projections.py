"""What each audience outside the organisation reads of an incident is an allow-list of the
snapshot, checked field by field: a field added to the snapshot fails here until someone
decides who may read it (issue 9, item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from beyondreach.cases.export import (
    PARTNER,
    PROTECTION_BODY,
    WITHHELD,
    Projection,
    incident_snapshot,
    project,
)
from beyondreach.cases.inputs import ActorData, GroupData, OrganisationData, ResponseData
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import incident_create

from ..conftest import Personas
from .factories import incident_data

# Per audience: the snapshot's keys it never reads, and per part the item keys it never reads.
LEFT_OUT: dict[str, tuple[set[str], dict[str, set[str]]]] = {
    "partner": (
        {"assignee", "scope_reason"},
        {"targets": {"person"}, "sources": {"id"}, "organisations": {"organisation"}},
    ),
    "protection body": (
        {"assignee", "version", "due_date", "scope", "scope_criteria", "scope_reason"},
        {"targets": {"person"}, "sources": {"id"}, "organisations": {"organisation"}},
    ),
}
PROJECTIONS: dict[str, Projection] = {"partner": PARTNER, "protection body": PROTECTION_BODY}


@pytest.fixture
def snapshot(personas: Personas) -> dict[str, Any]:
    incident = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            groups=[GroupData(size=3, description="Three students")],
            actors=[ActorData(role="perpetrator", actor_type="police", name="Officer")],
            responses=[ResponseData(kind="referral", description="Sent")],
            organisations=[OrganisationData(name="Exile Radio", kind="media_outlet")],
            assignee_uuid=personas.case_worker.uuid,
            place="Istanbul",
            coordinates="41.0082,28.9784",
            verification_override="corroborated",
            verification_reason="The family confirmed it to us.",
            scope="borderline",
            scope_reason="No clear state link yet.",
        ),
    )
    return incident_snapshot(access_incident(personas.case_worker, incident.uuid))


@pytest.mark.parametrize("audience", sorted(PROJECTIONS))
def test_every_field_of_the_snapshot_is_decided_for_each_audience(
    snapshot: dict[str, Any], audience: str
) -> None:
    projection, (left_out, left_out_of_parts) = PROJECTIONS[audience], LEFT_OUT[audience]
    assert set(snapshot) == set(projection) | left_out, "decide who reads the new field"
    assert not set(projection) & left_out
    for part, keep in projection.items():
        if keep is not None:
            items = snapshot[part]
            assert items, part  # the fixture has one of each part
            assert set(items[0]) == keep | left_out_of_parts.get(part, set()), part


@pytest.mark.parametrize("audience", sorted(PROJECTIONS))
def test_an_audience_reads_exactly_its_allow_list(snapshot: dict[str, Any], audience: str) -> None:
    projection, (left_out, left_out_of_parts) = PROJECTIONS[audience], LEFT_OUT[audience]
    seen = project(snapshot, projection)
    assert set(seen) == set(projection)
    for key in left_out:
        assert key not in seen
    for part, hidden in left_out_of_parts.items():
        for item in seen[part]:
            assert not hidden & set(item), (part, item)
    # A field the snapshot gains tomorrow reaches nobody until it is allowed.
    assert "tomorrow" not in project({**snapshot, "tomorrow": "secret"}, projection)


def test_the_partner_api_schema_is_the_partner_allow_list(db: None) -> None:
    """The shared incident's OpenAPI schema is cut from the owner's by PARTNER, so it states
    exactly what a partner is sent: every allowed key, and of each part the allowed keys."""
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    shared = schemas["SharedIncidentOut"]["properties"]
    assert set(shared) == set(PARTNER) | {"shared"}
    for part, keep in PARTNER.items():
        if keep is None:
            continue
        ref = shared[part]["items"]["$ref"].rsplit("/", 1)[-1]
        assert set(schemas[ref]["properties"]) == keep, part


# What a role that sees no identities (analyst, viewer) reads of the snapshot as it is; every
# other field is withheld (cases.export.WITHHELD), and persons are named by pseudonym only.
ANALYST_WITHHELD = {
    "title",
    "narrative",
    "place",
    "coordinates",
    "verification_reason",
    "scope_reason",
}
ANALYST_WITHHELD_IN_PARTS = {
    "targets": {"name"},
    "groups": {"description"},
    "organisations": {"name"},
    "actors": {"name"},
    "legal_mechanisms": {"reference"},
    "sources": {"reference", "publisher"},
    "responses": {"description"},
}
ANALYST_PARTS = set(ANALYST_WITHHELD_IN_PARTS)


def test_the_pseudonymised_view_withholds_exactly_the_identifying_fields(
    personas: Personas, snapshot: dict[str, Any]
) -> None:
    """Field by field, as for the audiences outside: a field the snapshot gains fails here
    until someone decides whether a role without identities reads it."""
    incident = access_incident(personas.case_worker, snapshot["id"])
    pseudonymised = incident_snapshot(incident, identities=False)
    assert set(pseudonymised) == set(snapshot)
    filled = {k for k, v in snapshot.items() if v not in ("", None, []) and k not in ANALYST_PARTS}
    withheld = {k for k in filled if pseudonymised[k] != snapshot[k]}
    assert filled >= ANALYST_WITHHELD  # the fixture fills every one
    assert withheld == ANALYST_WITHHELD
    assert all(pseudonymised[k] == WITHHELD for k in withheld)
    for part, hidden in ANALYST_WITHHELD_IN_PARTS.items():
        for mine, theirs in zip(snapshot[part], pseudonymised[part], strict=True):
            differ = {k for k in mine if mine[k] != theirs[k]}
            assert differ == {k for k in hidden if mine[k]}, part
            assert all(theirs[k] == WITHHELD for k in differ), part
    parts_read = {
        k for k, v in snapshot.items() if isinstance(v, list) and v and isinstance(v[0], dict)
    }
    assert parts_read <= set(ANALYST_WITHHELD_IN_PARTS), "decide what the new part withholds"
