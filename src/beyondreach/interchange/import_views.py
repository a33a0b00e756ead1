"""The import pages: upload, map and check (the dry run), run with a progress bar, result.

Thin views: the work is in interchange.imports. The upload stays in memory (the handler of
the reporting form) and is sealed before anything else happens to it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from beyondreach.cases.forms import COUNTRIES
from beyondreach.core.attachments import RequestCutOff, RequestTooLarge, install_memory_only_uploads
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import InvalidInputError, NotFoundError
from beyondreach.core.models import User
from beyondreach.interchange.imports import (
    access_import,
    import_create,
    import_map,
    import_plan,
    import_reviews,
    import_start,
    imports_visible_to,
    job_errors,
    job_table,
)
from beyondreach.interchange.models import ImportFormat, ImportJob, ImportStatus, TransferKey
from beyondreach.interchange.rows import CODED_FIELDS, FIELDS, by_row, rows_as_csv
from beyondreach.interchange.tasks import run_import
from beyondreach.interchange.transfer import transfer_key_current
from beyondreach.interchange.transfer_import import transfer_sender
from beyondreach.interchange.transfer_trust import Sender, trusted_senders

SHOWN_ERRORS = 200
DATE_FORMAT_CHOICES = [
    ("", "As the file shows (a day past 12)"),
    ("DD/MM/YYYY", "Day/month/year (03/01/2022 is 3 January)"),
    ("MM/DD/YYYY", "Month/day/year (03/01/2022 is 1 March)"),
]


@csrf_exempt  # the upload handler goes in first; _imports then checks the CSRF token
@member_required(write=True)
def import_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            install_memory_only_uploads(request)
            return _imports(request)
        except (RequestTooLarge, RequestCutOff) as exc:
            return HttpResponse(str(exc.message), status=400, content_type="text/plain")
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return _imports(request)


@csrf_protect
def _imports(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInputError({"file": ["Choose a file."]})
            job = import_create(
                actor=user,
                fmt=request.POST.get("format", ""),
                filename=upload.name or "file",
                content=upload.read(),
            )
            return redirect("import-detail", job_id=job.uuid)
        except InvalidInputError as exc:
            errors = exc.errors
    admin = user.role == "admin" and user.organisation_id is not None
    context = {
        "jobs": imports_visible_to(user),
        "formats": ImportFormat.choices,
        "errors": errors,
        "admin": admin,
        "transfer_key": _transfer_key(user),
        "trusted": trusted_senders(user.organisation_id) if user.organisation_id and admin else [],
    }
    return render(request, "interchange/import_list.html", context, status=400 if errors else 200)


def _transfer_key(user: User) -> TransferKey | None:
    # The public key, for an admin to give to a sender (made with `beyondreach transfer-key`).
    if user.role != "admin" or user.organisation is None:
        return None
    return transfer_key_current(user.organisation)


@member_required(write=True)
def import_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    user = request_user(request)
    job = access_import(user, job_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                confirmed = request.POST.get("unknown_sender") == "yes"
                trust_as = request.POST.get("trust_as", "")
                import_start(actor=user, job=job, unknown_sender=confirmed, trust_as=trust_as)
                run_import.enqueue(job.pk)
                return redirect("import-detail", job_id=job.uuid)
            mapping, values = _posted_mapping(request, job)
            options = {"date_format": request.POST.get("date_format", "")}
            import_map(actor=user, job=job, mapping=mapping, values=values, options=options)
            return redirect("import-detail", job_id=job.uuid)
        except InvalidInputError as exc:
            errors = exc.errors
            job.refresh_from_db()
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    context = {"job": job, "errors": errors, "sender": _sender(job), **_state(job)}
    return render(request, "interchange/import_detail.html", context, status=400 if errors else 200)


def _sender(job: ImportJob) -> Sender | None:
    return transfer_sender(job) if job.format == ImportFormat.BEYONDREACH else None


def _posted_mapping(
    request: HttpRequest, job: ImportJob
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    mapping = {column: request.POST.get(f"col-{i}", "") for i, column in enumerate(job.columns)}
    values: dict[str, dict[str, str]] = {k: dict(v) for k, v in job.values.items()}
    for f in CODED_FIELDS:
        for key in request.POST:
            word = request.POST.get(key, "")
            if key.startswith(f"word-{f.code}-"):
                code = request.POST.get("code-" + key.removeprefix("word-"), "").strip()
                if code:
                    values.setdefault(f.code, {})[word] = code
    return mapping, values


def _state(job: ImportJob) -> dict[str, object]:
    if job.status == ImportStatus.MAPPING:
        plan = import_plan(job)
        shown = plan.errors()[:SHOWN_ERRORS]
        return {
            "fields": FIELDS,
            "columns": [(i, c, job.mapping.get(c, "")) for i, c in enumerate(job.columns)],
            "unmatched": [
                (f, sorted(plan.unmatched[f.code].items()), _choices(f.coded))
                for f in CODED_FIELDS
                if f.code in plan.unmatched
            ],
            "plan": {
                "create": plan.count("create"),
                "update": plan.count("update"),
                "unchanged": plan.count("unchanged"),
                "rejected_rows": plan.rejected_rows(),
                "linked": plan.linked(),
                "flagged": plan.flagged(),
            },
            "row_errors": shown,
            "ignored": sorted(plan.ignored.items()),
            "date_formats": DATE_FORMAT_CHOICES if job.format == ImportFormat.UWAZI else [],
        }
    if job.status == ImportStatus.DONE:
        return {"row_errors": job_errors(job)[:SHOWN_ERRORS], "reviews": import_reviews(job)}
    return {}


def _choices(coded: str) -> list[tuple[str, str]]:
    if coded == "country":
        return COUNTRIES
    from beyondreach.vocab.loader import vocabulary

    return vocabulary(coded).choices()


@require_safe
@member_required(write=True)
def import_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    job = access_import(request_user(request), job_id)
    return render(request, "interchange/_import_progress.html", {"job": job})


@require_safe
@member_required(write=True)
def import_rejected(request: HttpRequest, job_id: str) -> HttpResponse:
    """The rejected rows as they came, with their errors: to fix and import again."""
    job = access_import(request_user(request), job_id)
    if job.format == ImportFormat.BEYONDREACH:  # no rows: its errors are on the import's page
        raise NotFoundError("A transfer file has no rows to give back.")
    errors = job_errors(job) if job.status == ImportStatus.DONE else import_plan(job).errors()
    body = "".join(rows_as_csv(job_table(job), by_row(errors)))
    return HttpResponse(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rejected-rows.csv"'},
    )
