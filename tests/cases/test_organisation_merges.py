"""A targeted organisation recorded twice is merged into one and the merge undone (issue 9,
item 3, "same for organisations"): incidents move, counts stay true sums, and both are
audited."""

from __future__ import annotations

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.inputs import OrganisationData
from beyondreach.cases.merges import organisation_merge, organisation_merge_undo
from beyondreach.cases.organisations import targeted_organisations_of
from beyondreach.cases.services import incident_create
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent

from ..conftest import Personas
from .factories import incident_data


def _incident(personas: Personas, *organisations: OrganisationData) -> m.Incident:
    return incident_create(
        actor=personas.case_worker, data=incident_data(organisations=list(organisations))
    )


def _radio(name: str = "Exile Voice Radio") -> OrganisationData:
    return OrganisationData(name=name, kind="media_outlet", country="GB")


def _targets(incident: m.Incident) -> list[int]:
    return sorted(o.target_id for o in incident.organisation_targets.all())


@pytest.fixture
def twice(personas: Personas) -> tuple[m.Incident, m.Incident, m.Incident]:
    """The same radio recorded twice: one incident each, and a third that names both."""
    first = _incident(personas, _radio())
    second = _incident(personas, _radio("Exile Voice Radio Ltd"))
    survivor, merged = (
        first.organisation_targets.get().target,
        second.organisation_targets.get().target,
    )
    both = _incident(
        personas,
        OrganisationData(organisation_uuid=survivor.uuid),
        OrganisationData(organisation_uuid=merged.uuid),
    )
    return first, second, both


def test_a_merge_moves_the_incidents_and_counts_the_organisation_once(
    personas: Personas, twice: tuple[m.Incident, m.Incident, m.Incident]
) -> None:
    first, second, both = twice
    survivor = first.organisation_targets.get().target
    merged = second.organisation_targets.get().target
    assert both.target_count == 2 + 2  # the factory's two persons, the radio twice

    organisation_merge(actor=personas.case_worker, survivor=survivor, merged=merged)

    for incident in (first, second, both):
        assert _targets(incident) == [survivor.pk]
    both.refresh_from_db()
    assert both.target_count == 2 + 1
    assert [t.pk for t in targeted_organisations_of(personas.case_worker)] == [survivor.pk]
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "targeted_organisation.merge" in actions


def test_undo_puts_every_incident_back_as_it_was(
    personas: Personas, twice: tuple[m.Incident, m.Incident, m.Incident]
) -> None:
    first, second, both = twice
    survivor = first.organisation_targets.get().target
    merged = second.organisation_targets.get().target
    before = {i.pk: _targets(i) for i in twice}

    merge = organisation_merge(actor=personas.case_worker, survivor=survivor, merged=merged)
    organisation_merge_undo(actor=personas.admin, merge=merge)

    assert {i.pk: _targets(i) for i in twice} == before
    both.refresh_from_db()
    assert both.target_count == 2 + 2
    assert len(targeted_organisations_of(personas.case_worker)) == 2
    merge.refresh_from_db()
    assert merge.undone_by == personas.admin
    # A second undo changes nothing.
    organisation_merge_undo(actor=personas.admin, merge=merge)
    assert {i.pk: _targets(i) for i in twice} == before


def test_a_merged_organisation_named_by_an_old_form_goes_to_the_survivor(
    personas: Personas, twice: tuple[m.Incident, m.Incident, m.Incident]
) -> None:
    first, second, _ = twice
    survivor = first.organisation_targets.get().target
    merged = second.organisation_targets.get().target
    organisation_merge(actor=personas.case_worker, survivor=survivor, merged=merged)
    later = _incident(personas, OrganisationData(organisation_uuid=merged.uuid))
    assert _targets(later) == [survivor.pk]


def test_merges_refuse_the_same_one_another_organisation_and_readers(
    personas: Personas, twice: tuple[m.Incident, m.Incident, m.Incident]
) -> None:
    first, second, _ = twice
    survivor = first.organisation_targets.get().target
    merged = second.organisation_targets.get().target
    with pytest.raises(InvalidInputError):
        organisation_merge(actor=personas.case_worker, survivor=survivor, merged=survivor)
    with pytest.raises(NotFoundError):
        organisation_merge(actor=personas.outsider, survivor=survivor, merged=merged)
    with pytest.raises(PermissionDeniedError):
        organisation_merge(actor=personas.analyst, survivor=survivor, merged=merged)
    organisation_merge(actor=personas.case_worker, survivor=survivor, merged=merged)
    with pytest.raises(InvalidInputError):
        organisation_merge(actor=personas.case_worker, survivor=merged, merged=survivor)
