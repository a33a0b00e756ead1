"""Migrations 0004 (transfer keys, parts imported from transfer files) and 0005 (signing
keys, trusted senders) revert and apply again, keeping what was recorded before them."""

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


def _latest() -> None:
    """Back to the latest migrations, for the tests that come after."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_transfer_migration_reverts_and_applies_again(personas: Personas) -> None:
    job = import_create(actor=personas.case_worker, fmt="csv", filename="a.csv", content=SHEET)
    new = {"interchange_transferkey", "interchange_importedpart"}
    try:
        assert not new & _tables("0003_import_person_reviews")
    finally:
        assert new <= _tables("0004_transfer")
        _latest()
    again = ImportJob.objects.get(pk=job.pk)
    assert (again.format, again.content) == ("csv", job.content)


@pytest.mark.django_db(transaction=True)
def test_the_signing_migration_reverts_and_applies_again(personas: Personas) -> None:
    """0005 (signing keys, trusted senders): a key made before it keeps its public half
    and gets a signing key when it is next used."""
    from beyondreach.interchange.models import TransferKey
    from beyondreach.interchange.transfer import transfer_key_create, transfer_key_current

    made = transfer_key_create(actor=personas.admin, organisation=personas.org)
    try:
        assert "interchange_trustedsender" not in _tables("0004_transfer")
    finally:
        _latest()
    assert "interchange_trustedsender" in connection.introspection.table_names()
    kept = TransferKey.objects.get(pk=made.pk)
    assert (kept.public_key, kept.verify_key) == (made.public_key, "")
    current = transfer_key_current(personas.org)
    assert current is not None and current.public_key == made.public_key
    assert len(current.verify_key) == 44
