"""The import API: POST /api/v1/imports (a file, its format, an optional mapping; a dry run
or a run in the worker), then GET /api/v1/imports/{id} for progress and the result.

Uploads stay in memory (settings.FILE_UPLOAD_HANDLERS) and are sealed at once. Only admins
and case workers import (403 for the other roles); an import of another organisation is 404.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from beyondreach.core.decorators import api_user
from beyondreach.core.errors import InvalidInputError
from beyondreach.interchange.imports import (
    access_import,
    import_create,
    import_map,
    import_plan,
    import_start,
    job_errors,
)
from beyondreach.interchange.models import ImportFormat, ImportJob, ImportStatus
from beyondreach.interchange.tasks import run_import

router = Router(tags=["imports"])


class RowErrorOut(Schema):
    row: int
    column: str
    value: str
    why: str


class PlanOut(Schema):
    create: int
    update: int
    unchanged: int
    rejected_rows: int
    persons_linked: int
    persons_to_review: int


class PersonReviewOut(Schema):
    """A person the import made who looks like one recorded before (ids, no name)."""

    row: int
    person: UUID
    candidates: list[UUID]
    why: list[list[str]]


class SenderOut(Schema):
    """Who signed a transfer file: its key, and whether this organisation knows it."""

    verify_key: str
    fingerprint: str
    known: bool
    name: str  # the partner's or organisation's name; empty when unknown


class ImportOut(Schema):
    id: UUID
    status: str
    format: str
    rows_total: int
    rows_done: int
    percent: int
    created: int
    updated: int
    unchanged: int
    rejected_rows: int
    persons_linked: int
    persons_to_review: list[PersonReviewOut]
    mapping: dict[str, str]
    unmatched: dict[str, dict[str, int]]
    ignored: dict[str, int]
    options: dict[str, str]
    plan: PlanOut | None
    errors: list[RowErrorOut]
    sender: SenderOut | None  # a transfer file's signer (None for other formats)


@router.post("/imports", response={201: ImportOut})
def imports_create(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[str],
    mapping: Form[str] = "",
    dry_run: Form[bool] = False,
    unknown_sender: Form[bool] = False,
) -> Status[dict[str, Any]]:
    """Upload a sheet. `mapping` is JSON {"columns": {...}, "values": {...}, "options":
    {...}} (default: the one proposed from the header). A dry run writes nothing and
    answers with the plan; else the run is queued and `GET /imports/{id}` follows it.
    A transfer file signed by a key this organisation does not know runs only with
    `unknown_sender` (admins; check `sender.fingerprint` with the sender first): without
    it, 422, and the upload waits on its page."""
    user = api_user(request)
    job = import_create(actor=user, fmt=format, filename=file.name or "file", content=file.read())
    if mapping:
        try:
            given = json.loads(mapping)
            assert isinstance(given, dict)
        except (ValueError, AssertionError) as exc:
            raise InvalidInputError({"mapping": ["Not a JSON object."]}) from exc
        import_map(
            actor=user,
            job=job,
            mapping=given.get("columns", job.mapping),
            values=given.get("values", {}),
            options=given.get("options"),
        )
    if not dry_run:
        import_start(actor=user, job=job, unknown_sender=unknown_sender)
        run_import.enqueue(job.pk)
    return Status(201, _out(job))


@router.get("/imports/{job_id}", response=ImportOut)
def imports_get(request: HttpRequest, job_id: UUID) -> dict[str, Any]:
    return _out(access_import(api_user(request), job_id))


def _out(job: ImportJob) -> dict[str, Any]:
    plan = import_plan(job) if job.status == ImportStatus.MAPPING else None
    errors = plan.errors() if plan is not None else job_errors(job)
    return {
        "id": job.uuid,
        "status": job.status,
        "format": job.format,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "percent": round(100 * job.rows_done / job.rows_total) if job.rows_total else 100,
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "rejected_rows": job.rejected,
        "persons_linked": job.linked,
        "persons_to_review": job.reviews,
        "mapping": job.mapping,
        "unmatched": plan.unmatched if plan else {},
        "ignored": plan.ignored if plan else {},
        "options": job.options,
        "plan": {
            "create": plan.count("create"),
            "update": plan.count("update"),
            "unchanged": plan.count("unchanged"),
            "rejected_rows": plan.rejected_rows(),
            "persons_linked": plan.linked(),
            "persons_to_review": plan.flagged(),
        }
        if plan
        else None,
        "errors": [vars(e) for e in errors],
        "sender": _sender(job),
    }


def _sender(job: ImportJob) -> dict[str, Any] | None:
    if job.format != ImportFormat.BEYONDREACH:
        return None
    from beyondreach.interchange.transfer_import import transfer_sender

    sender = transfer_sender(job)
    keys = ("verify_key", "fingerprint", "name")
    return {**{k: getattr(sender, k) for k in keys}, "known": sender.known}
