"""From a spreadsheet's rows to incidents: reading CSV and XLSX, the fields a column can map
to, the header's proposed mapping, and each incident's rows turned into `IncidentData` with
every error named by row, column, value and why.

Rows that share an external id are one incident (Freedom House's rows repeat an incident for
each origin and host country): their countries and tactics are joined, the rest taken from
the first row that has it, the number of targets as the largest given.
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
from beyondreach.interchange.formats import inert
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
    Field("start_date", "Date (YYYY, YYYY-MM or YYYY-MM-DD)", ("start date", "date")),
    Field("year", "Year", ("year",)),
    Field(
        "origin_country",
        "Origin state",
        ("origin country", "origin", "origin state", "origin states", "perpetrator"),
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
    Field(
        "accused_of_terrorism",
        "Accused of terrorism (yes/no)",
        ("accused of terrorism", "terrorism"),
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
    cells = [row for row in cells if any(c.strip() for c in row)]
    if not cells:
        raise InvalidInputError({"file": ["The file has no rows."]})
    columns = [c.strip() for c in cells[0]]
    if len(set(columns)) != len(columns) or not all(columns):
        raise InvalidInputError({"file": ["Every column needs a name of its own in row 1."]})
    width = len(columns)
    rows = [(row + [""] * width)[:width] for row in cells[1:]]
    return Table(columns, [[c.strip() for c in row] for row in rows])


def propose_mapping(columns: list[str]) -> dict[str, str]:
    """Their column to our field, for each column whose name is one we know."""
    proposed: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        word = normalise(column)
        for f in FIELDS:
            if f.code not in taken and (word in f.headers or word == normalise(f.code)):
                proposed[column] = f.code
                taken.add(f.code)
                break
    return proposed


def split_values(cell: str) -> list[str]:
    return [v.strip() for v in re.split(r"[|;]", cell) if v.strip()]


def unmatched_words(
    table: Table, mapping: dict[str, str], values: dict[str, dict[str, str]]
) -> dict[str, dict[str, int]]:
    """Per coded field, each word of the file that matches no code (and has no mapping
    given), with how many rows use it: what the importer must map before the run."""
    found: dict[str, dict[str, int]] = {}
    for index, column in enumerate(table.columns):
        f = FIELD_BY_CODE.get(mapping.get(column, ""))
        if f is None or not f.coded:
            continue
        chosen = values.get(f.code, {})
        for row in table.rows:
            for word in split_values(row[index]) if f.many else [row[index]]:
                if word and word not in chosen and _code(f, word) is None:
                    found.setdefault(f.code, {})
                    found[f.code][word] = found[f.code].get(word, 0) + 1
    return found


def _code(f: Field, word: str) -> str | None:
    return country_code(word) if f.coded == "country" else term_code(f.coded, word)


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


def groups_of(table: Table, mapping: dict[str, str]) -> list[Group]:
    by_id: dict[str, Group] = {}
    id_column = next((c for c, f in mapping.items() if f == "external_id"), None)
    for offset, row in enumerate(table.rows):
        cells = {
            mapping[column]: (column, row[i])
            for i, column in enumerate(table.columns)
            if mapping.get(column) in FIELD_BY_CODE
        }
        line = offset + 2
        key = cells["external_id"][1] if id_column and cells["external_id"][1] else ""
        if not key:  # no id: the row is its own incident, known by its content
            key = "row:" + "\x1f".join(row)
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
    group: Group, values: dict[str, dict[str, str]]
) -> tuple[IncidentData | None, list[RowError]]:
    """The incident the group's rows describe, or None and every error found."""
    errors = _Collect()
    coded: dict[str, list[str]] = {f.code: [] for f in CODED_FIELDS}
    given: set[str] = set()  # coded fields with a word, matched or not
    first: dict[str, tuple[int, str, str]] = {}  # field: (line, column, value)
    targets = 0
    for line, cells in zip(group.lines, group.cells, strict=True):
        for code, (column, value) in cells.items():
            f = FIELD_BY_CODE[code]
            if f.coded:
                for word in split_values(value) if f.many else [value] if value else []:
                    given.add(code)
                    found = values.get(code, {}).get(word) or _code(f, word)
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
    start, precision = _start(first, errors, line0)
    accused = _accused(first, errors)
    origins, hosts, tactics = coded["origin_country"], coded["host_country"], coded["tactic"]
    if "origin_country" not in given:
        errors.add(line0, _column(group, "origin_country"), "", "An origin state is required.")
    if "tactic" not in given:
        errors.add(line0, _column(group, "tactic"), "", "A tactic is required.")
    if errors.errors or start is None:
        return None, errors.errors
    target_group = coded["target_group"][0] if coded["target_group"] else ""
    data = IncidentData(
        title=first.get("title", (0, "", ""))[2] or _title(tactics, origins, hosts, start),
        narrative=first.get("narrative", (0, "", ""))[2],
        start_date=start,
        start_precision=precision,
        origin_states=origins,
        host_countries=hosts,
        host_reason="" if hosts else m.HostReason.UNKNOWN,
        tactics=tactics,
    )
    name = first.get("target_name", (0, "", ""))[2]
    if name:
        data.targets.append(
            TargetData(
                role="primary",
                person=PersonData(names=[NameData(name)]),
                target_group=target_group,
            )
        )
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


DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", m.DatePrecision.DAY),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", m.DatePrecision.MONTH),
    (re.compile(r"^\d{4}$"), "%Y", m.DatePrecision.YEAR),
)


def _start(
    first: dict[str, tuple[int, str, str]], errors: _Collect, line0: int
) -> tuple[date | None, str]:
    given = first.get("start_date") or first.get("year")
    if given is None:
        errors.add(line0, "", "", "A date or a year is required.")
        return None, ""
    line, column, value = given
    for pattern, fmt, precision in DATE_FORMATS:
        if pattern.match(value):
            try:
                day = datetime.strptime(value, fmt).date()
            except ValueError:
                break
            if 1900 <= day.year <= date.today().year:
                return day, precision
            break
    errors.add(line, column, value, "Not a date (YYYY, YYYY-MM or YYYY-MM-DD) since 1900.")
    return None, ""


def _accused(first: dict[str, tuple[int, str, str]], errors: _Collect) -> bool:
    line, column, value = first.get("accused_of_terrorism", (0, "", ""))
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        errors.add(line, column, value, "Write yes or no.")
    return False


def _title(tactics: list[str], origins: list[str], hosts: list[str], start: date) -> str:
    # The file gave no title: one made of its codes, which the case worker can change.
    from beyondreach.vocab.loader import vocabulary

    words = ", ".join(vocabulary("tactics").label(t) for t in tactics)
    where = f" in {', '.join(hosts)}" if hosts else ""
    return f"{words}: {', '.join(origins)}{where}, {start.year}"


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
        found = lines.get(offset + 2)
        if found:
            why = "; ".join(
                f"{e.column}: {e.why}" + (f" ({e.value})" if e.value else "") for e in found
            )
            writer.writerow([*(inert(c) for c in row), inert(why)])
    yield out.getvalue()
