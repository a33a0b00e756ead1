"""`beyondreach`: every field and the history, to move records to another organisation or
server, encrypted to the receiving organisation's transfer key and signed with the sending
organisation's (interchange/transfer.py).

The plaintext is JSON lines: a header, then one document per incident, self-contained:

    {"format": "beyondreach", "version": 2, "exported_at": ..., "from": "<organisation>"}
    {"incident": <incident_snapshot>, "history": [<version>...],
     "persons": [{"person": <person_snapshot>, "history": [...]}...],
     "documents": [{"id", "name", "media_type", "size", "added_on", "original", "clean"}]}

A version is {"version", "at", "action", "changed_fields", "snapshot"}, the snapshot as it
was saved. A person of several incidents comes in each (the importer makes it once). Files
come whole (base64): a transfer is everything. Never written in plaintext anywhere: the
lines go straight into the encrypted stream.
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import orjson
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.export import person_snapshot
from beyondreach.core import crypto
from beyondreach.core.models import Organisation
from beyondreach.core.sealed import aad_for, org_keys
from beyondreach.interchange.formats import ExportContext, ExportFormat, Snapshot
from beyondreach.interchange.transfer import encrypt

VERSION = 2  # 2: the file is signed (transfer.py); the lines are as in version 1
BATCH = 100  # incidents whose persons, versions and files are read at once


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    if context.transfer is None:  # exports.export_incidents gives one for this format
        raise ValueError("A transfer file needs a recipient.")
    plain = transfer_lines(records, context.transfer.organisation_id)
    return encrypt(plain, context.transfer.recipient, context.transfer.signing)


def transfer_lines(records: Iterable[Snapshot], organisation_id: int) -> Iterator[bytes]:
    """The file's plaintext, a line at a time (for `encrypt`, which seals it as it comes)."""
    sender = Organisation.objects.get(pk=organisation_id)
    header = {
        "format": "beyondreach",
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "from": sender.name,
    }
    yield _line(header)
    it = iter(records)
    while batch := list(islice(it, BATCH)):
        yield from _batch(batch, organisation_id)


def _line(data: dict[str, Any]) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


def _batch(snapshots: list[Snapshot], org_id: int) -> Iterator[bytes]:
    person_ids = {t["person"] for s in snapshots for t in s["targets"]}
    persons = {
        str(p.uuid): p
        for p in m.Person.objects.filter(organisation_id=org_id, uuid__in=person_ids)
        .prefetch_related("names")
        .order_by()
    }
    history = _versions(org_id, [s["id"] for s in snapshots] + list(person_ids))
    files = _documents(org_id, [s["id"] for s in snapshots])
    for s in snapshots:
        yield _line(
            {
                "incident": dict(s),
                "history": history.get(s["id"], []),
                "persons": [
                    {
                        "person": person_snapshot(persons[t["person"]]),
                        "history": history.get(t["person"], []),
                    }
                    for t in s["targets"]
                ],
                "documents": files.get(s["id"], []),
            }
        )


def _versions(org_id: int, record_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = m.RecordVersion.objects.filter(
        organisation_id=org_id, record_uuid__in=record_ids
    ).order_by("record_uuid", "version")
    for v in rows:
        found[str(v.record_uuid)].append(
            {
                "version": v.version,
                "at": v.at.isoformat(),
                "action": v.action,
                "changed_fields": v.changed_fields,
                "snapshot": json.loads(v.snapshot) if v.snapshot else None,
            }
        )
    return found


def _documents(org_id: int, incident_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each incident's files, opened with the sender's data key (and sealed again, to the
    recipient, by the stream); read one at a time, as they may be large."""
    key = org_keys(org_id).data
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    listed = (
        m.IncidentDocument.objects.filter(organisation_id=org_id, incident__uuid__in=incident_ids)
        .order_by("id")
        .values_list("pk", "incident__uuid")
    )
    for pk, incident_uuid in listed:
        doc = m.IncidentDocument.objects.get(pk=pk)

        def opened(field: str, blob: bytes | memoryview, doc: m.IncidentDocument = doc) -> str:
            data = crypto.unseal(key, bytes(blob), aad_for(doc, field))
            return base64.b64encode(data).decode("ascii")

        found[str(incident_uuid)].append(
            {
                "id": str(doc.uuid),
                "name": doc.name,
                "media_type": doc.media_type,
                "size": doc.size,
                "added_on": doc.added_on.isoformat(),
                "original": opened("original", doc.original_sealed),
                "clean": opened("clean", doc.clean_sealed),
            }
        )
    return found


FORMAT = ExportFormat(
    code="beyondreach",
    label="Beyond Reach transfer file (encrypted)",
    media_type="application/octet-stream",
    extension="brx",
    write=write,
    description=(
        "Everything, with each record's history and files, to move records to another "
        "organisation or server: encrypted to the receiving organisation's transfer key. "
        "Admins only."
    ),
    transfer=True,
)
