"""`dyads`: the origin state, host country and year table researchers model, with the number
of incidents and of targets in each, counted as statistics count flows
(statistics/flows.py): an incident with two origin states and two host countries is in four
dyads, once in each; targets are the incidents' `target_count` summed (a group by its size).
An incident without a host country has its reason for none in `host` ("online_only"...);
one whose date is not known has an empty `year`, and its rows come last.

The table is counted before it is written: memory grows with the number of dyads (a few
thousand), not with the incidents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from beyondreach.interchange.formats import (
    Cell,
    ExportContext,
    ExportFormat,
    Snapshot,
    country_name,
    csv_chunks,
    start_year,
)

HEADER = ["origin", "origin_name", "host", "host_name", "year", "incidents", "targets"]
Dyad = tuple[str, str, int | None]


def count_dyads(records: Iterable[Snapshot]) -> tuple[Counter[Dyad], Counter[Dyad]]:
    incidents: Counter[Dyad] = Counter()
    targets: Counter[Dyad] = Counter()
    for r in records:
        year = start_year(r)
        hosts = r["host_countries"] or [r["host_reason"] or "unknown"]
        for dyad in {(o, h, year) for o in r["origin_states"] for h in hosts}:
            incidents[dyad] += 1
            targets[dyad] += r["target_count"]
    return incidents, targets


def dyad_rows(records: Iterable[Snapshot]) -> Iterator[Sequence[Cell]]:
    incidents, targets = count_dyads(records)
    yield HEADER
    for dyad in sorted(incidents, key=lambda d: (d[2] is None, d[2] or 0, d[0], d[1])):
        origin, host, year = dyad
        named = country_name(host) if len(host) == 2 else ""
        shown = "" if year is None else year
        yield [origin, country_name(origin), host, named, shown, incidents[dyad], targets[dyad]]


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    return csv_chunks(dyad_rows(records))


FORMAT = ExportFormat(
    code="dyads",
    label="Dyads: origin, host and year (CSV)",
    media_type="text/csv; charset=utf-8",
    extension="csv",
    write=write,
    description="The number of incidents and of targets for each origin state, host country "
    "and year.",
)
