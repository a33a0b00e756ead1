from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.db.models import Prefetch

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.inputs import incident_validate, person_validate
from beyondreach.cases.rows import verification_derive
from beyondreach.cases.selectors import person_ids_matching
from beyondreach.core.audit import audit_verify
from beyondreach.core.models import AuditEvent, Organisation, User
from beyondreach.demo.generate import DEMO_ORG, DEMO_PASSWORD, PARTNER_ORG, THIRD_ORG, demo_load
from beyondreach.demo.plans import FICTIONAL, DemoPlanner

from ..conftest import Personas

FOUR_SCRIPTS = {"Latn", "Cyrl", "Arab", "Hans"}


def test_it_plans_the_same_incidents_for_the_same_seed() -> None:
    assert list(DemoPlanner(3).plans(60)) == list(DemoPlanner(3).plans(60))
    assert list(DemoPlanner(3).plans(60)) != list(DemoPlanner(4).plans(60))


def test_it_counts_due_dates_from_the_day_of_the_load_and_nothing_else(db: None) -> None:
    day = date(2031, 5, 1)
    plans = list(DemoPlanner(3, today=day).plans(300))
    dues = [p.data.due_date for p in plans if p.data.due_date]
    assert dues and all(10 <= (due - day).days <= 120 for due in dues)
    for plan, other in zip(plans, DemoPlanner(3, today=date(2027, 1, 1)).plans(300), strict=True):
        assert replace(plan.data, due_date=None) == replace(other.data, due_date=None)


def test_it_plans_only_valid_incidents() -> None:
    for plan in DemoPlanner(11).plans(400):
        incident_validate(plan.data)
        for target in plan.targets:
            if target.new is not None:
                person_validate(target.new)


def test_it_draws_only_live_vocabulary_codes_and_has_words_for_each() -> None:
    from beyondreach.demo import profiles, texts
    from beyondreach.demo.profiles import weights
    from beyondreach.vocab.loader import vocabulary

    live = {t.code for t in vocabulary("tactics").terms.values() if not t.retired}
    mains = {code for pr in profiles.PROFILES for code in weights(pr.tactics)[0]}
    companions = {code for spec in profiles.COMPANIONS.values() for code in weights(spec)[0]}
    assert mains | companions <= live
    assert mains <= set(texts.TITLES)
    assert mains | companions <= set(texts.STORY) & set(texts.ACTORS)
    actor_types = {t.code for t in vocabulary("actor_types").terms.values()}
    assert {a for spec in texts.ACTORS.values() for _, a, _ in spec} <= actor_types
    # The tactics added in vocabulary 1.1.0 appear in the demo, so their labels are on its pages.
    drawn = {t for plan in DemoPlanner(5).plans(2000) for t in plan.data.tactics}
    assert {"threats", "attack_on_property", "punitive_listing"} <= drawn


def test_it_weights_origin_states_roughly_like_freedom_house() -> None:
    origins = Counter(p.data.origin_states[0] for p in DemoPlanner(5).plans(4000))
    share = {code: n / 4000 for code, n in origins.items()}
    assert 0.18 < share["CN"] < 0.27
    assert origins.most_common(1)[0][0] == "CN"
    top_ten = {"CN", "TR", "TJ", "RU", "EG", "KH", "TM", "UZ", "IR", "BY"}
    assert 0.72 < sum(share[c] for c in top_ten) < 0.88
    assert {"RW", "SA", "ER"} <= set(origins)


def test_it_loads_fictional_incidents_through_the_services(db: None) -> None:
    assert demo_load(incidents=14, if_empty=False, seed=7, mode="services") == 14
    incidents = list(m.Incident.objects.order_by("pk"))
    assert len(incidents) == 14
    assert all(i.narrative.startswith(FICTIONAL) and i.title for i in incidents)
    names = m.PersonName.objects.all()
    assert {n.script for n in names} >= FOUR_SCRIPTS
    assert all(n.value for n in names)  # every name decrypts
    for incident in incidents:
        assert incident.tactics.exists() and incident.origins.exists()
        assert AuditEvent.objects.filter(action="incident.create", record_id=incident.uuid).exists()
        if not incident.verification_overridden:
            assert incident.verification == verification_derive(incident.sources.all())
    revised = m.RecordVersion.objects.filter(record_type="incident", version=2)
    assert revised.exists()
    assert audit_verify() == []


def test_it_records_relatives_back_home_for_the_person_pages(db: None) -> None:
    demo_load(incidents=30, if_empty=False, seed=7, mode="services")
    relatives = m.IncidentTarget.objects.filter(role="relative").select_related("incident")
    assert relatives.count() >= 5
    for relative in relatives:
        assert relative.relation in {"parent", "sibling", "spouse"}
        assert relative.target_group == "family_member"
        origin = relative.incident.origins.get().country
        assert relative.person.residence_country == origin
        assert relative.incident.targets.filter(role="primary").exists()


def test_it_makes_the_demo_organisations_and_their_users(db: None) -> None:
    demo_load(incidents=0, if_empty=False, seed=1)
    roles = {(u.organisation.name, u.username, u.role) for u in User.objects.all()}
    assert roles == {
        (DEMO_ORG, "demo_admin", "admin"),
        (DEMO_ORG, "demo_caseworker", "case_worker"),
        (DEMO_ORG, "demo_analyst", "analyst"),
        (DEMO_ORG, "demo_viewer", "viewer"),
        (PARTNER_ORG, "demo_partner_admin", "admin"),
        (PARTNER_ORG, "demo_partner", "case_worker"),
        (THIRD_ORG, "demo_legal_admin", "admin"),
    }
    assert User.objects.get(username="demo_viewer").check_password(DEMO_PASSWORD)


def test_it_adds_to_the_demo_organisations_when_run_again(db: None) -> None:
    demo_load(incidents=3, if_empty=False, seed=1, mode="bulk")
    demo_load(incidents=3, if_empty=False, seed=2, mode="bulk")
    assert Organisation.objects.count() == 3
    assert m.Incident.objects.count() == 6


def test_it_skips_loading_when_an_organisation_exists_if_asked(personas: Personas) -> None:
    assert demo_load(incidents=5, if_empty=True, seed=1) is None
    assert not Organisation.objects.filter(name=DEMO_ORG).exists()
    assert not m.Incident.objects.exists()


def _incidents() -> list[m.Incident]:
    # PersonName has no default ordering; the first name of a snapshot is the first position.
    names = Prefetch("targets__person__names", m.PersonName.objects.order_by("position"))
    return list(m.Incident.objects.order_by("pk").prefetch_related(names))


def comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without what differs between two loads: ids, pseudonyms, version."""
    drop = {"id", "person", "organisation", "pseudonym", "version"}
    snapshot = {**snapshot, "assignee": bool(snapshot["assignee"])}
    return {
        key: (
            [{k: v for k, v in item.items() if k not in drop} for item in value]
            if isinstance(value, list) and value and isinstance(value[0], dict)
            else value
        )
        for key, value in snapshot.items()
        if key not in drop
    }


def test_it_loads_in_bulk_the_same_incidents_as_the_services(db: None) -> None:
    demo_load(incidents=25, if_empty=False, seed=9, mode="services")
    demo_load(incidents=25, if_empty=False, seed=9, mode="bulk", batch_size=7)
    incidents = _incidents()
    by_services, in_bulk = incidents[:25], incidents[25:]
    for one, other in zip(by_services, in_bulk, strict=True):
        assert comparable(incident_snapshot(other)) == comparable(incident_snapshot(one))
    assert m.Person.objects.count() % 2 == 0  # the same persons, twice
    assert audit_verify() == []


def test_it_keeps_a_readable_first_version_of_every_bulk_loaded_record(db: None) -> None:
    demo_load(incidents=20, if_empty=False, seed=4, mode="bulk", batch_size=6)
    for incident in _incidents():
        version = m.RecordVersion.objects.get(record_uuid=incident.uuid)
        assert version.version == 1 and version.action == "create"
        assert json.loads(version.snapshot) == json.loads(
            json.dumps(incident_snapshot(incident), sort_keys=True, default=str)
        )
    for person in m.Person.objects.all():
        assert m.RecordVersion.objects.filter(record_uuid=person.uuid, version=1).exists()
        assert person.risk_notes.startswith("Fictional demo person.")
    loads = AuditEvent.objects.filter(action="demo.bulk_load")
    assert sum(e.detail["incidents"] for e in loads) == 20
    assert not AuditEvent.objects.filter(action="incident.create").exists()
    assert audit_verify() == []


def test_it_finds_a_bulk_loaded_person_by_name_in_any_script(db: None) -> None:
    demo_load(incidents=40, if_empty=False, seed=7, mode="bulk", batch_size=9)
    case_worker = User.objects.get(username="demo_caseworker")
    uyghurs = m.PersonName.objects.filter(
        script="Hans", language="zh", organisation=case_worker.organisation
    )
    person = next(n.person for n in uyghurs if "·" in n.value)
    for name in person.names.all():
        assert person.pk in person_ids_matching(case_worker, name.value), name.value
    latin = person.names.get(script="Latn").value
    assert person.pk in person_ids_matching(case_worker, latin.lower())
    partner = User.objects.get(username="demo_partner")
    assert person.pk not in person_ids_matching(partner, latin)


@pytest.mark.parametrize("mode", ["services", "bulk"])
def test_it_writes_names_in_four_scripts_in_either_mode(db: None, mode: str) -> None:
    demo_load(incidents=12, if_empty=False, seed=7, mode=mode)
    assert m.Incident.objects.count() == 12
    assert set(m.PersonName.objects.values_list("script", flat=True)) >= FOUR_SCRIPTS
    indexed = m.NameToken.objects.values_list("person_id", flat=True).distinct()
    assert set(indexed) == set(m.Person.objects.values_list("pk", flat=True))


def test_it_loads_with_one_process_inside_a_transaction_whatever_the_workers(db: None) -> None:
    demo_load(incidents=8, if_empty=False, seed=2, mode="bulk", workers=2)
    assert m.Incident.objects.count() == 8
    assert audit_verify() == []
