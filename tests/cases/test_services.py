from __future__ import annotations

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.inputs import SourceData
from beyondreach.cases.selectors import IncidentFilters, incident_list_visible_to
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import AuditEvent

from ..conftest import Personas
from .factories import incident_data


def test_it_records_an_incident_with_all_its_parts(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    incident.refresh_from_db()
    assert incident.title == "Red Notice against a Uyghur poet in Istanbul"
    assert {t.tactic for t in incident.tactics.all()} == {
        "host_detention",
        "interpol_abuse",
        "family_coercion",
    }
    assert incident.targets.count() == 2
    assert incident.mechanisms.get().reference == "A-1234/5-2023"
    assert AuditEvent.objects.filter(action="incident.create", record_id=incident.uuid).exists()


def test_it_finds_an_incident_by_a_name_written_in_another_script(personas: Personas) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    for query in ("Гульнара", "gulnara", "Gulnora Tokhtieva", "Ахмед"):
        found = incident_list_visible_to(personas.case_worker, IncidentFilters(q=query))
        assert found.count() == 1, query
    assert not incident_list_visible_to(personas.case_worker, IncidentFilters(q="Dilnoza")).exists()


def test_it_derives_corroborated_from_two_independent_reliable_sources(personas: Personas) -> None:
    one = incident_create(actor=personas.case_worker, data=incident_data())
    assert one.verification == m.Verification.REPORTED
    two = incident_data()
    two.sources.append(
        SourceData(
            reference="UN communication",
            kind="document",
            reliability="usually_reliable",
            independent=True,
        )
    )
    incident = incident_update(actor=personas.case_worker, incident=one, data=two)
    assert incident.verification == m.Verification.CORROBORATED


def test_it_requires_a_reason_to_override_verification(personas: Personas) -> None:
    with pytest.raises(InvalidInputError) as exc:
        incident_create(
            actor=personas.case_worker, data=incident_data(verification_override="corroborated")
        )
    assert "verification_reason" in exc.value.errors
    assert not m.Incident.objects.exists()


def test_it_refuses_writes_from_an_analyst(personas: Personas) -> None:
    with pytest.raises(PermissionDeniedError):
        incident_create(actor=personas.analyst, data=incident_data())


def test_it_keeps_every_version_in_the_history(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    incident_update(
        actor=personas.case_worker, incident=incident, data=incident_data(title="Changed title")
    )
    versions = m.RecordVersion.objects.filter(record_uuid=incident.uuid).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert "title" in versions[1].changed_fields
    assert "tactics" not in versions[1].changed_fields
    assert versions[0].snapshot != versions[1].snapshot


def test_it_accepts_the_same_origin_state_in_two_cases(personas: Personas) -> None:
    incident = incident_create(
        actor=personas.case_worker, data=incident_data(origin_states=["cn", "CN"])
    )
    assert [o.country for o in incident.origins.all()] == ["CN"]


def test_it_names_over_long_and_nul_fields_instead_of_failing_in_the_database(
    personas: Personas,
) -> None:
    data = incident_data(narrative="ok\x00")
    data.targets[1].relation = "p" * 41
    with pytest.raises(InvalidInputError) as exc:
        incident_create(actor=personas.case_worker, data=data)
    assert set(exc.value.errors) == {"narrative", "targets.1.relation"}
