"""Adding and downloading an incident's files (the pages are in incident_detail.html)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from beyondreach.cases.documents import (
    access_incident_document,
    incident_document_add,
    incident_document_open,
)
from beyondreach.cases.selectors import access_incident
from beyondreach.core.attachments import (
    ATTACHMENTS_MAX,
    AttachmentRejected,
    RequestCutOff,
    RequestTooLarge,
    attachment_download,
    install_memory_only_uploads,
    prepare_attachment,
)
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import ApplicationError


@csrf_exempt  # the upload handler goes in first; _add below then checks the CSRF token
@member_required(write=True)
def incident_document_add_view(request: HttpRequest, incident_id: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:  # around the csrf_protect call: the CSRF check is what first reads the body
        handler = install_memory_only_uploads(request)
        return _add(request, incident_id, handler.too_large)
    except RequestTooLarge as exc:
        return HttpResponse(str(exc.message), status=413, content_type="text/plain")
    except RequestCutOff as exc:  # nothing was kept: the body never arrived whole
        return HttpResponse(str(exc.message), status=400, content_type="text/plain")


@csrf_protect
def _add(request: HttpRequest, incident_id: str, too_large: list[str]) -> HttpResponse:
    user = request_user(request)
    incident = access_incident(user, incident_id)
    files = request.FILES.getlist("file")
    for name in too_large:
        messages.error(request, f"“{name}” is too large and was not kept.")
    if not files and not too_large:
        messages.error(request, "Choose a file first.")
    for upload in files[:ATTACHMENTS_MAX]:
        try:
            attachment = prepare_attachment(upload.name or "file", upload.read())
            incident_document_add(actor=user, incident=incident, attachment=attachment)
            messages.success(request, f"“{attachment.name}” is kept, encrypted.")
        except AttachmentRejected as exc:
            messages.error(request, f"“{upload.name}”: {exc.message}")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect(f"/incidents/{incident.uuid}/#documents")


@require_GET
@member_required()
def incident_document_file(
    request: HttpRequest, incident_id: str, document_id: str, variant: str
) -> HttpResponse:
    user = request_user(request)
    incident = access_incident(user, incident_id)
    doc = access_incident_document(user, incident, document_id)
    clean = variant != "original"
    opened = incident_document_open(actor=user, doc=doc, clean=clean)
    return attachment_download(opened.data, opened.media_type, opened.name, clean=clean)
