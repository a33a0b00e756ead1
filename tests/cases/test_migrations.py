"""Migrations of the incident list: 0005 (a covering index) and 0006 (dates on child rows)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
