"""From a spreadsheet's rows to incidents: reading CSV and XLSX, the fields a column can map
to, the header's proposed mapping, and each incident's rows turned into `IncidentData` with
every error named by row, column, value and why.

Rows that share an external id are one incident (Freedom House's rows repeat an incident for
each origin and host country): their countries and tactics are joined, the rest taken from
the first row that has it, the number of targets as the largest given. How cells are written
(several values, dates, coordinates) is the format's dialect (dialects.py, uwazi.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from beyondreach.cases import models as m
from beyondreach.cases.inputs import (
    GroupData,
    IncidentData,
    MechanismData,
    NameData,
    PersonData,
    TargetData,
    incident_validate,
)
from beyondreach.core.errors import InvalidInputError
from beyondreach.interchange.dialects import NOT_COORDINATES, Dialect, When, dialect_for
from beyondreach.interchange.formats import FORMULA_STARTS, inert
from beyondreach.interchange.values import country_code, normalise, term_code


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    headers: tuple[str, ...]  # header names that propose this field, normalised
    coded: str = ""  # "country" or a vocabulary's name: words to map to codes
    many: bool = False  # several values in a cell, "|"- or ";"-separated


FIELDS = (
    Field("external_id", "Their incident id", ("incident id", "id", "external id", "case id")),
    Field("title", "Title", ("title", "headline")),
    Field("narrative", "Narrative", ("narrative", "description", "summary", "details")),
    Field(
        "start_date",
        "Date (YYYY, YYYY-MM or YYYY-MM-DD)",
        ("start date", "date", "dates", "date range", "incident date", "date of incident"),
    ),
    Field("year", "Year", ("year",)),
    Field(
        "origin_country",
        "Origin state",
        (
            "origin country",
            "origin",
            "origin state",
            "origin states",
            "country of origin",
            "perpetrator",
        ),
        coded="country",
        many=True,
    ),
    Field(
        "host_country",
        "Host country",
        ("host country", "host", "host countries", "country of residence"),
        coded="country",
        many=True,
    ),
    Field("tactic", "Tactic", ("tactic", "tactics"), coded="tactics", many=True),
    Field(
        "target_group",
        "Target group",
        ("target group", "target type", "group"),
        coded="target_groups",
    ),
    Field("targets", "Number of targets", ("targets", "target count", "number of targets")),
    Field("target_name", "Target's name", ("target name", "name", "victim", "target")),
    # What tells a target from another of the same name (interchange/imports.py links a
    # recorded person or flags a likely duplicate with them).
    Field(
        "target_birth",
        "Target's birth date or year",
        ("birth date", "date of birth", "born", "birth year", "year of birth"),
    ),
    Field(
        "target_nationality",
        "Target's nationality",
        ("nationality", "nationalities", "citizenship", "target nationality"),
        coded="country",
        many=True,
    ),
    Field(
        "accused_of_terrorism",
        "Accused of terrorism (yes/no)",
        ("accused of terrorism", "terrorism"),
    ),
    Field("place", "City or region", ("place", "city", "city or region")),
    Field(
        "coordinates",
        "Coordinates (latitude, longitude)",
        ("coordinates", "geolocation", "latitude longitude", "lat lon"),
    ),
)
FIELD_BY_CODE = {f.code: f for f in FIELDS}
CODED_FIELDS = tuple(f for f in FIELDS if f.coded)

TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
MAX_TARGETS = 1_000_000


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]  # each as long as `columns`
    # Each row's line in the sheet (the header is line 1), blank lines counted: Uwazi's
    # files have one after the header.
    lines: list[int] = field(default_factory=list)

    def line(self, offset: int) -> int:
        return self.lines[offset] if self.lines else offset + 2


def read_table(content: bytes) -> Table:
    """The first sheet of an XLSX file, or a CSV file (UTF-8, with or without a BOM; comma,
    semicolon or tab), as text cells. Raises InvalidInputError for anything else."""
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            {"file": [f"Not UTF-8 text (byte {exc.start}): save the sheet as CSV UTF-8."]}
        ) from exc
    if not text.strip():
        raise InvalidInputError({"file": ["The file is empty."]})
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    return _table(list(csv.reader(io.StringIO(text, newline=""), dialect)))


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InvalidInputError({"file": ["Not a readable XLSX file."]}) from exc
    sheet = book.worksheets[0]
    cells = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return _table(cells)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(cells: list[list[str]]) -> Table:
    numbered = [(n, row) for n, row in enumerate(cells, 1) if any(c.strip() for c in row)]
    if not numbered:
        raise InvalidInputError({"file": ["The file has no rows."]})
    lines = [n for n, _ in numbered[1:]]
    cells = [row for _, row in numbered]
    columns = [c.strip() for c in cells[0]]
    if len(set(columns)) != len(columns) or not all(columns):
        raise InvalidInputError({"file": ["Every column needs a name of its own in row 1."]})
    width = len(columns)
    rows = [(row + [""] * width)[:width] for row in cells[1:]]
    return Table(columns, [[_active(c.strip()) for c in row] for row in rows], lines)


def _active(cell: str) -> str:
    """A cell as it was before an export made it inert (formats.inert: a quote before a
    formula's first character): "'-33.9|18.4" is the geolocation -33.9|18.4."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def propose_mapping(columns: list[str], dialect: Dialect | None = None) -> dict[str, str]:
    """Their column to our field, for each column whose name is one we know. Of columns in
    several languages (`Title__en`, `Title__es`), the English one, else the first."""
    dialect = dialect or Dialect()
    named = {column: dialect.propose(column) for column in columns}
    ranked = sorted(columns, key=lambda c: named[c][1] not in ("", "en"))
    proposed: dict[str, str] = {}
    taken: set[str] = set()
    for column in ranked:
        word = normalise(named[column][0])
        for f in FIELDS:
            if f.code not in taken and (word in f.headers or word == normalise(f.code)):
                proposed[column] = f.code
                taken.add(f.code)
                break
    return {c: proposed[c] for c in columns if c in proposed}


def reading(fmt: str, options: dict[str, str], table: Table, mapping: dict[str, str]) -> Dialect:
    """The format's dialect, knowing the file's dates (Uwazi's day/month order)."""
    dates = [
        row[i]
        for i, column in enumerate(table.columns)
        if mapping.get(column) == "start_date"
        for row in table.rows
    ]
    return dialect_for(fmt, options, dates)


def unmatched_words(
    table: Table,
    mapping: dict[str, str],
    values: dict[str, dict[str, str]],
    dialect: Dialect | None = None,
) -> dict[str, dict[str, int]]:
    """Per coded field, each word of the file that matches no code (and has no mapping
    given), with how many rows use it: what the importer must map before the run."""
    dialect = dialect or Dialect()
    found: dict[str, dict[str, int]] = {}
    for index, column in enumerate(table.columns):
        f = FIELD_BY_CODE.get(mapping.get(column, ""))
        if f is None or not f.coded:
            continue
        chosen = values.get(f.code, {})
        for row in table.rows:
            for word in dialect.split(row[index]) if f.many else [row[index]]:
                if word and word not in chosen and _code(f, word, dialect) is None:
                    found.setdefault(f.code, {})
                    found[f.code][word] = found[f.code].get(word, 0) + 1
    return found


def ignored_columns(table: Table, mapping: dict[str, str]) -> dict[str, int]:
    """Each column left out of the mapping, with how many rows have a value there: what
    the import does not keep (an Uwazi file's translations, documents, other properties)."""
    found: dict[str, int] = {}
    for index, column in enumerate(table.columns):
        if mapping.get(column) not in FIELD_BY_CODE:
            filled = sum(1 for row in table.rows if row[index])
            if filled:
                found[column] = filled
    return found


def _code(f: Field, word: str, dialect: Dialect) -> str | None:
    for each in dialect.words(word):
        found = country_code(each) if f.coded == "country" else term_code(f.coded, each)
        if found is not None:
            return found
    return None


@dataclass
class RowError:
    row: int  # the line in the sheet: the header is line 1
    column: str
    value: str
    why: str


@dataclass
class Group:
    """One incident's rows: its external id (or the digest of its one row) and lines."""

    external_id: str
    lines: list[int] = field(default_factory=list)
    cells: list[dict[str, tuple[str, str]]] = field(default_factory=list)  # field: (column, v)


def groups_of(table: Table, mapping: dict[str, str], dialect: Dialect | None = None) -> list[Group]:
    dialect = dialect or Dialect()
    by_id: dict[str, Group] = {}
    id_column = next((c for c, f in mapping.items() if f == "external_id"), None)
    for offset, row in enumerate(table.rows):
        cells = {
            mapping[column]: (column, row[i])
            for i, column in enumerate(table.columns)
            if mapping.get(column) in FIELD_BY_CODE
        }
        line = table.line(offset)
        key = cells["external_id"][1] if id_column and cells["external_id"][1] else ""
        if not key:  # no id: the dialect's (the row's content, or Uwazi's title and date)
            key = dialect.derived_key(cells, row)
        group = by_id.setdefault(key, Group(external_id=key))
        group.lines.append(line)
        group.cells.append(cells)
    return list(by_id.values())


class _Collect:
    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def add(self, line: int, column: str, value: str, why: str) -> None:
        self.errors.append(RowError(line, column, value, why))


def group_data(
    group: Group, values: dict[str, dict[str, str]], dialect: Dialect | None = None
) -> tuple[IncidentData | None, list[RowError]]:
    """The incident the group's rows describe, or None and every error found."""
    dialect = dialect or Dialect()
    errors = _Collect()
    if not dialect.joins_rows and len(group.lines) > 1:
        first_line = group.lines[0]
        for line in group.lines[1:]:
            errors.add(line, "", "", f"The same id, or title and date, as row {first_line}.")
    coded: dict[str, list[str]] = {f.code: [] for f in CODED_FIELDS}
    given: set[str] = set()  # coded fields with a word, matched or not
    first: dict[str, tuple[int, str, str]] = {}  # field: (line, column, value)
    targets = 0
    for line, cells in zip(group.lines, group.cells, strict=True):
        for code, (column, value) in cells.items():
            f = FIELD_BY_CODE[code]
            if f.coded:
                for word in dialect.split(value) if f.many else [value] if value else []:
                    given.add(code)
                    found = values.get(code, {}).get(word) or _code(f, word, dialect)
                    if found is None:
                        errors.add(line, column, word, "No code for this word: map it to one.")
                    elif found not in coded[code]:
                        coded[code].append(found)
            elif code == "targets" and value:
                number = _int(value)
                if number is None or not 0 <= number <= MAX_TARGETS:
                    errors.add(line, column, value, "Not a whole number of targets.")
                else:
                    targets = max(targets, number)
            elif value and code not in first:
                first[code] = (line, column, value)
    line0 = group.lines[0]
    when = _when(first, errors, line0, dialect)
    accused = _accused(first, errors)
    coordinates = _coordinates(first, errors, dialect)
    birth = _birth(first, errors)
    origins, hosts, tactics = coded["origin_country"], coded["host_country"], coded["tactic"]
    if "origin_country" not in given:
        errors.add(line0, _column(group, "origin_country"), "", "An origin state is required.")
    if "tactic" not in given:
        errors.add(line0, _column(group, "tactic"), "", "A tactic is required.")
    if errors.errors or when is None:
        return None, errors.errors
    target_group = coded["target_group"][0] if coded["target_group"] else ""
    data = IncidentData(
        title=first.get("title", (0, "", ""))[2] or _title(tactics, origins, hosts, when.start),
        narrative=first.get("narrative", (0, "", ""))[2],
        start_date=when.start,
        start_precision=when.precision,
        end_date=when.end,
        end_precision=when.end_precision,
        place=first.get("place", (0, "", ""))[2],
        coordinates=coordinates,
        origin_states=origins,
        host_countries=hosts,
        host_reason="" if hosts else m.HostReason.UNKNOWN,
        tactics=tactics,
    )
    name = first.get("target_name", (0, "", ""))[2]
    if name:
        person = PersonData(
            names=[NameData(name)],
            birth_date=birth,
            nationalities=coded["target_nationality"],
        )
        data.targets.append(TargetData(role="primary", person=person, target_group=target_group))
    others = targets - (1 if name else 0)
    if others > 0:
        data.groups.append(GroupData(size=others, target_group=target_group))
    if accused:
        data.mechanisms.append(
            MechanismData(kind=m.MechanismKind.TERRORIST_DESIGNATION, issued_by=origins[0])
        )
    try:
        incident_validate(data)
    except InvalidInputError as exc:
        for path, messages in exc.errors.items():
            for message in messages:
                errors.add(line0, path, "", message)
        return None, errors.errors
    return data, []


BIRTH = re.compile(r"\d{4}(-\d{2}-\d{2})?")


def _birth(first: dict[str, tuple[int, str, str]], errors: _Collect) -> str:
    line, column, value = first.get("target_birth", (0, "", ""))
    value = value.strip()
    if value and not BIRTH.fullmatch(value):
        errors.add(line, column, value, "Not a birth date: write YYYY or YYYY-MM-DD.")
        return ""
    return value


def _column(group: Group, code: str) -> str:
    for cells in group.cells:
        if code in cells:
            return cells[code][0]
    return FIELD_BY_CODE[code].label


def _int(value: str) -> int | None:
    try:
        return int(value.replace(",", "").replace(" ", ""))
    except ValueError:
        return None


def _when(
    first: dict[str, tuple[int, str, str]], errors: _Collect, line0: int, dialect: Dialect
) -> When | None:
    given = first.get("start_date") or first.get("year")
    if given is None and dialect.blank_date_is_unknown:
        return When(None, m.DatePrecision.UNKNOWN)
    if given is None:
        errors.add(line0, "", "", "A date or a year is required.")
        return None
    line, column, value = given
    found = dialect.when(value)
    if isinstance(found, str):
        errors.add(line, column, value, found)
        return None
    return found


def _coordinates(first: dict[str, tuple[int, str, str]], errors: _Collect, dialect: Dialect) -> str:
    line, column, value = first.get("coordinates", (0, "", ""))
    found = dialect.coordinates(value) if value else ""
    if found is None:
        errors.add(line, column, value, NOT_COORDINATES)
    return found or ""


def _accused(first: dict[str, tuple[int, str, str]], errors: _Collect) -> bool:
    line, column, value = first.get("accused_of_terrorism", (0, "", ""))
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        errors.add(line, column, value, "Write yes or no.")
    return False


def _title(tactics: list[str], origins: list[str], hosts: list[str], start: date | None) -> str:
    # The file gave no title: one made of its codes, which the case worker can change.
    from beyondreach.vocab.loader import vocabulary

    words = ", ".join(vocabulary("tactics").label(t) for t in tactics)
    where = f" in {', '.join(hosts)}" if hosts else ""
    return f"{words}: {', '.join(origins)}{where}, {start.year if start else 'date not known'}"


def by_row(errors: list[RowError]) -> dict[int, list[RowError]]:
    found: dict[int, list[RowError]] = {}
    for error in errors:
        found.setdefault(error.row, []).append(error)
    return found


def rows_as_csv(table: Table, lines: dict[int, list[RowError]]) -> Iterator[str]:
    """The rejected rows as they came, with an `errors` column: to fix and import again."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*table.columns, "errors"])
    for offset, row in enumerate(table.rows):
        found = lines.get(table.line(offset))
        if found:
            why = "; ".join(
                f"{e.column}: {e.why}" + (f" ({e.value})" if e.value else "") for e in found
            )
            writer.writerow([*(inert(c) for c in row), inert(why)])
    yield out.getvalue()
