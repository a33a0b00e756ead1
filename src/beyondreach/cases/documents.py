"""Files kept with an incident: added by those who write records, read by those who see
identities, every step audited. The upload pipeline (type check by content, metadata-free
copy, memory-only uploads) is the one the reporting channel uses: beyondreach.core.attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.core import crypto
from beyondreach.core.attachments import Attachment
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.models import User
from beyondreach.core.sealed import aad_for, org_keys

DOCUMENTS_MAX = 50  # per incident: more belongs in a document store, not a case record


def incident_document_add(
    *, actor: User, incident: m.Incident, attachment: Attachment
) -> m.IncidentDocument:
    if not actor.can_write or actor.organisation_id != incident.organisation_id:
        raise PermissionDeniedError("Your role cannot add files to records.")
    if incident.documents.count() >= DOCUMENTS_MAX:
        raise PermissionDeniedError(f"An incident keeps at most {DOCUMENTS_MAX} files.")
    key = org_keys(incident.organisation_id).data
    with transaction.atomic():
        doc = m.IncidentDocument(
            organisation_id=incident.organisation_id,
            incident=incident,
            media_type=attachment.media_type,
            size=len(attachment.original),
            added_on=timezone.localdate(),
            added_by=actor,
        )
        doc.name = attachment.name
        doc.original_sealed = crypto.seal(key, attachment.original, aad_for(doc, "original"))
        doc.clean_sealed = crypto.seal(key, attachment.clean, aad_for(doc, "clean"))
        doc.save()
        _audit(actor, "incident.document_add", incident, doc)
    return doc


@dataclass(frozen=True)
class DocumentFile:
    name: str
    media_type: str
    data: bytes


def access_incident_document(
    user: User, incident: m.Incident, document_id: str
) -> m.IncidentDocument:
    """A document of an incident the caller may already see; 404 for anything else."""
    wanted = parse_record_id(document_id, "No such file.")
    doc = m.IncidentDocument.objects.filter(incident=incident, uuid=wanted).first()
    if doc is None:
        raise NotFoundError("No such file.")
    return doc


def incident_document_open(*, actor: User, doc: m.IncidentDocument, clean: bool) -> DocumentFile:
    """The decrypted file, for roles that see identities; the read is audited."""
    if not actor.sees_identities:
        raise PermissionDeniedError("Your role does not see files, which may identify people.")
    key = org_keys(doc.organisation_id).data
    field = "clean" if clean else "original"
    blob = bytes(doc.clean_sealed if clean else doc.original_sealed)
    data = crypto.unseal(key, blob, aad_for(doc, field))
    _audit(actor, "incident.document_view", doc.incident, doc, variant=field)
    return DocumentFile(name=doc.name, media_type=doc.media_type, data=data)


def _audit(
    actor: User, action: str, incident: m.Incident, doc: m.IncidentDocument, **detail: str
) -> None:
    assert actor.organisation is not None
    audit_record(
        organisation=actor.organisation,
        actor=actor,
        action=action,
        record_type="incident",
        record_id=incident.uuid,
        detail={"document": str(doc.uuid), **detail},
    )
