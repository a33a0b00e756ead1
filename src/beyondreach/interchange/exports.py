"""The export pipeline: the incident list's incidents, read in chunks, snapshotted for the
audience, written by a format, handed on as bytes; one audit event per export.

Roles see in an export exactly what they see on the page: the snapshot carries identities
only for a role that sees them and asks for the owner's audience; otherwise it is the
snapshot without them, and the format leaves out every identifying column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.selectors import IncidentFilters, incident_list_visible_to
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys
from beyondreach.interchange.formats import (
    ExportContext,
    ExportFormat,
    Snapshot,
    Transfer,
    export_formats,
)
from beyondreach.interchange.transfer import fingerprint, recipient_key, signing_key

Audience = Literal["owner", "pseudonymised"]
AUDIENCES: tuple[Audience, ...] = ("owner", "pseudonymised")
# Incidents read, and their parts prefetched, at a time: a few megabytes of rows in memory.
CHUNK_SIZE = 500


@dataclass(frozen=True)
class Export:
    format: ExportFormat
    identities: bool  # whether names and free text are in the file
    count: int  # incidents matched when the export began
    filename: str
    chunks: Iterator[bytes]


class UnknownFormatError(InvalidInputError):
    def __init__(self, code: str) -> None:
        text = f"No export format {code!r}; one of: {', '.join(export_formats())}."
        super().__init__({"format": [text]})
        self.message = text


def export_format(code: str) -> ExportFormat:
    found = export_formats().get(code)
    if found is None:
        raise UnknownFormatError(code)
    return found


def export_incidents(
    *,
    viewer: User,
    filters: IncidentFilters,
    format: str,
    audience: Audience = "owner",
    to: str = "",
) -> Export:
    """Export the incidents `viewer` sees on the list under `filters` in `format`; a
    transfer format (`beyondreach`) is for admins, and encrypted `to` a receiving
    organisation's public transfer key (or one of this server, by name).

    The audit event is written before any byte leaves, naming the format, the audience, the
    coded filters and the number of incidents: never a name, even one searched by.
    """
    fmt = export_format(format)
    if audience not in AUDIENCES:
        raise InvalidInputError({"audience": [f"One of: {', '.join(AUDIENCES)}."]})
    if viewer.organisation is None:
        raise NotFoundError("Not found.")
    transfer = _transfer(viewer, audience, to) if fmt.transfer else None
    identities = viewer.sees_identities and audience == "owner"
    qs = _export_queryset(viewer, filters)
    count = qs.order_by().count()
    audit_record(
        organisation=viewer.organisation,
        # The command line reads as an unsaved user of a role (cli.py): no actor row.
        actor=viewer if viewer.pk else None,
        action="incident.export",
        record_type="incident",
        detail={
            "format": fmt.code,
            "audience": audience,
            "identities": identities,
            "count": count,
            "filters": coded_filters(filters),
            "by": "user" if viewer.pk else "command line",
            **(_transfer_detail(transfer) if transfer else {}),
        },
    )
    records = _snapshots(qs, identities=identities)
    context = ExportContext(
        pseudonymised=not identities,
        id_key=org_keys(viewer.organisation.pk).pseudonym,
        transfer=transfer,
    )
    chunks = fmt.write(records, context)
    stamp = timezone.localdate().isoformat()
    return Export(fmt, identities, count, f"incidents-{fmt.code}-{stamp}.{fmt.extension}", chunks)


def _transfer(viewer: User, audience: Audience, to: str) -> Transfer:
    # Every name, note and file of every record: what only an admin may hand over.
    if viewer.role != "admin":
        raise PermissionDeniedError("Only admins export a transfer file: it holds every record.")
    if audience != "owner":
        raise InvalidInputError({"audience": ["A transfer file holds everything: owner only."]})
    if not to.strip():
        raise InvalidInputError({"to": ["Give the receiving organisation's transfer key."]})
    assert viewer.organisation is not None  # checked by the caller
    recipient = recipient_key(to)
    signing = signing_key(actor=viewer, organisation=viewer.organisation)
    return Transfer(viewer.organisation.pk, recipient, signing)


def _transfer_detail(transfer: Transfer) -> dict[str, str]:
    signed_by = bytes(transfer.signing.verify_key)
    return {"to": fingerprint(transfer.recipient), "signed_by": fingerprint(signed_by)}


def coded_filters(filters: IncidentFilters) -> dict[str, str]:
    """The filters given, for the audit log: codes and dates, and only whether a name was
    searched, never the name."""
    given = {k: v for k, v in asdict(filters).items() if v}
    if "q" in given:
        given["q"] = "(a name)"
    return {k: v.isoformat() if isinstance(v, date) else str(v) for k, v in given.items()}


def _export_queryset(viewer: User, filters: IncidentFilters) -> QuerySet[m.Incident]:
    # The list reads only what its rows show (`only`); a snapshot needs every column, and
    # the parts incident_snapshot walks, prefetched a chunk at a time by iterator().
    return (
        incident_list_visible_to(viewer, filters)
        .defer(None)
        .select_related("assignee")
        .prefetch_related(
            "origins",
            "hosts",
            "tactics",
            "actors",
            "mechanisms",
            "sources",
            "responses",
            "groups",
            Prefetch(
                "organisation_targets", m.IncidentOrganisation.objects.select_related("target")
            ),
            Prefetch(
                "targets",
                m.IncidentTarget.objects.select_related("person").prefetch_related("person__names"),
            ),
        )
    )


def _snapshots(qs: QuerySet[m.Incident], *, identities: bool) -> Iterator[Snapshot]:
    for incident in qs.iterator(chunk_size=CHUNK_SIZE):
        yield incident_snapshot(incident, identities=identities)
