"""Imports: upload, mapping, dry run and run, each a typed function that checks the caller
and writes the audit event.

The uploaded file is sealed with the organisation's key the moment it arrives (the upload
itself stays in memory: see views) and opened only in memory. A run writes one incident per
transaction, with its ImportedRecord and the job's counters, so a run killed midway leaves
whole incidents only, and the next run goes on from there (`import_run` skips what this job
already wrote): a crash loses no row and makes none twice.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.duplicates import PersonCandidate, likely_duplicates
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.inputs import (
    ActorData,
    IncidentData,
    MechanismData,
    OrganisationData,
    ResponseData,
    SourceData,
    TargetData,
)
from beyondreach.cases.names import blind
from beyondreach.cases.services import incident_update, incidents_create
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys
from beyondreach.interchange.dialects import dialect_for
from beyondreach.interchange.models import ImportedRecord, ImportFormat, ImportJob, ImportStatus
from beyondreach.interchange.rows import (
    FIELD_BY_CODE,
    Group,
    RowError,
    Table,
    by_row,
    group_data,
    groups_of,
    ignored_columns,
    propose_mapping,
    read_table,
    reading,
    unmatched_words,
)

MAX_BYTES = 50 * 1024 * 1024
IMPORT_ROLES = ("admin", "case_worker")


def _importer_org_id(user: User) -> int:
    if user.role not in IMPORT_ROLES or user.organisation_id is None:
        raise PermissionDeniedError("Only admins and case workers import.")
    return user.organisation_id


def access_import(user: User, job_id: str | uuid.UUID) -> ImportJob:
    try:
        parsed = uuid.UUID(str(job_id))
    except ValueError as exc:
        raise NotFoundError("No such import.") from exc
    job = ImportJob.objects.filter(organisation_id=_importer_org_id(user), uuid=parsed).first()
    if job is None:
        raise NotFoundError("No such import.")
    return job


def imports_visible_to(user: User) -> list[ImportJob]:
    return list(ImportJob.objects.filter(organisation_id=_importer_org_id(user))[:50])


def import_create(*, actor: User, fmt: str, filename: str, content: bytes) -> ImportJob:
    """Keep the file (sealed) and propose a mapping from its header."""
    org_id = _importer_org_id(actor)
    if fmt not in ImportFormat.values:
        raise InvalidInputError({"format": [f"Must be one of: {', '.join(ImportFormat.values)}."]})
    if len(content) > MAX_BYTES:
        raise InvalidInputError({"file": [f"At most {MAX_BYTES // (1024 * 1024)} MB."]})
    signed: dict[str, str] = {}
    if fmt == ImportFormat.BEYONDREACH:
        from beyondreach.interchange.transfer_import import transfer_documents

        # Opened whole now: a file for another key, not signed, altered or cut is refused,
        # nothing kept.
        count, sender = transfer_documents(org_id, content)
        table = Table([], [[] for _ in range(count)])
        signed = {"sender": sender.fingerprint, "sender_known": sender.how or "unknown"}
    else:
        table = read_table(content)
    with transaction.atomic():
        job = ImportJob(
            organisation_id=org_id,
            created_by=actor,
            format=fmt,
            columns=table.columns,
            mapping=propose_mapping(table.columns, dialect_for(fmt)),
            rows_total=len(table.rows),
        )
        job.filename = filename[:200]
        job.content = base64.b64encode(content).decode()
        job.save()
        audit_record(
            organisation=job.organisation,
            actor=actor,
            action="import.upload",
            record_type="import",
            record_id=job.uuid,
            detail={"format": fmt, "rows": len(table.rows), **signed},
        )
    return job


def job_table(job: ImportJob) -> Table:
    return read_table(base64.b64decode(job.content))


def import_map(
    *,
    actor: User,
    job: ImportJob,
    mapping: dict[str, str],
    values: dict[str, dict[str, str]],
    options: dict[str, str] | None = None,
) -> ImportJob:
    """Set which column is which field, which of their words is which code and, for what
    neither tells, the options (`date_format` of an Uwazi file)."""
    _importer_org_id(actor)
    if job.status != ImportStatus.MAPPING:
        raise InvalidInputError({"mapping": ["This import has already run."]})
    errors: dict[str, list[str]] = {}
    clean = {c: f for c, f in mapping.items() if f}
    for column, code in clean.items():
        if column not in job.columns:
            errors.setdefault(f"mapping.{column}", []).append("No such column in the file.")
        elif code not in FIELD_BY_CODE:
            errors.setdefault(f"mapping.{column}", []).append(f"Unknown field {code!r}.")
    chosen = [c for c in clean.values()]
    for code in {c for c in chosen if chosen.count(c) > 1}:
        errors.setdefault("mapping", []).append(f"Two columns map to {code}.")
    checked = _checked_values(values, errors)
    chosen_options = _checked_options(job.options if options is None else options, errors)
    if errors:
        raise InvalidInputError(errors)
    job.mapping, job.values, job.options = clean, checked, chosen_options
    job.save(update_fields=["mapping", "values", "options"])
    return job


def _checked_options(options: dict[str, str], errors: dict[str, list[str]]) -> dict[str, str]:
    from beyondreach.interchange.uwazi import DATE_FORMATS

    unknown = set(options) - {"date_format"}
    if unknown:
        errors.setdefault("options", []).append(f"Unknown option(s): {', '.join(sorted(unknown))}.")
    chosen = str(options.get("date_format") or "").upper()
    if chosen and chosen not in DATE_FORMATS:
        errors.setdefault("options.date_format", []).append(
            f"One of: {', '.join(DATE_FORMATS)}, or none."
        )
    return {"date_format": chosen} if chosen else {}


def _checked_values(
    values: dict[str, dict[str, str]], errors: dict[str, list[str]]
) -> dict[str, dict[str, str]]:
    from beyondreach.interchange.values import country_code, term_code

    checked: dict[str, dict[str, str]] = {}
    for code, words in values.items():
        f = FIELD_BY_CODE.get(code)
        if f is None or not f.coded:
            errors.setdefault(f"values.{code}", []).append("Not a coded field.")
            continue
        for word, target in words.items():
            if not target:
                continue
            ok = (
                country_code(target) == target
                if f.coded == "country"
                else (term_code(f.coded, target) == target)
            )
            if not ok:
                errors.setdefault(f"values.{code}", []).append(f"{target!r} is not a code.")
            else:
                checked.setdefault(code, {})[word] = target
    return checked


@dataclass
class PlannedIncident:
    lines: list[int]
    action: str  # "create", "update", "unchanged" or "reject"
    errors: list[RowError] = field(default_factory=list)
    incident: uuid.UUID | None = None
    linked: int = 0  # its persons recorded already beyond doubt: named, not made again
    flagged: int = 0  # its new persons who look like recorded ones: listed for review


@dataclass
class Plan:
    incidents: list[PlannedIncident]
    unmatched: dict[str, dict[str, int]]
    # Columns not imported, with how many rows have a value there.
    ignored: dict[str, int] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for p in self.incidents if p.action == action)

    def linked(self) -> int:
        return sum(p.linked for p in self.incidents)

    def flagged(self) -> int:
        return sum(p.flagged for p in self.incidents)

    def rejected_rows(self) -> int:
        return sum(len(p.lines) for p in self.incidents if p.action == "reject")

    def errors(self) -> list[RowError]:
        return [e for p in self.incidents for e in p.errors]

    def errors_by_line(self) -> dict[int, list[RowError]]:
        return by_row(self.errors())


def _source(job: ImportJob) -> str:
    return job.format


def _external_key(job: ImportJob, group: Group) -> str:
    return blind(org_keys(job.organisation_id).index, f"{_source(job)}\x1f{group.external_id}")


def _digest(job: ImportJob, data: IncidentData) -> str:
    text = json.dumps(asdict(data), sort_keys=True, default=str)
    return blind(org_keys(job.organisation_id).index, text)


def import_plan(job: ImportJob) -> Plan:
    """What a run would do, row by row, without writing: the dry run."""
    if job.format == ImportFormat.BEYONDREACH:
        from beyondreach.interchange.transfer_import import transfer_plan

        return transfer_plan(job)
    table = job_table(job)
    dialect = reading(job.format, job.options, table, job.mapping)
    groups = groups_of(table, job.mapping, dialect)
    known = _known(job, groups)
    planned: list[PlannedIncident] = []
    for group in groups:
        data, errors = group_data(group, job.values, dialect)
        if data is None:
            planned.append(PlannedIncident(group.lines, "reject", errors))
            continue
        record = known.get(_external_key(job, group))
        if record is None:
            linked, flagged = _match_persons(job.created_by, data)
            flags = len(flagged)
            planned.append(PlannedIncident(group.lines, "create", linked=linked, flagged=flags))
        elif record.digest == _digest(job, data):
            planned.append(PlannedIncident(group.lines, "unchanged", incident=record.incident.uuid))
        else:
            planned.append(PlannedIncident(group.lines, "update", incident=record.incident.uuid))
    unmatched = unmatched_words(table, job.mapping, job.values, dialect)
    return Plan(planned, unmatched, ignored_columns(table, job.mapping))


def _known(job: ImportJob, groups: list[Group]) -> dict[str, ImportedRecord]:
    keys = [_external_key(job, g) for g in groups]
    found: dict[str, ImportedRecord] = {}
    for start in range(0, len(keys), 1000):
        for record in ImportedRecord.objects.select_related("incident").filter(
            organisation_id=job.organisation_id, external_key__in=keys[start : start + 1000]
        ):
            found[record.external_key] = record
    return found


def import_start(
    *, actor: User, job: ImportJob, unknown_sender: bool = False, trust_as: str = ""
) -> ImportJob:
    """Queue the run (the worker runs it: `tasks.run_import`). A transfer file signed by a
    key this organisation does not know starts only with `unknown_sender` confirmed by an
    admin, or its key saved as a trusted partner named `trust_as`."""
    _importer_org_id(actor)
    if job.status != ImportStatus.MAPPING:
        raise InvalidInputError({"status": ["This import has already been started."]})
    with transaction.atomic():
        signed: dict[str, str] = {}
        if job.format == ImportFormat.BEYONDREACH:
            from beyondreach.interchange.transfer_import import transfer_start_check

            signed = transfer_start_check(
                actor=actor, job=job, unknown_sender=unknown_sender, trust_as=trust_as
            )
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["status"])
        audit_record(
            organisation=job.organisation,
            actor=actor,
            action="import.start",
            record_type="import",
            record_id=job.uuid,
            detail={"format": job.format, "rows": job.rows_total, **signed},
        )
    return job


def import_run(job_id: int) -> ImportJob:
    """Write the job's incidents; safe to run again after a crash (it goes on)."""
    job = ImportJob.objects.select_related("created_by", "organisation").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job
    actor = job.created_by
    if actor is None or not actor.is_active or actor.role not in IMPORT_ROLES:
        return _finish(job, ImportStatus.FAILED, [])
    if job.format == ImportFormat.BEYONDREACH:
        from beyondreach.interchange.transfer_import import transfer_run

        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
        )
        return _finish(job, ImportStatus.DONE, transfer_run(job, actor))
    table = job_table(job)
    dialect = reading(job.format, job.options, table, job.mapping)
    groups = groups_of(table, job.mapping, dialect)
    known = _known(job, groups)
    done = set(ImportedRecord.objects.filter(job=job).values_list("external_key", flat=True))
    job.status = ImportStatus.RUNNING
    job.rows_done = sum(len(g.lines) for g in groups if _external_key(job, g) in done)
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "rows_done", "heartbeat_at"])
    rejected: list[RowError] = []
    batch: list[tuple[str, IncidentData, list[int]]] = []
    for group in groups:
        key = _external_key(job, group)
        data, errors = group_data(group, job.values, dialect)
        if data is None:
            rejected.extend(errors or [RowError(group.lines[0], "", "", "Not valid.")])
            job.rows_done += len(group.lines)
            continue
        if key in done:
            continue
        batch.append((key, data, group.lines))
        if len(batch) == BATCH:
            _write_batch(job, actor, batch, known)
            batch = []
    _write_batch(job, actor, batch, known)
    return _finish(job, ImportStatus.DONE, rejected)


# Incidents written per transaction. Each keeps its own history, audit event and import
# record; what a batch shares is the commit, the chain's lock and the progress update, which
# were a third of a row's time one by one (bench/README.md, "Imports"). A crash rolls back
# the batch alone and the run goes on from there; the page's progress moves by this much.
BATCH = 50


def _write_batch(
    job: ImportJob,
    actor: User,
    batch: list[tuple[str, IncidentData, list[int]]],
    known: dict[str, ImportedRecord],
) -> None:
    if not batch:
        return
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    new: list[tuple[str, IncidentData, list[int]]] = []
    with transaction.atomic():
        for key, data, lines in batch:
            record = known.get(key)
            if record is None:
                new.append((key, data, lines))
            else:
                counts[_write_known(job, actor, record, data)] += 1
        _create(job, actor, new)
        counts["created"] = len(new)
        rows = sum(len(lines) for _, _, lines in batch)
        ImportJob.objects.filter(pk=job.pk).update(
            **{counter: F(counter) + n for counter, n in counts.items() if n},
            rows_done=F("rows_done") + rows,
            heartbeat_at=timezone.now(),
        )
    job.rows_done += rows


def _create(job: ImportJob, actor: User, new: list[tuple[str, IncidentData, list[int]]]) -> None:
    """The batch's new incidents with their import records. Those naming no new person are
    written together; one that does is matched against the persons recorded (linked or
    flagged) and written on its own, in the file's order, so that the next row naming the
    same person finds this one's."""
    digests = {key: _digest(job, data) for key, data, _ in new}  # of the file, before linking
    plain = [row for row in new if not _names_persons(row[1])]
    for row in (row for row in new if _names_persons(row[1])):
        _create_together(job, actor, [row], digests, _match_persons(actor, row[1]))
    _create_together(job, actor, plain, digests, (0, []))


def _names_persons(data: IncidentData) -> bool:
    return any(t.person is not None and t.person_uuid is None for t in data.targets)


def _create_together(
    job: ImportJob,
    actor: User,
    rows: list[tuple[str, IncidentData, list[int]]],
    digests: dict[str, str],
    matched: tuple[int, list[tuple[int, list[PersonCandidate]]]],
) -> None:
    if not rows:
        return
    incidents = incidents_create(actor=actor, datas=[data for _, data, _ in rows])
    linked, flagged = matched
    if linked or flagged:
        job.reviews.extend(_reviews(incidents[0], rows[0][2][0], flagged))
        ImportJob.objects.filter(pk=job.pk).update(linked=F("linked") + linked, reviews=job.reviews)
    ImportedRecord.objects.bulk_create(
        ImportedRecord(
            organisation_id=job.organisation_id,
            external_key=key,
            digest=digests[key],
            incident=incident,
            job=job,
        )
        for (key, _, _), incident in zip(rows, incidents, strict=True)
    )


def _write_known(job: ImportJob, actor: User, record: ImportedRecord, data: IncidentData) -> str:
    """A row imported before: unchanged, or its incident updated; which counter it adds to."""
    digest = _digest(job, data)
    if record.digest == digest:
        ImportedRecord.objects.filter(pk=record.pk).update(job=job)
        return "unchanged"
    incident = m.Incident.objects.filter(pk=record.incident_id).select_for_update().get()
    incident_update(actor=actor, incident=incident, data=_merged(incident, data))
    ImportedRecord.objects.filter(pk=record.pk).update(digest=digest, job=job)
    return "updated"


def _match_persons(
    actor: User | None, data: IncidentData
) -> tuple[int, list[tuple[int, list[PersonCandidate]]]]:
    """Link the file's new persons who are recorded already beyond doubt (one candidate with
    every part of the name and a birth year or nationality agreeing, cases/duplicates.py);
    return how many, and the others who look like recorded persons, by target index."""
    if actor is None or not actor.sees_identities:
        return 0, []
    linked, flagged = 0, []
    for index, target in enumerate(data.targets):
        if target.person is None or target.person_uuid is not None:
            continue
        candidates = likely_duplicates(actor, target.person)
        strong = [c for c in candidates if c.strong]
        if len(strong) == 1:
            target.person_uuid, target.person = strong[0].uuid, None
            linked += 1
        elif candidates:
            flagged.append((index, candidates))
    return linked, flagged


@dataclass(frozen=True)
class PersonReview:
    """A person an import made who looks like one recorded before: for a case worker to merge
    (on the person's page) or leave."""

    row: int
    person: m.Person
    candidates: list[tuple[m.Person, list[str]]]  # with why each was found


def import_reviews(job: ImportJob) -> list[PersonReview]:
    ids = {i for r in job.reviews for i in [r["person"], *r["candidates"]]}
    persons = {
        str(p.uuid): p
        for p in m.Person.objects.filter(
            organisation_id=job.organisation_id, uuid__in=ids
        ).prefetch_related("names")
    }
    return [
        PersonReview(
            row=r["row"],
            person=persons[r["person"]],
            candidates=[
                (persons[c], why)
                for c, why in zip(r["candidates"], r["why"], strict=True)
                if c in persons
            ],
        )
        for r in job.reviews
        if r["person"] in persons
    ]


def _reviews(
    incident: m.Incident, row: int, flagged: list[tuple[int, list[PersonCandidate]]]
) -> list[dict[str, Any]]:
    targets = list(incident.targets.select_related("person").order_by("id"))
    return [
        {
            "row": row,
            "person": str(targets[index].person.uuid),
            "candidates": [str(c.uuid) for c in candidates],
            "why": [list(c.why) for c in candidates],
        }
        for index, candidates in flagged
    ]


def _finish(job: ImportJob, status: str, rejected: list[RowError]) -> ImportJob:
    job.refresh_from_db(fields=["created", "updated", "unchanged", "linked", "reviews"])
    with transaction.atomic():
        job.status = status
        job.rejected = len({e.row for e in rejected})
        job.errors = json.dumps([asdict(e) for e in rejected])
        job.rows_done = job.rows_total
        job.finished_at = timezone.now()
        job.save()
        audit_record(
            organisation=job.organisation,
            actor=None,
            action="import.finish" if status == ImportStatus.DONE else "import.fail",
            record_type="import",
            record_id=job.uuid,
            detail={
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
                "rejected_rows": job.rejected,
                "persons_linked": job.linked,
                "persons_to_review": len(job.reviews),
            },
        )
    return job


def job_errors(job: ImportJob) -> list[RowError]:
    return [RowError(**e) for e in json.loads(job.errors or "[]")]


def imports_resume_stale(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Queue again the runs whose worker died (no sign of life for a while); `serve` calls
    it at start. Returns how many."""
    from beyondreach.interchange.tasks import run_import

    cutoff = timezone.now() - older_than
    stale = ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=cutoff)
    count = 0
    for job in stale:
        run_import.enqueue(job.pk)
        count += 1
    return count


def _merged(incident: m.Incident, data: IncidentData) -> IncidentData:
    """The incident as recorded, with what the file says in place of what it said before:
    what a case worker added since (sources, responses, named targets) stays."""
    snap: dict[str, Any] = incident_snapshot(incident)
    data.narrative = data.narrative or snap["narrative"]
    data.tlp, data.status = snap["tlp"], snap["status"]
    data.scope, data.scope_criteria = snap["scope"], snap["scope_criteria"]
    data.scope_reason = snap["scope_reason"]
    data.place = data.place or snap["place"]
    data.coordinates = data.coordinates or snap["coordinates"]
    named = {t["name"] for t in snap["targets"]}
    kept = [
        TargetData(
            role=t["role"],
            person_uuid=uuid.UUID(t["person"]),
            target_group=t["target_group"],
            relation=t["relation"],
        )
        for t in snap["targets"]
        if t["member_of"] is None
    ]
    new = [t for t in data.targets if t.person and t.person.names[0].value not in named]
    data.targets = kept + new
    designations = list(data.mechanisms)
    data.mechanisms = designations + [
        MechanismData(
            kind=x["kind"],
            reference=x["reference"],
            issued_by=x["issued_by"],
            issued_on=_date(x["issued_on"]),
            issued_precision=x["issued_precision"],
            status=x["status"],
            status_on=_date(x["status_on"]),
        )
        for x in snap["legal_mechanisms"]
        if x["kind"] != m.MechanismKind.TERRORIST_DESIGNATION or not designations
    ]
    data.organisations = [
        OrganisationData(organisation_uuid=uuid.UUID(o["organisation"]))
        for o in snap["organisations"]
    ]
    data.actors = [ActorData(**a) for a in snap["actors"]]
    data.sources = [
        SourceData(**{**s, "published_on": _date(s["published_on"])})
        for s in ({k: v for k, v in x.items() if k != "id"} for x in snap["sources"])
    ]
    data.responses = [
        ResponseData(
            **{**r, "started_on": _date(r["started_on"]), "outcome_on": _date(r["outcome_on"])}
        )
        for r in snap["responses"]
    ]
    if snap["verification_overridden"]:
        data.verification_override = snap["verification"]
        data.verification_reason = snap["verification_reason"]
    data.assignee_uuid = uuid.UUID(snap["assignee"]) if snap["assignee"] else None
    data.due_date = _date(snap["due_date"])
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
