"""`uwazi`: incidents as rows that Uwazi's CSV import reads into a template "Incident", and
that our `uwazi` import reads back (interchange/uwazi.py has the conventions).

One row per incident. Each column is a property of the template, named by its label:
several values `|`-separated, tactics as `Family::Tactic` of a nested thesaurus, the dates
as one date or a range `from:to` at the precision recorded (YYYY, YYYY-MM or YYYY-MM-DD),
the coordinates as Uwazi's geolocation `lat|lon`, and the incident's UUID in `id`, the
column Uwazi's import matches entities by. A pseudonymised file has no place, narrative or
geolocation column and its titles are made of codes, since Uwazi needs a title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from beyondreach.cases import models as m
from beyondreach.cases.selectors import TACTIC_CATEGORIES
from beyondreach.interchange.export_formats.fh import accused_of_terrorism, target_group
from beyondreach.interchange.formats import (
    Cell,
    ExportContext,
    ExportFormat,
    Snapshot,
    country_name,
    csv_chunks,
    start_year,
)
from beyondreach.interchange.uwazi import MULTI, NESTED, RANGE_IMPORT
from beyondreach.vocab.loader import vocabulary

TEMPLATE = "Incident"
# The dates at their precision: Uwazi reads YYYY and YYYY-MM-DD, and YYYY-MM as its first day.
WIDTH = {m.DatePrecision.YEAR: 4, m.DatePrecision.MONTH: 7, m.DatePrecision.DAY: 10}


def _when(s: Snapshot) -> str:
    if not s["start_date"]:  # a date not known: Uwazi's date range is left empty
        return ""
    start = s["start_date"][: WIDTH.get(s["start_precision"], 10)]
    if not s["end_date"]:
        return str(start)
    end = s["end_date"][: WIDTH.get(s["end_precision"], 10)]
    return f"{start}{RANGE_IMPORT}{end}"


def _countries(key: str) -> Callable[[Snapshot], Cell]:
    return lambda s: MULTI.join(country_name(c) for c in s[key])


def _tactics(s: Snapshot) -> str:
    terms = vocabulary("tactics").terms
    return MULTI.join(_nested(terms[c].category, terms[c].label()) for c in s["tactics"])


def _nested(family: str, label: str) -> str:
    parent = TACTIC_CATEGORIES.get(family)
    return f"{parent}{NESTED}{label}" if parent else label


def coded_title(s: Snapshot) -> str:
    """A title that names nobody, for a file that names nobody: its tactics, states, year."""
    tactics = ", ".join(vocabulary("tactics").label(t) for t in s["tactics"])
    origins = ", ".join(country_name(c) for c in s["origin_states"])
    hosts = ", ".join(country_name(c) for c in s["host_countries"])
    where = f" in {hosts}" if hosts else ""
    return f"{tactics}: {origins}{where}, {start_year(s) or 'date not known'}"


def _geolocation(s: Snapshot) -> str:
    return MULTI.join(p.strip() for p in s["coordinates"].split(",")) if s["coordinates"] else ""


CODED: tuple[tuple[str, Callable[[Snapshot], Cell]], ...] = (
    ("Template", lambda s: TEMPLATE),
    ("id", lambda s: s["id"]),
    ("Date", _when),
    ("Origin state", _countries("origin_states")),
    ("Host country", _countries("host_countries")),
    ("Tactics", _tactics),
    ("Target group", target_group),
    ("Number of targets", lambda s: s["target_count"]),
    ("Accused of terrorism", lambda s: "Yes" if accused_of_terrorism(s) else "No"),
    ("Verification", lambda s: m.Verification(s["verification"]).label),
)
IDENTIFYING: tuple[tuple[str, Callable[[Snapshot], Cell]], ...] = (
    ("Place", lambda s: s["place"]),
    ("Geolocation", _geolocation),
    ("Narrative", lambda s: s["narrative"]),
)


def uwazi_rows(records: Iterable[Snapshot], context: ExportContext) -> Iterator[Sequence[Cell]]:
    more = () if context.pseudonymised else IDENTIFYING
    title: Callable[[Snapshot], Cell] = coded_title if context.pseudonymised else _title
    columns = (("Title", title), *CODED, *more)
    yield [name for name, _ in columns]
    for record in records:
        yield [value(record) for _, value in columns]


def _title(s: Snapshot) -> str:
    return str(s["title"])


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    return csv_chunks(uwazi_rows(records, context))


FORMAT = ExportFormat(
    code="uwazi",
    label="Uwazi (CSV)",
    media_type="text/csv; charset=utf-8",
    extension="csv",
    write=write,
    description="For Uwazi's CSV import, one entity per incident: several values separated "
    "by |, tactics as Family::Tactic, date ranges as from:to.",
)
