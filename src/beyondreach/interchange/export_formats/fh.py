"""`fh`: incidents coded as Freedom House codes them (docs/data-model.md, "Freedom House's
coding"), one row per incident, origin state, host country and Freedom House tactic.

Freedom House's sheet has one origin, one host and one tactic a row, and repeats an incident
over several rows when it had several: so does this file, and `incident_id` ties the rows of
one incident together (count distinct ids for incidents; `targets` is the incident's, on each
of its rows). Two of our tactics with the same Freedom House name ("Digital threats") give
one row; an incident without a host country has an empty host; one with no tactic that
Freedom House names has one row with an empty tactic, so no incident is lost. Filter the list
by `definition=freedom_house` for Freedom House's own narrower count.
"""

from __future__ import annotations

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
from beyondreach.vocab.loader import vocabulary

HEADER = [
    "incident_id",
    "year",
    "origin_country",
    "host_country",
    "tactic",
    "target_group",
    "targets",
    "accused_of_terrorism",
]
TERRORISM = "terrorist_designation"  # a tactic code and a legal mechanism kind alike


def fh_tactics(codes: list[str]) -> list[str]:
    """The Freedom House names of tactics, once each, in the vocabulary's order."""
    terms = vocabulary("tactics").terms
    names = [t.freedom_house for t in terms.values() if t.code in codes and t.freedom_house]
    return list(dict.fromkeys(names))


def target_group(record: Snapshot) -> str:
    """The primary target's group, else the first group target's (what the row is about)."""
    groups = [t["target_group"] for t in record["targets"] if t["role"] == "primary"]
    groups += [g["target_group"] for g in record["groups"]]
    code = next((g for g in groups if g), "")
    return vocabulary("target_groups").label(code) if code else ""


def accused_of_terrorism(record: Snapshot) -> bool:
    return TERRORISM in record["tactics"] or any(
        x["kind"] == TERRORISM for x in record["legal_mechanisms"]
    )


def fh_rows(records: Iterable[Snapshot]) -> Iterator[Sequence[Cell]]:
    yield HEADER
    for r in records:
        year = start_year(r) or "unknown"  # read back as a date not known
        common = [target_group(r), r["target_count"], "Yes" if accused_of_terrorism(r) else "No"]
        for origin in r["origin_states"]:
            for host in r["host_countries"] or [""]:
                for tactic in fh_tactics(r["tactics"]) or [""]:
                    yield [r["id"], year, country_name(origin), country_name(host), tactic, *common]


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    # Nothing identifying is in these columns: the same file for every audience.
    return csv_chunks(fh_rows(records))


FORMAT = ExportFormat(
    code="fh",
    label="Freedom House coding (CSV)",
    media_type="text/csv; charset=utf-8",
    extension="csv",
    write=write,
    description="Year, origin country, host country, tactic in Freedom House's words, target "
    "group, targets: one row per incident, origin, host and tactic.",
)
