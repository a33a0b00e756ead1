"""The fast path of the demo loader: the same plans, written in batches.

Each batch is one transaction holding what the services would write for its incidents
(rows, sealed values, blind name index, first version of every record) except the audit
trail: one "demo.bulk_load" event per organisation and batch instead of one per record.

Sealed values are computed by setting the models' `Sealed` attributes on unsaved
instances: they need only `organisation_id` and `uuid`, which exist before the row is saved.
The ids of new persons and incidents are reserved first, in a short transaction of their
own, so a batch is built (sealed, indexed, snapshotted) with no lock held and its
transaction only inserts.

With several workers, each process plans every incident (planning is cheap and
deterministic) and loads the pools of plans `pools_by_worker` gives it. Incidents are then
stored in another order than planned, but with the same content.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from django.db import connection, connections, models, transaction
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot, person_snapshot
from beyondreach.cases.inputs import IncidentData, PersonData, TargetData
from beyondreach.cases.names import name_digests
from beyondreach.cases.rows import incident_part_rows, incident_set_columns
from beyondreach.core import crypto
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import User
from beyondreach.core.sealed import Sealed, org_keys
from beyondreach.demo.generate import DemoOrgs
from beyondreach.demo.plans import DemoPlanner, Plan, pools_by_worker
from beyondreach.demo.rows import execute_many, prepare, prepare_tokens, reserve_ids

# A bigger page cache keeps the random inserts into the uuid and name-token indexes off the
# disk while loading millions of rows (SQLite's default is 2 MB); per connection.
SQLITE_CACHE_KIB = 128 * 1024

Progress = Callable[[int, int], None]


def bulk_load(
    *,
    seed: int,
    count: int,
    orgs: DemoOrgs,
    batch_size: int = 1000,
    workers: int = 1,
    progress: Progress | None = None,
) -> None:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise ApplicationError("The bulk demo loader supports SQLite and PostgreSQL.")
    for org in orgs.organisations:
        org_keys(org.pk)  # fetched now, so that workers never read an organisation's key row
    if workers <= 1 or not _shareable():
        _load_share(seed, count, orgs, batch_size, 0, 1, progress)
    else:
        _load_in_parallel(seed, count, orgs, batch_size, workers, progress)
    _analyze()


def _shareable() -> bool:
    """Whether other processes can write to this database now: not from inside an open
    transaction (theirs would not see its rows), nor to an in-memory SQLite database."""
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name)
    return not connection.in_atomic_block and not in_memory


def _load_share(
    seed: int,
    count: int,
    orgs: DemoOrgs,
    batch_size: int,
    worker: int,
    workers: int,
    progress: Progress | None,
) -> None:
    """Load the plans of this worker's pools, batch by batch."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    planner, mine = DemoPlanner(seed), pools_by_worker(workers)
    plans = (plan for plan in planner.plans(count) if mine[plan.pool] == worker)
    loader, done = _Loader(orgs), 0
    while batch := list(islice(plans, batch_size)):
        loader.load(batch)
        loader.forget_all_but(planner.live_persons())
        done += len(batch)
        if progress:
            progress(done, count)


def _load_in_parallel(
    seed: int, count: int, orgs: DemoOrgs, batch_size: int, workers: int, progress: Progress | None
) -> None:
    # Forked workers start from this process's state: close its database connections so
    # that no two processes share one; each worker opens its own.
    _close_connections()
    context = multiprocessing.get_context("fork")
    done: Synchronized[int] = context.Value("q", 0)
    errors = context.SimpleQueue()
    processes = [
        context.Process(
            target=_worker, args=(seed, count, orgs, batch_size, k, workers, done, errors)
        )
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    while any(process.is_alive() for process in processes):
        time.sleep(1)
        if progress:
            progress(done.value, count)
        if not errors.empty():
            break
    for process in processes:
        if not errors.empty():
            process.terminate()
        process.join()
    if not errors.empty() or any(process.exitcode for process in processes):
        message = errors.get() if not errors.empty() else "a worker stopped"
        raise ApplicationError(f"The bulk demo load failed: {message}")


def _worker(
    seed: int,
    count: int,
    orgs: DemoOrgs,
    batch_size: int,
    worker: int,
    workers: int,
    done: Synchronized[int],
    errors: Any,
) -> None:
    try:
        _load_share(seed, count, orgs, batch_size, worker, workers, _SharedProgress(done))
    except Exception as exc:  # reported to the parent, which fails the load with it
        errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        _close_connections()


def _close_connections() -> None:
    """Close this process's connections, and its PostgreSQL pool (settings.DATABASES): a
    forked worker would otherwise use the pooled connections of its parent."""
    connections.close_all()
    for conn in connections.all(initialized_only=True):
        close_pool = getattr(conn, "close_pool", None)  # PostgreSQL's wrapper only
        if close_pool is not None:
            close_pool()


class _SharedProgress:
    """Adds a worker's progress to the count the parent reports."""

    def __init__(self, done: Synchronized[int]) -> None:
        self.done, self.last = done, 0

    def __call__(self, loaded: int, total: int) -> None:
        with self.done.get_lock():
            self.done.value += loaded - self.last
        self.last = loaded


def _analyze() -> None:
    """Refresh the query planner's statistics after a large load."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


def _seal(obj: models.Model, **values: str) -> None:
    """Set Sealed attributes, as `obj.<name> = value` does, checking that each one is."""
    for name, value in values.items():
        assert isinstance(getattr(type(obj), name), Sealed), name
        setattr(obj, name, value)


@dataclass
class _Rows:
    """The rows of one batch, in the order they are inserted."""

    persons: list[tuple[m.Person, User]] = field(default_factory=list)  # with who recorded it
    names: list[m.PersonName] = field(default_factory=list)
    tokens: list[tuple[m.Person, list[str]]] = field(default_factory=list)
    incidents: list[m.Incident] = field(default_factory=list)
    children: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    versions: list[m.RecordVersion] = field(default_factory=list)


class _Loader:
    def __init__(self, orgs: DemoOrgs) -> None:
        self.orgs = orgs
        self.keys = {org.pk: org_keys(org.pk) for org in orgs.organisations}
        self.persons: dict[int, m.Person] = {}  # by the planner's number, while it may recur

    def forget_all_but(self, live: set[int]) -> None:
        self.persons = {k: v for k, v in self.persons.items() if k in live}

    def load(self, plans: list[Plan]) -> None:
        rows = self._build(plans)
        inserts = [
            prepare(m.Person, [person for person, _ in rows.persons]),
            prepare(m.PersonName, rows.names),
            prepare_tokens(rows.tokens),
            prepare(m.Incident, rows.incidents),
            *(prepare(model, children) for model, children in rows.children.items()),
            prepare(m.RecordVersion, rows.versions),
        ]
        # Only the inserts hold the write lock: everything else is done before.
        with transaction.atomic():
            for model, columns, values in inserts:
                execute_many(model, columns, values)
            self._audit(plans)

    def _build(self, plans: list[Plan]) -> _Rows:
        rows = _Rows()
        new = sum(1 for plan in plans for t in plan.targets if t.new is not None)
        person_ids = reserve_ids(m.Person, new)
        for plan in plans:
            self._new_persons(plan, rows, person_ids)
        incident_ids = reserve_ids(m.Incident, len(plans))
        for plan in plans:
            incident = self._incident(plan)
            incident.pk = next(incident_ids)
            rows.incidents.append(incident)
            self._children(plan, incident, rows)
        now = timezone.now()
        for person, writer in rows.persons:
            rows.versions.append(
                self._version(person, "person", person_snapshot(person), now, writer)
            )
        for plan, incident in zip(plans, rows.incidents, strict=True):
            writer = self.orgs.writers[plan.organisation]
            snapshot = incident_snapshot(incident)
            rows.versions.append(self._version(incident, "incident", snapshot, now, writer))
        return rows

    def _new_persons(self, plan: Plan, rows: _Rows, ids: Iterator[int]) -> None:
        org_id = self.orgs.organisations[plan.organisation].pk
        for target in plan.targets:
            if target.new is not None:
                person, names = _person(org_id, target.new)
                person.pk = next(ids)
                self.persons[target.person] = person
                rows.persons.append((person, self.orgs.writers[plan.organisation]))
                rows.names.extend(names)
                rows.tokens.append((person, _digests(target.new, self.keys[org_id])))

    def _incident(self, plan: Plan) -> m.Incident:
        data, writer = _with_targets(plan), self.orgs.writers[plan.organisation]
        incident = m.Incident(
            organisation_id=self.orgs.organisations[plan.organisation].pk,
            created_by=writer,
            assignee=writer if plan.assigned else None,
        )
        incident_set_columns(incident, data)
        return incident

    def _children(self, plan: Plan, incident: m.Incident, rows: _Rows) -> None:
        data, org_id = _with_targets(plan), incident.organisation_id
        made: dict[str, list[Any]] = {
            **incident_part_rows(incident, data),
            "targets": [
                m.IncidentTarget(
                    organisation_id=org_id,
                    incident=incident,
                    person=self.persons[t.person],
                    role=t.role,
                    target_group=t.target_group,
                    relation=t.relation,
                )
                for t in plan.targets
            ],
        }
        for children in made.values():
            for row in children:
                rows.children.setdefault(type(row), []).append(row)
        # incident_snapshot reads the children through the related managers; this is the
        # cache prefetch_related fills, so the snapshot is built without a query.
        incident.__dict__["_prefetched_objects_cache"] = made

    def _version(
        self,
        record: m.Incident | m.Person,
        record_type: str,
        snapshot: dict[str, Any],
        at: datetime,
        actor: User,
    ) -> m.RecordVersion:
        version = m.RecordVersion(
            organisation_id=record.organisation_id,
            record_type=record_type,
            record_uuid=record.uuid,
            version=1,
            at=at,
            actor=actor,
            action="create",
            changed_fields=sorted(snapshot),
        )
        _seal(version, snapshot=json.dumps(snapshot, sort_keys=True, default=str))
        return version

    def _audit(self, plans: list[Plan]) -> None:
        for index, org in enumerate(self.orgs.organisations):
            mine = [p for p in plans if p.organisation == index]
            if mine:
                persons = sum(1 for p in mine for t in p.targets if t.new is not None)
                audit_record(
                    organisation=org,
                    actor=None,
                    action="demo.bulk_load",
                    record_type="incident",
                    detail={"incidents": len(mine), "persons": persons},
                )


def _with_targets(plan: Plan) -> IncidentData:
    """The plan's incident with its targets as the services get them, so the rows built
    from it (the target count, the target groups) are the services' own."""
    targets = [
        TargetData(role=t.role, target_group=t.target_group, relation=t.relation)
        for t in plan.targets
    ]
    return replace(plan.data, targets=targets)


def _person(org_id: int, data: PersonData) -> tuple[m.Person, list[m.PersonName]]:
    person = m.Person(
        organisation_id=org_id,
        sex=data.sex,
        residence_status=data.residence_status,
        nationalities=[c.upper() for c in data.nationalities],
        residence_country=data.residence_country.upper(),
        statuses=list(dict.fromkeys(data.statuses)),
        consent_share_partners=data.consent_share_partners,
        consent_share_authorities=data.consent_share_authorities,
        consent_public_statistics=data.consent_public_statistics,
    )
    _seal(person, birth_date=data.birth_date, contact=data.contact, risk_notes=data.risk_notes)
    names = []
    for position, name in enumerate(n for n in data.names if n.value.strip()):
        row = m.PersonName(
            organisation_id=org_id,
            person=person,
            script=name.script,
            language=name.language,
            position=position,
        )
        _seal(row, value=name.value.strip())
        names.append(row)
    person.__dict__["_prefetched_objects_cache"] = {"names": names}
    return person, names


def _digests(data: PersonData, keys: crypto.OrgKeys) -> list[str]:
    """The blind index of the person's names, as cases.services builds it."""
    return sorted(name_digests(keys.index, [n.value for n in data.names]))
