"""A person recorded twice is merged into one, and the merge can be undone: incidents, names,
the name search, the history, the audit log and the incidents' target counts follow."""

from __future__ import annotations

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.inputs import NameData, PersonData, TargetData
from beyondreach.cases.merges import person_merge, person_merge_undo
from beyondreach.cases.selectors import (
    access_person,
    person_ids_matching,
    person_list_visible_to,
    record_history,
)
from beyondreach.cases.services import incident_create
from beyondreach.core.audit import audit_verify
from beyondreach.core.errors import InvalidInputError, NotFoundError
from beyondreach.core.models import AuditEvent

from ..conftest import Personas
from .factories import incident_data


def _twice(personas: Personas) -> tuple[m.Person, m.Person, m.Incident, m.Incident]:
    first = incident_create(actor=personas.case_worker, data=incident_data())
    gulnara = first.targets.get(role="primary").person
    # The same woman typed again in another script, in a second incident and in the first.
    second = incident_create(
        actor=personas.case_worker,
        data=incident_data(
            targets=[
                TargetData(
                    role="primary",
                    person=PersonData(names=[NameData("Гульнара Тохтиева", "Cyrl")]),
                )
            ]
        ),
    )
    twin = second.targets.get().person
    m.IncidentTarget.objects.create(
        organisation=first.organisation, incident=first, person=twin, role="bystander"
    )
    m.Incident.objects.filter(pk=first.pk).update(target_count=3)
    return gulnara, twin, first, second


def test_a_merge_moves_incidents_and_names_and_an_undo_restores_them(
    personas: Personas,
) -> None:
    gulnara, twin, first, second = _twice(personas)
    worker = personas.case_worker
    merge = person_merge(actor=worker, survivor=gulnara, merged=twin)
    assert set(gulnara.targetings.values_list("incident_id", flat=True)) == {first.pk, second.pk}
    assert not twin.targetings.exists()
    # She was twice a target of the first incident: once now, and counted once.
    first.refresh_from_db()
    assert first.targets.filter(person=gulnara).count() == 1 and first.target_count == 2
    assert "Гульнара Тохтиева" in [n.value for n in gulnara.names.all()]
    assert person_ids_matching(worker, "Гульнара") == [gulnara.pk]
    assert twin not in person_list_visible_to(worker)
    assert record_history(worker, gulnara.uuid)[0].version.action == "merge"

    person_merge_undo(actor=worker, merge=merge)
    twin.refresh_from_db()
    assert twin.merged_into_id is None and twin in person_list_visible_to(worker)
    assert set(twin.targetings.values_list("incident_id", "role")) == {
        (second.pk, "primary"),
        (first.pk, "bystander"),
    }
    assert [n.value for n in gulnara.names.all()] == ["Gulnara Tokhtieva", "Гульнара Тохтиева"]
    first.refresh_from_db()
    assert first.target_count == 3
    assert sorted(person_ids_matching(worker, "Гульнара")) == sorted([gulnara.pk, twin.pk])
    # Undone once: a second undo changes nothing.
    assert person_merge_undo(actor=worker, merge=merge).undone_at is not None
    actions = list(
        AuditEvent.objects.filter(action__startswith="person.merge").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["person.merge", "person.merge_undo"]
    assert audit_verify() == []


def test_a_merge_is_refused_into_itself_twice_or_across_organisations(
    personas: Personas,
) -> None:
    gulnara, twin, _, _ = _twice(personas)
    worker = personas.case_worker
    with pytest.raises(InvalidInputError):
        person_merge(actor=worker, survivor=gulnara, merged=gulnara)
    person_merge(actor=worker, survivor=gulnara, merged=twin)
    with pytest.raises(InvalidInputError):
        person_merge(actor=worker, survivor=gulnara, merged=access_person(worker, twin.uuid))
    other = incident_create(actor=personas.outsider, data=incident_data())
    stranger = other.targets.get(role="primary").person
    with pytest.raises(NotFoundError):
        person_merge(actor=worker, survivor=gulnara, merged=stranger)
    with pytest.raises(NotFoundError):
        person_merge_undo(actor=personas.outsider, merge=m.PersonMerge.objects.get())
