"""Files kept with an incident: sealed at rest, a metadata-free copy, roles respected."""

from __future__ import annotations

import io

from django.db import connection
from django.test import Client
from PIL import Image

from beyondreach.cases.models import IncidentDocument
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.core.models import AuditEvent

from ..conftest import Personas, verified_client
from .factories import incident_data

AUTHOR = "Summons photographed by Gulnara"


def _photo(name: str = "summons.jpg") -> io.BytesIO:
    exif = Image.Exif()
    exif[0x013B] = AUTHOR
    data = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 90)).save(data, "JPEG", exif=exif)
    data.seek(0)
    data.name = name
    return data


def test_a_case_worker_keeps_a_file_that_only_identity_roles_can_open(
    personas: Personas,
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = verified_client(personas.case_worker)
    added = client.post(f"/incidents/{incident.uuid}/documents/", {"file": _photo()})
    assert added.status_code == 302
    doc = IncidentDocument.objects.get()
    page = client.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "summons.jpg" in page and "is kept, encrypted" in page

    clean = client.get(f"/incidents/{incident.uuid}/documents/{doc.uuid}/clean/")
    original = client.get(f"/incidents/{incident.uuid}/documents/{doc.uuid}/original/")
    assert clean["Content-Disposition"].startswith("attachment")
    assert AUTHOR.encode() in original.content and AUTHOR.encode() not in clean.content
    assert Image.open(io.BytesIO(clean.content)).size == (40, 30)

    # At rest: neither the name nor the content in the clear.
    image = bytes(connection.connection.serialize()) if connection.vendor == "sqlite" else b""
    stored = bytes(doc.original_sealed) + bytes(doc.name_sealed) + image
    assert b"summons.jpg" not in stored and AUTHOR.encode() not in stored

    analyst = verified_client(personas.analyst)
    assert "summons.jpg" not in analyst.get(f"/incidents/{incident.uuid}/").content.decode()
    assert analyst.get(f"/incidents/{incident.uuid}/documents/{doc.uuid}/clean/").status_code == 403
    assert (
        analyst.post(f"/incidents/{incident.uuid}/documents/", {"file": _photo()}).status_code
        == 403
    )
    outsider = verified_client(personas.outsider)
    assert (
        outsider.get(f"/incidents/{incident.uuid}/documents/{doc.uuid}/clean/").status_code == 404
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"incident.document_add", "incident.document_view"} <= actions


def test_a_file_survives_an_edit_of_the_incident(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    verified_client(personas.case_worker).post(
        f"/incidents/{incident.uuid}/documents/", {"file": _photo()}
    )
    incident_update(actor=personas.case_worker, incident=incident, data=incident_data())
    assert IncidentDocument.objects.filter(incident=incident).count() == 1


def test_a_refused_file_is_named_and_nothing_is_kept(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = verified_client(personas.case_worker)
    bad = io.BytesIO(b"#!/bin/sh\necho not a document\n")
    bad.name = "notes.pdf"
    client.post(f"/incidents/{incident.uuid}/documents/", {"file": bad})
    page = client.get(f"/incidents/{incident.uuid}/").content.decode()
    assert "notes.pdf" in page and "not accepted" in page
    assert not IncidentDocument.objects.exists()
    assert Client().get(f"/incidents/{incident.uuid}/documents/").status_code == 302


def test_an_upload_cut_off_midway_is_refused_and_nothing_is_kept(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    client = verified_client(personas.case_worker)
    photo = _photo().getvalue()
    head = (
        b'--B0\r\nContent-Disposition: form-data; name="file"; filename="summons.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n"
    )
    answer = client.generic(
        "POST",
        f"/incidents/{incident.uuid}/documents/",
        head + photo[: len(photo) // 2],  # no closing boundary: the connection dropped
        content_type="multipart/form-data; boundary=B0",
    )
    assert answer.status_code == 400 and "did not arrive whole" in answer.content.decode()
    assert IncidentDocument.objects.count() == 0
