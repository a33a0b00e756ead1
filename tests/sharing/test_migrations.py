"""The sharing migration applies, reverts and applies again on a database with records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_create
from beyondreach.sharing.models import Share

from ..cases.factories import incident_data
from ..conftest import Personas

TABLES = {"sharing_agreement", "sharing_share", "sharing_sharereader"}


def _migrate(target: str | None) -> set[str]:
    executor = MigrationExecutor(connection)
    executor.migrate([("sharing", target)])
    return TABLES & set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverts_and_applies_again(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    assert _migrate(None) == set()
    assert _migrate("0001_initial") == TABLES
    # The owners' records are untouched, and the tables work again.
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert Share.objects.count() == 0
