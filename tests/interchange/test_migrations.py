"""The interchange migrations revert and apply again on a database with an import."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from beyondreach.interchange.imports import import_create
from beyondreach.interchange.models import ImportJob

from ..conftest import Personas

SHEET = b"Title,Date,Origin state,Tactics\nA,2021,China,Assault\n"


def _migrate(target: str) -> set[str]:
    executor = MigrationExecutor(connection)
    executor.migrate([("interchange", target)])
    with connection.cursor() as cursor:
        found = connection.introspection.get_table_description(cursor, "interchange_importjob")
    return {column.name for column in found}


@pytest.mark.django_db(transaction=True)
def test_the_uwazi_migration_reverts_and_applies_again(personas: Personas) -> None:
    job = import_create(actor=personas.case_worker, fmt="csv", filename="a.csv", content=SHEET)
    assert "options" not in _migrate("0001_imports")
    assert "options" in _migrate("0002_uwazi")
    assert {"linked", "reviews"} <= _migrate("0003_import_person_reviews")
    # The upload is untouched and the new columns have their defaults.
    again = ImportJob.objects.get(pk=job.pk)
    assert (again.rows_total, again.options, again.content) == (1, {}, job.content)
    assert (again.linked, again.reviews) == (0, [])
    _migrate("0004_transfer")  # the latest again: the tests that follow need its tables
