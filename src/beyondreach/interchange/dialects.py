"""How an import format writes its cells: several values in one cell, dates, coordinates, the
header's names and what makes a row's external id. `Dialect` is the one of the `fh` and `csv`
formats; `uwazi.UwaziDialect` reads Uwazi's CSV conventions (interchange/uwazi.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from beyondreach.cases import models as m

NOT_A_DATE = "Not a date (YYYY, YYYY-MM or YYYY-MM-DD) since 1900."
NOT_COORDINATES = "Not coordinates: write 'latitude, longitude', e.g. 41.01, 28.97."
FIRST_YEAR = 1900


@dataclass(frozen=True)
class When:
    """An incident's dates as a cell gives them: a start, and an end for a range."""

    start: date | None  # None: not known, with the precision "unknown"
    precision: str
    end: date | None = None
    end_precision: str = ""


DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", m.DatePrecision.DAY),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", m.DatePrecision.MONTH),
    (re.compile(r"^\d{4}$"), "%Y", m.DatePrecision.YEAR),
)
COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,|]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


# What a cell writes for a date not known (the precision "unknown"), in any case.
UNKNOWN_WORDS = {"unknown", "not known", "date unknown", "n/k"}


def iso_date(value: str) -> tuple[date, str] | None:
    """A date in ISO 8601 at the precision written (YYYY, YYYY-MM or YYYY-MM-DD), since 1900
    and not in the future; None for anything else."""
    for pattern, fmt, precision in DATE_FORMATS:
        if pattern.match(value):
            try:
                day = datetime.strptime(value, fmt).date()
            except ValueError:
                return None
            return (day, precision) if plausible(day) else None
    return None


def plausible(day: date) -> bool:
    return FIRST_YEAR <= day.year <= date.today().year


class Dialect:
    """Spreadsheet rows as our own formats and most sheets write them."""

    # Rows that share an external id are one incident (Freedom House repeats an incident
    # over rows, one per origin and host country).
    joins_rows = True
    # Whether a row without a date is one whose date is not known, rather than a mistake.
    blank_date_is_unknown = False

    def split(self, cell: str) -> list[str]:
        """A cell of several values: "|"- or ";"-separated."""
        return [v.strip() for v in re.split(r"[|;]", cell) if v.strip()]

    def words(self, word: str) -> list[str]:
        """The words to look a value up by, the most precise first."""
        return [word]

    def when(self, value: str) -> When | str:
        """The dates a cell gives, or why it gives none."""
        if value.strip().lower() in UNKNOWN_WORDS:
            return When(None, m.DatePrecision.UNKNOWN)
        found = iso_date(value)
        return When(*found) if found else NOT_A_DATE

    def coordinates(self, value: str) -> str | None:
        """ "lat,lon" as we store it, or None if the cell holds no valid coordinates."""
        found = COORDINATES.match(value)
        if found is None:
            return None
        lat, lon = found.groups()
        return f"{lat},{lon}" if abs(float(lat)) <= 90 and abs(float(lon)) <= 180 else None

    def derived_key(self, cells: Mapping[str, tuple[str, str]], row: list[str]) -> str:
        """A row's external id when the file gives none: the row itself (the same content is
        the same incident; a corrected row is a new one)."""
        return "row:" + "\x1f".join(row)

    def propose(self, column: str) -> tuple[str, str]:
        """The header as the field lists know it, and a language it is written in ("")."""
        return column, ""


def dialect_for(
    fmt: str, options: Mapping[str, str] | None = None, dates: Iterable[str] = ()
) -> Dialect:
    """The dialect of import format `fmt`; `dates`, the file's date cells, tell Uwazi's
    day/month order when the mapping does not."""
    if fmt == "uwazi":
        from beyondreach.interchange.uwazi import UwaziDialect

        return UwaziDialect(options or {}, dates)
    return Dialect()
