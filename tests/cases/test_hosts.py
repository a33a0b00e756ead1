"""Where an incident took effect: several host countries, or none with the reason why; a
host country that is also an origin state only when confirmed (issue 9, item 1)."""

from __future__ import annotations

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.selectors import IncidentFilters, incident_list_visible_to
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.core.errors import InvalidInputError

from ..conftest import Personas
from .factories import incident_data


def _found(personas: Personas, host: str) -> set[int]:
    qs = incident_list_visible_to(personas.case_worker, IncidentFilters(host=host))
    return set(qs.values_list("pk", flat=True))


def test_a_designation_in_three_host_countries_is_found_by_each(personas: Personas) -> None:
    designation = incident_create(
        actor=personas.case_worker, data=incident_data(host_countries=["gb", "TR", "CA"])
    )
    elsewhere = incident_create(actor=personas.case_worker, data=incident_data())
    assert incident_snapshot(designation)["host_countries"] == ["CA", "GB", "TR"]
    for host in ("GB", "tr", "CA"):
        assert _found(personas, host) == {designation.pk} | (
            {elsewhere.pk} if host.upper() == "TR" else set()
        )
    # Once each, though it has three host rows.
    assert incident_list_visible_to(personas.case_worker, IncidentFilters()).count() == 2


def test_no_host_country_is_said_with_its_reason_and_filtered_by_it(personas: Personas) -> None:
    plane = incident_create(
        actor=personas.case_worker,
        data=incident_data(host_countries=[], host_reason=m.HostReason.IN_TRANSIT),
    )
    family = incident_create(
        actor=personas.case_worker,
        data=incident_data(host_countries=[], host_reason=m.HostReason.ORIGIN_ONLY),
    )
    hosted = incident_create(actor=personas.case_worker, data=incident_data())
    assert _found(personas, "none") == {plane.pk, family.pk}
    assert _found(personas, "in_transit") == {plane.pk}
    assert _found(personas, "origin_only") == {family.pk}
    assert _found(personas, "unknown") == set()
    assert _found(personas, "TR") == {hosted.pk}
    assert not plane.hosts.exists() and plane.host_reason == "in_transit"


@pytest.mark.parametrize(
    ("hosts", "reason", "field"),
    [
        ([], "", "host_countries"),  # neither: where did it take effect?
        (["TR"], "unknown", "host_reason"),  # both
        ([], "at_sea", "host_reason"),  # not a reason we know
        (["TR", "tr"], "", "host_countries"),  # twice
        (["XX"], "", "host_countries.0"),
    ],
)
def test_it_refuses_a_host_without_a_clear_answer(
    personas: Personas, hosts: list[str], reason: str, field: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        incident_create(
            actor=personas.case_worker,
            data=incident_data(host_countries=hosts, host_reason=reason),
        )
    assert field in refused.value.errors
    assert not m.Incident.objects.exists()


def test_a_host_that_is_also_the_origin_state_needs_a_confirmation(personas: Personas) -> None:
    with pytest.raises(InvalidInputError) as refused:
        incident_create(
            actor=personas.case_worker,
            data=incident_data(origin_states=["CN"], host_countries=["CN", "TR"]),
        )
    message = refused.value.errors["host_origin_confirmed"][0]
    assert "China (CN) is also an origin state" in message and "Origin state only" in message
    confirmed = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            origin_states=["CN"], host_countries=["CN", "TR"], host_origin_confirmed=True
        ),
    )
    assert confirmed.host_origin_confirmed is True
    # Edited so that the host is no longer an origin state: nothing left to confirm.
    edited = incident_update(
        actor=personas.case_worker,
        incident=confirmed,
        data=incident_data(host_countries=["TR"], host_origin_confirmed=True),
    )
    assert edited.host_origin_confirmed is False
    assert [h.country for h in edited.hosts.all()] == ["TR"]
