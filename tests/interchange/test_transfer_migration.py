"""Migration 0004 (transfer keys, parts imported from transfer files) reverts and applies
again, keeping the imports recorded before it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beyondreach.interchange.imports import import_create
from beyondreach.interchange.models import ImportJob

from ..conftest import Personas

SHEET = b"Title,Date,Origin state,Tactics\nA,2021,China,Assault\n"


def _tables(target: str) -> set[str]:
    executor = MigrationExecutor(connection)
    executor.migrate([("interchange", target)])
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_the_transfer_migration_reverts_and_applies_again(personas: Personas) -> None:
    job = import_create(actor=personas.case_worker, fmt="csv", filename="a.csv", content=SHEET)
    new = {"interchange_transferkey", "interchange_importedpart"}
    try:
        assert not new & _tables("0003_import_person_reviews")
    finally:
        assert new <= _tables("0004_transfer")
    again = ImportJob.objects.get(pk=job.pk)
    assert (again.format, again.content) == ("csv", job.content)
