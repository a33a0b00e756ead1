"""`sdg16101`: the table of UN SDG indicator 16.10.1 (docs/data-model.md): verified cases of
the indicator's violations against journalists, trade unionists and human-rights defenders,
by year, violation and victim group, as OHCHR collects them.

- verified: the incident's `verification` is `corroborated` (two independent, reliable
  sources: the indicator's own rule); other incidents are left out;
- violation: the incident's tactics through VIOLATIONS; a tactic the indicator does not count
  (a Red Notice, a smear campaign) adds nothing;
- victim group: a target's `target_group` (a person, or a group by its size) among the three
  the indicator counts; the person's statuses are not in the incident's snapshot, and the
  target group says why this person was targeted, which is what the indicator asks.

`cases` counts incidents, `victims` the victims of that group in them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from beyondreach.cases.models import Verification
from beyondreach.interchange.formats import (
    Cell,
    ExportContext,
    ExportFormat,
    Snapshot,
    csv_chunks,
    start_year,
)

# Our tactics as the indicator's violations. It also counts torture and kidnapping, which
# our vocabulary has no tactic for: they are recorded in the narrative, so never counted here.
VIOLATIONS = {
    "assassination": "Killing",
    "rendition": "Enforced disappearance",
    "host_detention": "Arbitrary detention",
}
GROUPS = {
    "journalist": "Journalist or associated media personnel",
    "trade_unionist": "Trade unionist",
    "human_rights_defender": "Human rights defender",
}
HEADER = ["year", "violation", "victim_group", "cases", "victims"]
Key = tuple[int, str, str]


def victims_by_group(record: Snapshot) -> Counter[str]:
    found: Counter[str] = Counter()
    for target in record["targets"]:
        if target["target_group"] in GROUPS and target["member_of"] is None:
            found[target["target_group"]] += 1
    for group in record["groups"]:
        if group["target_group"] in GROUPS:
            found[group["target_group"]] += group["size"]
    return found


def sdg_rows(records: Iterable[Snapshot]) -> Iterator[Sequence[Cell]]:
    cases: Counter[Key] = Counter()
    victims: Counter[Key] = Counter()
    for r in records:
        year = start_year(r)
        # The indicator is a count per year: an incident whose date is not known has none.
        if r["verification"] != Verification.CORROBORATED or year is None:
            continue
        violations = {VIOLATIONS[t] for t in r["tactics"] if t in VIOLATIONS}
        groups = victims_by_group(r)
        for violation in violations:
            for group, n in groups.items():
                key = (year, violation, GROUPS[group])
                cases[key] += 1
                victims[key] += n
    yield HEADER
    for key in sorted(cases):
        yield [*key, cases[key], victims[key]]


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    return csv_chunks(sdg_rows(records))


FORMAT = ExportFormat(
    code="sdg16101",
    label="UN SDG 16.10.1 table (CSV)",
    media_type="text/csv; charset=utf-8",
    extension="csv",
    write=write,
    description="Verified killings, enforced disappearances and arbitrary detentions of "
    "journalists, trade unionists and human-rights defenders, by year.",
)
