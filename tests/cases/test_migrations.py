"""Migrations of the incident list: 0005 (a covering index) and 0006 (dates on child rows)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beyondreach.cases import models as m
from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas, database_vendor

INDEX = "incident_id_org_date"


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, "cases_incident"))


def _migrate_to(target: tuple[str, str] | None = None) -> set[str]:
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())
    return _indexes()


@pytest.mark.django_db(transaction=True)
def test_the_covering_index_reverts_and_applies_again(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    on_postgres = database_vendor() == "postgresql"
    assert (INDEX in _indexes()) is on_postgres  # PostgreSQL only: SQLite has no INCLUDE
    assert INDEX not in _migrate_to(("cases", "0004_incident_documents"))
    assert (INDEX in _migrate_to()) is on_postgres
    assert Incident.objects.filter(pk=incident.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_0006_fills_the_start_date_of_existing_origins_and_tactics(personas: Personas) -> None:
    first = incident_create(actor=personas.case_worker, data=incident_data())
    second = incident_create(
        actor=personas.case_worker, data=incident_data(start_date=date(2020, 1, 31))
    )
    _migrate_to(("cases", "0005_incident_list_covering_index"))
    _migrate_to()
    for incident, day in ((first, date(2024, 3, 1)), (second, date(2020, 1, 31))):
        rows = [*incident.origins.all(), *incident.tactics.all()]
        assert len(rows) == 4 and {row.start_date for row in rows} == {day}


@pytest.mark.django_db(transaction=True)
def test_0009_makes_the_one_host_country_a_host_row_and_back(personas: Personas) -> None:
    kept = incident_create(actor=personas.case_worker, data=incident_data())
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0008_incident_ongoing_season")])
    old = executor.loader.project_state(("cases", "0008_incident_ongoing_season")).apps
    old.get_model("cases", "Incident").objects.filter(pk=kept.pk).update(host_country="DE")
    _migrate_to()
    assert [h.country for h in m.IncidentHost.objects.filter(incident=kept)] == ["DE"]
    kept.refresh_from_db()
    assert (kept.host_reason, kept.host_origin_confirmed) == ("", False)
    m.IncidentHost.objects.create(
        organisation_id=kept.organisation_id,
        incident=kept,
        country="AT",
        start_date=kept.start_date,
    )
    _migrate_to(("cases", "0008_incident_ongoing_season"))
    back = MigrationExecutor(connection).loader.project_state(
        ("cases", "0008_incident_ongoing_season")
    )
    # Going back keeps one host country: the first of them.
    assert back.apps.get_model("cases", "Incident").objects.get(pk=kept.pk).host_country == "AT"
    _migrate_to()
