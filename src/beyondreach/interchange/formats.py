"""Export formats: each module of `export_formats` that defines `FORMAT` is one.

A format is a writer from incident snapshots (`cases.export.incident_snapshot`, the single
shape every audience is projected from) to the bytes of a file, streamed: it never holds the
whole file. Formats are found by module, so a new one is a new file.

The helpers below are for the writers of spreadsheet-like files: `inert` (no cell runs as a
formula), `country_name` (a country as people write it) and `csv_chunks` (CSV text in
chunks of bytes).
"""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry
from nacl.signing import SigningKey

Snapshot = Mapping[str, Any]
Cell = str | int | None


@dataclass(frozen=True)
class Transfer:
    """For a transfer format (`beyondreach`): whose records, and to whom the file is sealed."""

    organisation_id: int
    recipient: bytes  # the receiving organisation's X25519 public key
    signing: SigningKey  # the sending organisation's Ed25519 key (transfer.signing_key)


@dataclass(frozen=True)
class ExportContext:
    """What a writer may need besides the records: who reads the file."""

    pseudonymised: bool  # the file names nobody: pseudonyms instead of names, no free text
    # The organisation's key for the ids of records in the file (ftm, esf: EntityIds).
    id_key: bytes
    transfer: Transfer | None = None


@dataclass(frozen=True)
class ExportFormat:
    code: str
    label: str
    media_type: str
    extension: str
    write: Callable[[Iterable[Snapshot], ExportContext], Iterator[bytes]]
    # What the export page says of it, in a sentence.
    description: str = ""
    # Every field and the history, encrypted to a receiving organisation: for admins only,
    # and only with a recipient (`Transfer`).
    transfer: bool = False


@cache
def export_formats() -> dict[str, ExportFormat]:
    from beyondreach.interchange import export_formats as package

    found: dict[str, ExportFormat] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if isinstance(fmt, ExportFormat):
            found[fmt.code] = fmt
    return dict(sorted(found.items()))


# A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and
# carriage return, may once the cell is edited): "=HYPERLINK(...)" in a title typed by
# anyone who reported an incident would run on the analyst's machine (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Cell) -> Cell:
    """A text cell that a spreadsheet will show as text, never run: a leading single quote
    where it would start a formula. Numbers stay numbers (a negative number is no formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Where ISO 3166's English short name is not what people write (and pycountry has no
# `common_name`): Freedom House's reports say "Russia", not "Russian Federation".
COMMON_NAMES = {
    "RU": "Russia",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "PS": "Palestine",
}


def start_year(record: Snapshot) -> int | None:
    """The year an incident started, or None for a date not known (precision "unknown")."""
    start = record["start_date"]
    return int(start[:4]) if start else None


@cache
def country_name(code: str) -> str:
    """A country's English short name: pycountry's `common_name` where it has one ("Iran",
    "Vietnam", "Syria"), else its ISO 3166-1 `name` ("Türkiye", "China"), but COMMON_NAMES.
    A code pycountry does not know stays as it is."""
    if code in COMMON_NAMES:
        return COMMON_NAMES[code]
    found = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


CHUNK = 64 * 1024  # bytes handed on at a time: big enough for few writes, small to hold


def csv_chunks(rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """Rows as UTF-8 CSV, every cell `inert`, handed on in chunks of about CHUNK bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([inert(v) for v in row])
        if out.tell() >= CHUNK:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue().encode()


def many(values: Iterable[Cell]) -> str:
    """Several values in one cell, `|`-separated; a `|` or `\\` inside a value is escaped
    with a backslash, so the cell splits back into exactly its values."""
    return "|".join(
        "" if v is None else str(v).replace("\\", "\\\\").replace("|", "\\|") for v in values
    )
