"""Whether, where and since when a perpetrator is sanctioned: the perpetrator's names matched
against the locally loaded lists (the screening app's index and scorer, with its threshold),
and the lists' sanctions records for the dates.

The screening index keeps legal entities only; the FtM Sanction records between them
(authority, programme, start and listing dates) are kept here, in ListSanction, by
`sanctions_store`, which `beyondreach lists load` calls in the same transaction as the load
(a reload replaces them with the list). A list that has no Sanction records but flags an
entity with the topic "sanction" gives the entity's own date (its `createdAt`, else the day
the publisher first saw it).

The status is computed when the page is shown, not stored: a reload of a list then shows at
once, and a perpetrator's names are opened in memory for the page anyway.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from beyondreach.accountability.perpetrator_models import (
    ListDecision,
    ListSanction,
    Perpetrator,
    PerpetratorKind,
    SanctionSource,
)
from beyondreach.screening.index import Found, search
from beyondreach.screening.matching import Subject, birth_value
from beyondreach.screening.models import ListEntity, PublicList
from beyondreach.screening.services import THRESHOLD

BATCH = 2000
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
SCHEMAS = {
    PerpetratorKind.OFFICIAL: ("Person", "LegalEntity"),
    PerpetratorKind.STATE_AGENCY: ("Organization", "PublicBody", "LegalEntity"),
    PerpetratorKind.COMPANY: ("Company", "Organization", "LegalEntity"),
}
ANY_SCHEMA = ("Person", "Organization", "Company", "PublicBody", "LegalEntity")


def _first(values: list[Any], limit: int = 300) -> str:
    return str(values[0])[:limit] if values else ""


def _earliest(values: Iterable[Any]) -> str:
    dates = sorted(str(v)[:10] for v in values if _DATE.fullmatch(str(v)[:10]))
    return dates[0] if dates else ""


def _sanction_rows(data: dict[str, Any], public_list: PublicList) -> list[ListSanction]:
    props = data.get("properties") or {}
    return [
        ListSanction(
            public_list=public_list,
            entity_id=str(entity)[:200],
            source=SanctionSource.SANCTION,
            authority=_first(props.get("authority", [])),
            program=_first(props.get("program", []) or props.get("programId", [])),
            country=_first(props.get("country", []), 10),
            start_date=_earliest(props.get("startDate", [])),
            listing_date=_earliest(props.get("listingDate", [])),
            end_date=_earliest(props.get("endDate", [])),
            datasets=sorted(str(d) for d in data.get("datasets", []) or []),
        )
        for entity in props.get("entity", [])
    ]


def _flagged_row(data: dict[str, Any], public_list: PublicList) -> ListSanction:
    props = data.get("properties") or {}
    return ListSanction(
        public_list=public_list,
        entity_id=str(data.get("id", ""))[:200],
        source=SanctionSource.ENTITY,
        start_date=_earliest(props.get("createdAt", [])) or _earliest([data.get("first_seen", "")]),
        datasets=sorted(str(d) for d in data.get("datasets", []) or []),
    )


def _records(lines: Iterable[str], public_list: PublicList) -> Iterable[ListSanction]:
    """The Sanction records of the file, then the flagged entities that have none."""
    flagged: dict[str, ListSanction] = {}
    with_record: set[str] = set()
    for line in lines:
        if not line.strip():
            continue
        data = json.loads(line)  # the load read this line as an FtM entity already
        if data.get("schema") == "Sanction":
            rows = _sanction_rows(data, public_list)
            with_record.update(r.entity_id for r in rows)
            yield from rows
        elif "sanction" in ((data.get("properties") or {}).get("topics") or []):
            flagged.setdefault(str(data.get("id", "")), _flagged_row(data, public_list))
    yield from (row for key, row in flagged.items() if key not in with_record)


def sanctions_store(public_list: PublicList, lines: Iterable[str]) -> int:
    """Replace the list's sanctions records with the file's, in the caller's transaction."""
    ListSanction.objects.filter(public_list=public_list).delete()
    records = iter(_records(lines, public_list))
    total = 0
    while batch := list(islice(records, BATCH)):
        ListSanction.objects.bulk_create(batch)
        total += len(batch)
    return total


@dataclass(frozen=True)
class SanctionHit:
    """A list entity that matched the perpetrator, with the list's sanctions records."""

    found: Found
    datasets: tuple[str, ...]
    records: tuple[ListSanction, ...]
    decision: str = ""  # ListDecision, or "" when nobody decided yet

    @property
    def set_aside(self) -> bool:
        """A namesake: shown apart, and not counted as the perpetrator's status."""
        return self.decision == ListDecision.DISMISSED

    @property
    def sanctioned(self) -> bool:
        return bool(self.records) or any(t.startswith("sanction") for t in self.found.topics)

    @property
    def since(self) -> str:
        return min((r.since for r in self.records if r.since), default="")


def perpetrator_subject(perpetrator: Perpetrator) -> Subject:
    """The perpetrator as the matcher sees it; the names exist only in this object."""
    countries = {perpetrator.state, perpetrator.nationality} - {""}
    return Subject(
        names=tuple(n.value for n in perpetrator.names.all() if n.value.strip()),
        birth_date=birth_value(perpetrator.birth_date),
        countries=frozenset(c.lower() for c in countries),
    )


def perpetrator_sanctions(perpetrator: Perpetrator) -> list[SanctionHit]:
    """The loaded lists' entities that are this perpetrator, best first, sanctioned first,
    each with the decision taken on it, if any."""
    subject = perpetrator_subject(perpetrator)
    if not subject.names:
        return []
    schemas = SCHEMAS.get(PerpetratorKind(perpetrator.kind), ANY_SCHEMA)
    found = search(subject, threshold=THRESHOLD, schemas=schemas)
    records: dict[tuple[str, str], list[ListSanction]] = {}
    for row in (
        ListSanction.objects.filter(entity_id__in=[f.ftm_id for f in found])
        .select_related("public_list")
        .order_by("start_date", "listing_date", "id")
    ):
        records.setdefault((row.public_list.name, row.entity_id), []).append(row)
    datasets = dict(
        ListEntity.objects.filter(pk__in=[f.entity_pk for f in found]).values_list("pk", "datasets")
    )
    # Sealed refs, opened here: a perpetrator has a handful of decisions at most.
    decisions = {d.entity_ref: d.decision for d in perpetrator.list_decisions.all()}
    hits = [
        SanctionHit(
            decision=decisions.get(f.ftm_id, ""),
            found=f,
            datasets=tuple(datasets.get(f.entity_pk) or ()),
            records=tuple(
                sorted(
                    records.get((f.list_name, f.ftm_id), []), key=lambda r: (not r.since, r.since)
                )
            ),
        )
        for f in found
    ]
    return sorted(hits, key=lambda h: (not h.sanctioned, -h.found.score.score))
