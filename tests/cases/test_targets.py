"""Targets as they are: persons, groups counted by their size with their known members
within them, and organisations recorded once; counts of targets are true sums (issue 9,
item 2)."""

from __future__ import annotations

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.export import WITHHELD, incident_snapshot, incident_view
from beyondreach.cases.inputs import (
    GroupData,
    NameData,
    OrganisationData,
    PersonData,
    TargetData,
)
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.core.errors import InvalidInputError

from ..conftest import Personas
from .factories import incident_data


def _member(name: str) -> TargetData:
    return TargetData(role="primary", member_of=0, person=PersonData(names=[NameData(name)]))


def _designation(**overrides: object) -> dict[str, object]:
    return {
        "targets": [_member("Named Exile One"), _member("Named Exile Two")],
        "groups": [GroupData(size=11, target_group="activist", description="Exiled bloggers")],
        "organisations": [
            OrganisationData(name=f"Exile Media Ltd {i}", kind="company", country="GB")
            for i in range(8)
        ],
        **overrides,
    }


def test_a_designation_of_eleven_people_and_eight_companies_counts_nineteen(
    personas: Personas,
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data(**_designation()))
    assert incident.target_count == 11 + 8  # the two named members are within the eleven
    snapshot = incident_snapshot(access_incident(personas.case_worker, incident.uuid))
    assert [t["member_of"] for t in snapshot["targets"]] == [0, 0]
    assert snapshot["groups"] == [
        {"target_group": "activist", "size": 11, "country": "", "description": "Exiled bloggers"}
    ]
    assert len(snapshot["organisations"]) == 8
    assert m.TargetedOrganisation.objects.count() == 8


def test_an_analyst_sees_sizes_and_kinds_but_no_name_or_description(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data(**_designation()))
    view = incident_view(access_incident(personas.analyst, incident.uuid), personas.analyst)
    assert view["groups"][0]["size"] == 11 and view["groups"][0]["description"] == WITHHELD
    assert {o["name"] for o in view["organisations"]} == {WITHHELD}
    assert {o["kind"] for o in view["organisations"]} == {"company"}


def test_a_second_incident_names_a_recorded_organisation_without_a_copy(
    personas: Personas,
) -> None:
    first = incident_create(actor=personas.case_worker, data=incident_data(**_designation()))
    outlet = first.organisation_targets.first()
    assert outlet is not None
    second = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            organisations=[OrganisationData(organisation_uuid=outlet.target.uuid)] * 2
        ),
    )
    assert m.TargetedOrganisation.objects.count() == 8
    assert [o.target_id for o in second.organisation_targets.all()] == [outlet.target_id]
    # Two persons of the factory, and the organisation once.
    assert second.target_count == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"groups": [GroupData(size=0)]}, "groups.0.size"),
        ({"groups": [GroupData(size=1)]}, "groups.0.size"),  # smaller than its 2 members
        ({"groups": []}, "targets.0.member_of"),  # a member of no group
        ({"groups": [GroupData(size=5, target_group="aliens")]}, "groups.0.target_group"),
        ({"organisations": [OrganisationData(name=" ")]}, "organisations.0.name"),
        ({"organisations": [OrganisationData(name="X", kind="cult")]}, "organisations.0.kind"),
    ],
)
def test_it_refuses_groups_and_organisations_that_do_not_add_up(
    personas: Personas, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        incident_create(actor=personas.case_worker, data=incident_data(**_designation(**overrides)))
    assert field in refused.value.errors
    assert not m.Incident.objects.exists() and not m.TargetedOrganisation.objects.exists()


def test_an_edit_replaces_the_groups_and_recounts(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data(**_designation()))
    edited = incident_update(
        actor=personas.case_worker,
        incident=access_incident(personas.case_worker, incident.uuid),
        data=incident_data(groups=[GroupData(size=317, target_group="exile_community")]),
    )
    assert edited.target_count == 317 + 2
    assert [g.size for g in edited.groups.all()] == [317]
    assert not edited.organisation_targets.exists()
