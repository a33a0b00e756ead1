"""Reading the date a reporter wrote ("spring 2024", "03/2023", "since 2015") into a start
date and its precision, for "turn into an incident".

Only what can be read without guessing is read: a day, a month, a year or a season, in
digits of any script, and month and season names in English, Spanish, French and Russian.
Anything else ("a few years ago", a date in words of another language) gives None, and the
case worker fills the date in: an invented date would make the incident count in the wrong
period. No library reads free-text dates across these languages without guessing (dateparser
fills missing parts from today's date, which is exactly the invention to avoid).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

MONTHS: dict[str, int] = {}
for number, names in enumerate(
    [
        "january enero janvier январь января январе jan ene janv",
        "february febrero février fevrier февраль февраля феврале feb fév",
        "march marzo mars март марта марте mar",
        "april abril avril апрель апреля апреле apr abr avr",
        "may mayo mai май мая мае",
        "june junio juin июнь июня июне jun",
        "july julio juillet июль июля июле jul juil",
        "august agosto août aout август августа августе aug ago",
        "september septiembre setiembre septembre сентябрь сентября сентябре sep sept",
        "october octubre octobre октябрь октября октябре oct",
        "november noviembre novembre ноябрь ноября ноябре nov",
        "december diciembre décembre decembre декабрь декабря декабре dec dic déc",
    ],
    start=1,
):
    MONTHS.update(dict.fromkeys(names.split(), number))

# The month a season starts in, in the northern hemisphere, where most hosts of exiles lie;
# the precision says "season", so nobody reads the first of the month as the day.
SEASONS: dict[str, int] = {}
for month, names in [
    (3, "spring primavera printemps весна весной весны"),
    (6, "summer verano été ete лето летом лета"),
    (9, "autumn fall otoño otono automne осень осенью осени"),
    (1, "winter invierno hiver зима зимой зимы"),
]:
    SEASONS.update(dict.fromkeys(names.split(), month))

LAST = {"last", "pasado", "pasada", "dernier", "dernière", "derniere", "прошлой", "прошлым"}


@dataclass(frozen=True)
class ReportedDate:
    start: dt.date
    precision: str  # a value of cases.models.DatePrecision


def _normalise(text: str) -> str:
    """Lower case, digits of any script as ASCII digits (Arabic-Indic, Persian, full width)."""
    chars = [str(unicodedata.digit(c)) if c.isdigit() else c for c in text.lower()]
    return "".join(chars)


NOT_NUMERIC = ReportedDate(dt.date.min, "")  # no date in digits: read the words instead


def _numeric(text: str) -> ReportedDate | None:
    """A date in digits, None for one that does not exist (31.02), or NOT_NUMERIC."""
    if m := re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", text):
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b", text):
        return _day(int(m[3]), int(m[2]), int(m[1]))  # day first, as outside the US
    if m := re.search(r"\b(\d{4})-(\d{1,2})\b", text) or re.search(
        r"\b(\d{1,2})[./](\d{4})\b", text
    ):
        year, month = (int(m[1]), int(m[2])) if len(m[1]) == 4 else (int(m[2]), int(m[1]))
        return _month(year, month)
    return NOT_NUMERIC


def _day(year: int, month: int, day: int) -> ReportedDate | None:
    try:
        return ReportedDate(dt.date(year, month, day), "day")
    except ValueError:
        return None


def _month(year: int, month: int, precision: str = "month") -> ReportedDate | None:
    return ReportedDate(dt.date(year, month, 1), precision) if 1 <= month <= 12 else None


def _words(text: str, received: dt.date) -> ReportedDate | None:
    words = re.findall(r"[^\W\d_]+", text)
    years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", text)]
    year = years[0] if years else None
    for word in words:
        if word in SEASONS or word in MONTHS:
            month = SEASONS.get(word) or MONTHS[word]
            if year is None and any(w in LAST for w in words):
                past = dt.date(received.year, month, 1) >= received.replace(day=1)
                year = received.year - 1 if past else received.year
            if year is None:
                return None
            return _month(year, month, "season" if word in SEASONS else "month")
    if year is not None:
        return ReportedDate(dt.date(year, 1, 1), "year")
    return None


def read_reported_date(text: str, *, received: dt.date) -> ReportedDate | None:
    """The start date a reporter's "when" names, or None when it cannot be read safely."""
    text = _normalise(text.strip())
    if not text:
        return None
    found = _numeric(text)
    if found is NOT_NUMERIC:
        found = _words(text, received)
    if found is None or found.start > received or found.start.year < 1900:
        return None  # a date after the report arrived is a typo, not a fact
    return found
