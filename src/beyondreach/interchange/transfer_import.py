"""Importing a `beyondreach` transfer file (export_formats/beyondreach.py) into the receiving
organisation: opened with one of its transfer keys, every incident made again through the
services (validated, sealed with this organisation's key, indexed, audited), with its
persons, organisations, files and history.

- The whole file is opened and read before anything is written: a file for another key, or
  whose signature does not hold, or altered, or cut, is refused whole (TransferFileError)
  and writes nothing.
- The sender: the key that signed the file, known to this organisation or not
  (transfer_trust.py). A file from an unknown key starts only when an admin confirms it;
  the audit events of the upload and of the start name the key's fingerprint.
- Idempotent by the sender's UUIDs (blind-indexed, as imports.py keeps external ids): an
  incident imported before is left alone if the file says the same, updated if not; a person
  or targeted organisation is made once however many incidents of one file, or of several
  files, name it (`ImportedPart`).
- The history comes along, marked as imported (transfer_write.py).
- New UUIDs: the sender's are not reused (both organisations may be on one server).
  Not carried: the assignee (a user of the sender).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import User
from beyondreach.interchange.models import ImportedPart, ImportedRecord, ImportJob, TransferKey
from beyondreach.interchange.rows import RowError
from beyondreach.interchange.transfer import TransferFileError, decrypt, file_sender
from beyondreach.interchange.transfer_trust import Sender, sender_of, trusted_sender_save
from beyondreach.interchange.transfer_write import (
    Doc,
    check_errors,
    digest_of,
    document_write,
    incident_key,
    person_key,
)

if TYPE_CHECKING:
    from beyondreach.interchange.imports import Plan

FORMAT_VERSION = 2


@dataclass
class TransferFile:
    header: dict[str, Any]
    documents: list[Doc]
    sender: bytes  # the verify key whose signature holds over the whole file


def private_keys(organisation_id: int) -> dict[bytes, bytes]:
    """The organisation's transfer keys, retired ones too, by public key."""
    return {
        base64.b64decode(k.public_key): base64.b64decode(k.private_key)
        for k in TransferKey.objects.filter(organisation_id=organisation_id)
    }


def transfer_open(organisation_id: int, content: bytes) -> TransferFile:
    """The file's documents, all read and checked (its signature first) before the caller
    writes anything."""
    plain = b"".join(decrypt(content, private_keys(organisation_id)))
    lines = plain.splitlines()
    try:
        header = json.loads(lines[0]) if lines else {}
        documents = [json.loads(line) for line in lines[1:] if line.strip()]
    except ValueError as exc:
        raise TransferFileError("The file opens but its records are not JSON.") from exc
    if not isinstance(header, dict) or header.get("format") != "beyondreach":
        raise TransferFileError("The file opens but is not a Beyond Reach transfer.")
    if header.get("version") != FORMAT_VERSION:
        raise TransferFileError(
            f"The file is of version {header.get('version')!r}; this server reads version "
            f"{FORMAT_VERSION}. Update the server, or export again from the same version."
        )
    return TransferFile(header, documents, file_sender(content))


class TransferRefusedError(InvalidInputError):
    """A transfer file refused at upload, as a field error of the file, saying why."""

    def __init__(self, why: str) -> None:
        super().__init__({"file": [why]})
        self.message = why


def transfer_documents(organisation_id: int, content: bytes) -> tuple[int, Sender]:
    """How many incidents the file holds, once it is opened and read whole, and who signed
    it; a file that is not for this organisation, or not signed, or altered, or cut, is
    refused."""
    try:
        opened = transfer_open(organisation_id, content)
    except TransferFileError as exc:
        raise TransferRefusedError(exc.message) from exc
    return len(opened.documents), sender_of(organisation_id, opened.sender)


def job_transfer(job: ImportJob) -> TransferFile:
    return transfer_open(job.organisation_id, base64.b64decode(job.content))


def transfer_sender(job: ImportJob) -> Sender:
    """Who signed the job's file (checked when it was uploaded, and again at each reading)."""
    return sender_of(job.organisation_id, file_sender(base64.b64decode(job.content)))


def transfer_start_check(
    *, actor: User, job: ImportJob, unknown_sender: bool, trust_as: str
) -> dict[str, str]:
    """Refuse to start a file from an unknown sender unless an admin confirms it (and, if
    named, saves its key as a trusted partner); the audit detail naming the sender."""
    sender = transfer_sender(job)
    how = sender.how
    if trust_as.strip():
        trusted_sender_save(actor=actor, key=sender.verify_key, name=trust_as)
        how = how or "partner, saved now"
    elif not sender.known:
        if actor.role != "admin":
            raise PermissionDeniedError(
                "This file is signed by a key this organisation does not know: only an admin "
                "can import it, once they have checked the key with the sender."
            )
        if not unknown_sender:
            raise InvalidInputError(
                {
                    "unknown_sender": [
                        "This file is signed by a key this organisation does not know (starting "
                        f"{sender.fingerprint}). Check with the sender, by another channel, "
                        "that their key starts so, then confirm."
                    ]
                }
            )
        how = "unknown, confirmed"
    return {"sender": sender.fingerprint, "sender_known": how}


# --- The run --------------------------------------------------------------------------------


def numbered(file: TransferFile) -> Iterator[tuple[int, Doc]]:
    return enumerate(file.documents, start=1)


def transfer_run(job: ImportJob, actor: User) -> list[RowError]:
    """Write the file's incidents, one transaction each, skipping what this job wrote before
    it was stopped; return the errors of the incidents refused."""
    file = job_transfer(job)
    org_id = job.organisation_id
    checked = _checked(file)
    keys = {n: incident_key(org_id, d) for n, d in numbered(file) if not checked[n]}
    known = {
        r.external_key: r
        for r in ImportedRecord.objects.filter(
            organisation_id=org_id, external_key__in=list(keys.values())
        )
    }
    done = set(ImportedRecord.objects.filter(job=job).values_list("external_key", flat=True))
    rejected: list[RowError] = []
    for number, doc in numbered(file):
        errors, counter = checked[number], ""
        if not errors and keys[number] in done:
            continue
        if not errors:
            try:
                record = known.get(keys[number])
                counter = document_write(actor=actor, job=job, doc=doc, record=record)
            except InvalidInputError as exc:
                errors = [RowError(number, p, "", w) for p, ws in exc.errors.items() for w in ws]
        rejected.extend(errors)
        updates: dict[str, Any] = {"rows_done": F("rows_done") + 1, "heartbeat_at": timezone.now()}
        if counter:
            updates[counter] = F(counter) + 1
        ImportJob.objects.filter(pk=job.pk).update(**updates)
    return rejected


def _checked(file: TransferFile) -> dict[int, list[RowError]]:
    return {number: check_errors(number, doc) for number, doc in numbered(file)}


def transfer_plan(job: ImportJob) -> Plan:
    """What a run would do with each incident of the file, writing nothing: the dry run.
    `linked` counts the persons recorded already (by an earlier transfer, or an earlier
    incident of this file), named instead of made again."""
    from beyondreach.interchange.imports import Plan, PlannedIncident

    file = job_transfer(job)
    org_id = job.organisation_id
    checked = _checked(file)
    good = [(n, d) for n, d in numbered(file) if not checked[n]]
    known = {
        r.external_key: r
        for r in ImportedRecord.objects.select_related("incident").filter(
            organisation_id=org_id, external_key__in=[incident_key(org_id, d) for _, d in good]
        )
    }
    person_keys = {n: [person_key(org_id, p) for p in d["persons"]] for n, d in good}
    seen = set(
        ImportedPart.objects.filter(
            organisation_id=org_id, external_key__in=[k for ks in person_keys.values() for k in ks]
        ).values_list("external_key", flat=True)
    )
    planned: list[PlannedIncident] = []
    for number, doc in numbered(file):
        if checked[number]:
            planned.append(PlannedIncident([number], "reject", checked[number]))
            continue
        record = known.get(incident_key(org_id, doc))
        if record is None:
            keys = set(person_keys[number])
            planned.append(PlannedIncident([number], "create", linked=len(keys & seen)))
            seen.update(keys)
        elif record.digest == digest_of(org_id, doc):
            planned.append(PlannedIncident([number], "unchanged", incident=record.incident.uuid))
        else:
            planned.append(PlannedIncident([number], "update", incident=record.incident.uuid))
    return Plan(planned, {}, {})
