"""The perpetrators' migration reverts and applies again on a database with records, and the
app works after it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beyondreach.accountability.perpetrators import perpetrator_ids_matching
from beyondreach.cases.models import Incident

from ..conftest import Personas
from .perpetrator_helpers import incident, official

TABLES = {
    "accountability_perpetrator",
    "accountability_perpetratorname",
    "accountability_perpetratornametoken",
    "accountability_perpetratorlink",
    "accountability_sanctionsdossier",
    "accountability_listsanction",
}


def _migrate(targets: list[tuple[str, str]]) -> set[str]:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return TABLES & set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverts_and_applies_again(personas: Personas) -> None:
    kept = incident(personas.case_worker, "Detention at Istanbul airport")
    official(personas.case_worker)
    assert _migrate([("accountability", "0003_date_precision_unknown")]) == set()
    assert Incident.objects.filter(pk=kept.pk).exists()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    assert _migrate(latest) == TABLES  # and the schema is the latest again, for other tests
    perpetrator = official(personas.case_worker)
    assert perpetrator_ids_matching(personas.case_worker, "Захаров") == [perpetrator.pk]
