"""Uwazi's CSV conventions (HURIDOCS's Uwazi, app/api/csv: csvDefinitions, typeParsers,
typeFormatters, entityRow), read by the `uwazi` import and written by the `uwazi` export.

- Several values in a cell are `|`-separated (never `;`: Uwazi keeps it as text).
- A value of a nested thesaurus is `Parent::Child` (a tactic's family, then the tactic).
- A date range is `from:to` on import and `from~to` in Uwazi's own export: both are read.
- Dates in any of the formats Uwazi's import reads: its collection's format (day/month/year
  or month/day/year), "LL" ("January 3, 2022"), YYYY/MM/DD, YYYY MM DD, YYYY-MM-DD and YYYY.
- A header ending in `__xx` is the column of language xx (`Title__es`): one value a field,
  so the English column, else the first language's, is proposed; the others stay ignored.
- A geolocation is `lat|lon`; an entity's id (its `sharedId`) is in a column `id`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from beyondreach.cases import models as m
from beyondreach.interchange.dialects import (
    NOT_A_DATE,
    UNKNOWN_WORDS,
    Dialect,
    When,
    iso_date,
    plausible,
)

MULTI = "|"
NESTED = "::"
RANGE_IMPORT = ":"
RANGE_EXPORT = "~"
LANGUAGE = "__"
DATE_FORMATS = ("DD/MM/YYYY", "MM/DD/YYYY")  # the two orders a collection's format may have

SEVERAL_DATES = (
    "Several dates or ranges: an incident has one date or one range (from:to); keep one."
)
NO_START = "A range without its start: write from:to or from: (open end)."
AMBIGUOUS = (
    "Day and month could be either way round: choose Uwazi's date format "
    "(day/month/year or month/day/year) in the mapping."
)

_LANGUAGE = re.compile(r"^(.*\S)\s*__([A-Za-z]{2,3}(?:-[A-Za-z]+)?)$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/ ](\d{1,2})[/ ](\d{1,2})$")
_WORDS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y")


def language_of(header: str) -> tuple[str, str]:
    """`Title__es` is ("Title", "es"); a header without a language is (header, "")."""
    found = _LANGUAGE.match(header.strip())
    return (found.group(1), found.group(2).lower()) if found else (header.strip(), "")


def date_order(options: Mapping[str, str], cells: Iterable[str]) -> str:
    """ "DMY" or "MDY" for dates written NN/NN/YYYY: the format chosen in the mapping, else
    the one the file shows (a day past 12 on one side), else "" (each such date is then
    ambiguous unless day and month are the same)."""
    chosen = options.get("date_format", "").upper().replace("-", "/").replace(".", "/")
    if chosen in DATE_FORMATS:
        return "DMY" if chosen.startswith("DD") else "MDY"
    seen = set()
    for cell in cells:
        for value in re.split(r"[|:~]", cell):
            found = _NUMERIC.match(value.strip())
            if found and int(found.group(1)) > 12:
                seen.add("DMY")
            elif found and int(found.group(2)) > 12:
                seen.add("MDY")
    return seen.pop() if len(seen) == 1 else ""


def uwazi_date(value: str, order: str) -> tuple[date, str] | str:
    """One date in a format Uwazi's import reads, at the precision it is written, or why not."""
    text = value.strip()
    found = iso_date(text) or _year_first(text)
    if found:
        return found
    numeric = _NUMERIC.match(text)
    if numeric:
        a, b, year = (int(g) for g in numeric.groups())
        if order == "" and a != b and a <= 12 and b <= 12:
            return AMBIGUOUS
        day, month = (b, a) if order == "MDY" or (order == "" and b > 12) else (a, b)
        return _day(year, month, day) or NOT_A_DATE
    for fmt in _WORDS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return (parsed, m.DatePrecision.DAY) if plausible(parsed) else NOT_A_DATE
    return NOT_A_DATE


def _year_first(text: str) -> tuple[date, str] | None:
    found = _YEAR_FIRST.match(text)
    return _day(*(int(g) for g in found.groups())) if found else None


def _day(year: int, month: int, day: int) -> tuple[date, str] | None:
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    return (parsed, m.DatePrecision.DAY) if plausible(parsed) else None


class UwaziDialect(Dialect):
    # An Uwazi entity is one row: two rows with the same id (or title and date) are an
    # error to show, not one incident to join.
    joins_rows = False
    # Uwazi's date property is optional: an entity without one has a date not known.
    blank_date_is_unknown = True

    def __init__(self, options: Mapping[str, str], dates: Iterable[str] = ()) -> None:
        self.order = date_order(options, dates)

    def split(self, cell: str) -> list[str]:
        return [v.strip() for v in cell.split(MULTI) if v.strip()]

    def words(self, word: str) -> list[str]:
        # "Digital::Phishing": the whole value (which a value mapping may name), then the
        # child alone; the parent alone would be a family of tactics, not a tactic.
        parent, _, child = word.rpartition(NESTED)
        return [word, child.strip()] if parent else [word]

    def when(self, value: str) -> When | str:
        if value.strip().lower() in UNKNOWN_WORDS:
            return When(None, m.DatePrecision.UNKNOWN)
        if MULTI in value.strip(MULTI):
            return SEVERAL_DATES
        text = value.strip(MULTI).strip()
        separator = RANGE_EXPORT if RANGE_EXPORT in text else RANGE_IMPORT
        first, _, last = (p.strip() for p in text.partition(separator))
        if not first:
            return NO_START
        start = uwazi_date(first, self.order)
        end = uwazi_date(last, self.order) if last else None
        if isinstance(start, str):
            return start
        if isinstance(end, str):
            return end
        return When(start[0], start[1], *(end or (None, "")))

    def derived_key(self, cells: Mapping[str, tuple[str, str]], row: list[str]) -> str:
        """Uwazi's CSV has no id unless one is added (`id`, its sharedId): an entity is then
        known by its title and date, as Uwazi's own export lists it."""
        title = cells.get("title", ("", ""))[1]
        when = (cells.get("start_date") or cells.get("year") or ("", ""))[1]
        if not title:
            return super().derived_key(cells, row)
        return f"title:{title}\x1f{when}"

    def propose(self, column: str) -> tuple[str, str]:
        base, language = language_of(column)
        if base.lower().endswith("geolocation"):  # a property `x_geolocation`, as Uwazi names one
            base = "Geolocation"
        if base.lower() == "sharedid":
            base = "id"
        return base, language
