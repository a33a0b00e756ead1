"""`xlsx`: the `csv` table as an Excel workbook, written as it is read.

Not openpyxl's write-only mode: it writes the rows to a temporary file on disk, in plain text
(names included, in an owner's export), and produces the workbook only when it is saved,
after the last row. Here the workbook is a ZIP archive written to a stream: the worksheet
is one member whose XML is compressed and handed on every few hundred rows, so neither disk
nor memory ever holds the file. The workbook's other members are a few fixed lines.
Reading it back with openpyxl is part of the tests.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

from beyondreach.interchange.export_formats.table import table_rows
from beyondreach.interchange.formats import (
    CHUNK,
    Cell,
    ExportContext,
    ExportFormat,
    Snapshot,
    inert,
)

# Excel's limits: rows beyond it are not shown (docs/interchange.md: use csv beyond).
EXCEL_ROWS = 1_048_576
# XML 1.0 has no place for most control characters: such a character makes the file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SPREADSHEET}.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    f'ContentType="{_SPREADSHEET}.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_OFFICE}">'
    '<sheets><sheet name="Incidents" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_START = (
    f"{_XML}"
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"


class _Sink:
    """A write-only stream (so zipfile writes its sizes after each member, no seeking) whose
    bytes are taken away as they come."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def _cell(value: Cell) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, int):
        return f"<c><v>{value}</v></c>"
    text = escape(_NOT_XML.sub("", str(inert(value))))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(cells: Sequence[Cell]) -> str:
    return "<row>" + "".join(_cell(v) for v in cells) + "</row>"


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_SHEET_START.encode())
            for row in table_rows(records, context):
                sheet.write(_row(row).encode())
                if sink.size >= CHUNK:
                    yield sink.take()
            sheet.write(_SHEET_END.encode())
    yield sink.take()


FORMAT = ExportFormat(
    code="xlsx",
    label="Excel workbook: the CSV's rows and columns",
    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension="xlsx",
    write=write,
    description="The same table as CSV, for Excel or LibreOffice (up to 1,048,575 incidents).",
)
