"""The audit log: every write and every view of identities is recorded, append-only, chained.

Two defences, because either alone can be beaten: database triggers refuse UPDATE and
DELETE from the application's connection (a bug or an injected statement cannot rewrite
history), and the hash chain lets `audit_verify` find any change made by someone who could
bypass the triggers (a database owner, a restored and edited backup).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

import pytest
from django.db import DatabaseError, connection, transaction

from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import (
    incident_create,
    incident_update,
    person_create,
    person_update,
    record_viewed,
)
from beyondreach.core import crypto
from beyondreach.core.audit import GENESIS, BrokenLink, _digest, _fields, audit_record, audit_verify
from beyondreach.core.models import AuditEvent, Organisation
from beyondreach.core.services import (
    api_token_create,
    login_failed,
    master_key_rotate,
    organisation_create,
    user_create,
)

from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas

APPEND_ONLY = importlib.import_module("beyondreach.core.migrations.0002_audit_append_only")


class Recorder:
    """The events appended since the last call."""

    def __init__(self) -> None:
        self.last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def new(self) -> list[tuple[str, object]]:
        events = list(AuditEvent.objects.filter(pk__gt=self.last).order_by("pk"))
        if events:
            self.last = events[-1].pk
        return [(e.action, e.record_id) for e in events]


def test_it_writes_an_audit_event_for_every_write_and_every_view(
    personas: Personas, master_key: bytes
) -> None:
    worker, log = personas.case_worker, Recorder()

    org = organisation_create(name="Exile Legal Aid")
    assert log.new() == [("organisation.create", org.uuid)]
    user = user_create(organisation=org, username="lena", password=PASSWORD, role="analyst")
    assert log.new() == [("user.create", user.uuid)]
    api_token_create(user=user)
    assert [a for a, _ in log.new()] == ["api_token.create"]

    incident = incident_create(actor=worker, data=incident_data())
    targets = [t.person.uuid for t in incident.targets.order_by("pk")]
    assert log.new() == [
        ("person.create", targets[0]),
        ("person.create", targets[1]),
        ("incident.create", incident.uuid),
    ]
    incident = incident_update(
        actor=worker,
        incident=access_incident(worker, incident.uuid),
        data=incident_data(title="Renamed"),
    )
    new = log.new()
    assert new[-1] == ("incident.update", incident.uuid)
    assert [a for a, _ in new[:-1]] == ["person.create", "person.create"]

    person = person_create(actor=worker, data=PersonData(names=[NameData("Dilnoza Karimova")]))
    assert log.new() == [("person.create", person.uuid)]
    person_update(actor=worker, person=person, data=PersonData(names=[NameData("Dilnoza K.")]))
    assert log.new() == [("person.update", person.uuid)]

    record_viewed(actor=worker, record_type="incident", record=incident)
    assert log.new() == [("incident.view", incident.uuid)]
    record_viewed(actor=worker, record_type="person", record=person)
    assert log.new() == [("person.view", person.uuid)]

    login_failed(user=worker, failures_allowed=5, lock_seconds=900)
    assert log.new() == [("login.failed", worker.uuid)]

    master_key_rotate(old_key=master_key, new_key=crypto.new_key())
    assert sorted(log.new(), key=str) == sorted(
        (("master_key.rotate", o.uuid) for o in Organisation.objects.all()), key=str
    )


def test_it_records_who_did_what_but_never_a_value(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    incident_update(
        actor=personas.case_worker,
        incident=incident,
        data=incident_data(title="Renamed", narrative="Another narrative"),
    )
    event = AuditEvent.objects.get(action="incident.update")
    assert event.actor == personas.case_worker
    assert event.organisation == personas.org
    assert "title" in event.detail["fields"] and "narrative" in event.detail["fields"]
    assert "Renamed" not in str(event.detail) and "Another narrative" not in str(event.detail)


def test_it_does_not_log_a_view_by_a_role_that_sees_no_identities(personas: Personas) -> None:
    # Analysts and viewers are shown pseudonymised records only: nothing identifying was seen.
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    log = Recorder()
    record_viewed(actor=personas.analyst, record_type="incident", record=incident)
    assert log.new() == []


def test_it_verifies_an_untouched_chain(personas: Personas) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    incident_create(actor=personas.outsider, data=incident_data())
    assert audit_verify() == []
    events = list(AuditEvent.objects.filter(organisation=personas.org).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'incident.view'",
        "UPDATE core_auditevent SET hash = prev_hash WHERE seq = 1",
        "DELETE FROM core_auditevent",
        "DELETE FROM core_auditevent WHERE seq = 1",
    ],
)
def test_it_refuses_sql_that_changes_or_deletes_audit_events(
    personas: Personas, statement: str
) -> None:
    count = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == count
    assert audit_verify() == []


def test_it_refuses_orm_changes_to_audit_events(personas: Personas) -> None:
    event = AuditEvent.objects.filter(organisation=personas.org).order_by("seq").first()
    assert event is not None
    attempts: list[Callable[[], object]] = [
        lambda: AuditEvent.objects.filter(pk=event.pk).update(action="incident.view"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
        event.delete,
        lambda: event.save(update_fields=["action"]),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert audit_verify() == []


@contextmanager
def triggers_disabled() -> Iterator[None]:
    """What an attacker with the database owner's rights does first; restored afterwards.

    On PostgreSQL a superuser's session in replica mode fires no ordinary trigger (ALTER
    TABLE ... DISABLE TRIGGER would wait for the foreign-key checks this test transaction
    has deferred). SQLite has no such switch: the triggers are dropped and re-created.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        else:
            for statement in APPEND_ONLY.SQLITE_DOWN:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                for statement in APPEND_ONLY.SQLITE_UP:
                    cursor.execute(statement)


@dataclass
class Chain:
    org: Organisation
    seq: int  # an event in the middle of the chain, with an actor, a record and detail


@pytest.fixture
def chain(personas: Personas) -> Chain:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    incident_update(actor=personas.case_worker, incident=incident, data=incident_data())
    record_viewed(actor=personas.case_worker, record_type="incident", record=incident)
    event = AuditEvent.objects.get(action="incident.update")
    assert event.actor and event.record_id and event.detail
    assert AuditEvent.objects.filter(organisation=personas.org, seq__gt=event.seq).exists()
    return Chain(personas.org, event.seq)


@pytest.mark.parametrize(
    "change",
    [
        {"action": "incident.view"},
        {"record_type": "person"},
        {"detail": {"fields": ["status"]}},
        {"actor": None},
        {"record_id": None},
        {"hash": "f" * 64},
    ],
    ids=lambda change: next(iter(change)),
)
def test_it_names_exactly_the_event_that_was_altered(
    chain: Chain, change: dict[str, object]
) -> None:
    with triggers_disabled():
        AuditEvent.objects.filter(organisation=chain.org, seq=chain.seq).update(**change)
    assert audit_verify() == [BrokenLink(chain.org.name, chain.seq, "the event was altered")]


def test_it_names_an_event_whose_time_was_moved(chain: Chain) -> None:
    event = AuditEvent.objects.get(organisation=chain.org, seq=chain.seq)
    with triggers_disabled():
        AuditEvent.objects.filter(pk=event.pk).update(at=event.at - timedelta(days=30))
    assert audit_verify() == [BrokenLink(chain.org.name, chain.seq, "the event was altered")]


def test_it_finds_a_rewritten_event_at_the_next_link(chain: Chain) -> None:
    # A careful attacker recomputes the altered event's own hash; the next event still
    # points at the old one. (Rewriting the whole tail is only caught against a copy of the
    # chain's head kept elsewhere: see docs/security.md.)
    event = AuditEvent.objects.get(organisation=chain.org, seq=chain.seq)
    event.action = "incident.view"
    event.hash = _digest(event.prev_hash, _fields(event))
    with triggers_disabled():
        AuditEvent.objects.filter(pk=event.pk).update(action=event.action, hash=event.hash)
    assert audit_verify() == [
        BrokenLink(chain.org.name, chain.seq + 1, "prev_hash does not match the previous event")
    ]


def test_it_detects_a_deleted_event_as_missing(chain: Chain) -> None:
    with triggers_disabled():
        AuditEvent.objects.filter(organisation=chain.org, seq=chain.seq).delete()
    assert audit_verify() == [BrokenLink(chain.org.name, chain.seq, "an event is missing")]


def test_it_reports_a_break_only_in_the_organisation_whose_chain_broke(
    chain: Chain, personas: Personas
) -> None:
    incident_create(actor=personas.outsider, data=incident_data())
    with triggers_disabled():
        AuditEvent.objects.filter(organisation=personas.other_org, seq=2).update(action="x")
    assert audit_verify() == [BrokenLink(personas.other_org.name, 2, "the event was altered")]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_keeps_seq_unique_and_the_chain_valid_under_concurrent_appends(
    personas: Personas,
) -> None:
    org, per_thread = personas.org, 25
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def append(name: str) -> None:
        try:
            start.wait(timeout=10)
            for i in range(per_thread):
                audit_record(
                    organisation=org,
                    actor=None,
                    action="test.append",
                    record_type=name,
                    detail={"i": i},
                )
        except BaseException as exc:  # reported by the test's thread below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=append, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    seqs = list(
        AuditEvent.objects.filter(organisation=org).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEvent.objects.filter(organisation=org, action="test.append").count() == 50
    assert audit_verify() == []
