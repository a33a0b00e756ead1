"""The `uwazi` format both ways: Uwazi's own test files imported, exported and compared; our
incidents exported for Uwazi and imported into another organisation to the same coded fields;
Uwazi's conventions (`|`, `Parent::Child`, `from:to`, `Title__es`, its date formats) one by one.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot
from beyondreach.cases.inputs import GroupData, IncidentData, MechanismData
from beyondreach.cases.selectors import IncidentFilters
from beyondreach.cases.services import incident_create
from beyondreach.cli import main
from beyondreach.core.errors import InvalidInputError
from beyondreach.core.models import User
from beyondreach.interchange.dialects import NOT_A_DATE, When
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.imports import (
    import_create,
    import_map,
    import_plan,
    import_run,
    import_start,
)
from beyondreach.interchange.models import ImportJob
from beyondreach.interchange.uwazi import AMBIGUOUS, NO_START, SEVERAL_DATES, UwaziDialect

from ..api.conftest import ClientFor, client_for  # noqa: F401 - the fixture
from ..conftest import Personas, verified_client
from .export_builders import CANARY, NARRATIVE

UWAZI = Path(__file__).parent / "data" / "uwazi"
TEST_CSV = (UWAZI / "test.csv").read_bytes()
THESAURI_CSV = (UWAZI / "arrangeThesauriTest.csv").read_bytes()

# How a case worker maps Uwazi's test.csv: its words are placeholders ("thesauri1"), so
# each is given one of our codes; the columns its template leaves undefined stay out.
TEST_CSV_MAPPING: dict[str, Any] = {
    "columns": {
        "Title": "title",
        "text label": "narrative",
        "numeric label": "targets",
        "select_label": "origin_country",
        "geolocation_geolocation": "coordinates",
        "Multi Select Label": "tactic",
        "Date label": "start_date",
    },
    "values": {
        "origin_country": {"thesauri1": "CN", "thesauri2": "RU"},
        "tactic": {"multivalue1": "assault", "multivalue2": "phishing", "multivalue3": "doxxing"},
    },
    "options": {"date_format": "DD/MM/YYYY"},
}


def uploaded(user: User, content: bytes, mapping: dict[str, Any] | None = None) -> ImportJob:
    job = import_create(actor=user, fmt="uwazi", filename="uwazi.csv", content=content)
    if mapping is not None:
        import_map(
            actor=user,
            job=job,
            mapping=mapping.get("columns", job.mapping),
            values=mapping.get("values", {}),
            options=mapping.get("options"),
        )
    return job


def imported(user: User, content: bytes, mapping: dict[str, Any] | None = None) -> ImportJob:
    job = uploaded(user, content, mapping)
    import_start(actor=user, job=job)
    return import_run(job.pk)


def exported(user: User, audience: str = "owner") -> bytes:
    found = export_incidents(
        viewer=user,
        filters=IncidentFilters(),
        format="uwazi",
        audience=audience,  # type: ignore[arg-type]
    )
    return b"".join(found.chunks)


def table(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def padded(content: bytes) -> list[dict[str, str]]:
    """Rows of an Uwazi file as Uwazi reads them: headers and cells trimmed, blank lines out."""
    rows = [r for r in csv.reader(io.StringIO(content.decode())) if any(c.strip() for c in r)]
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, (c.strip() for c in r), strict=True)) for r in rows[1:]]


CODED = (
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "origin_states",
    "host_countries",
    "tactics",
    "target_count",
)


def coded(incident: m.Incident) -> dict[str, Any]:
    snap = incident_snapshot(incident)
    found = {key: snap[key] for key in CODED}
    found["target_groups"] = sorted(
        {t["target_group"] for t in snap["targets"]} | {g["target_group"] for g in snap["groups"]}
    )
    found["mechanisms"] = sorted(x["kind"] for x in snap["legal_mechanisms"])
    return found


# Uwazi's test.csv: import, export, the same values ------------------------------------------


def test_uwazi_s_test_file_needs_its_date_format_and_reports_what_it_cannot_hold(
    personas: Personas,
) -> None:
    mapping = {**TEST_CSV_MAPPING, "options": {}}
    job = uploaded(personas.case_worker, TEST_CSV, mapping)
    # Proposed from the header alone: the title and the geolocation, trimmed of padding.
    proposed = import_create(
        actor=personas.case_worker, fmt="uwazi", filename="t.csv", content=TEST_CSV
    ).mapping
    assert proposed == {"Title": "title", "geolocation_geolocation": "coordinates"}

    plan = import_plan(job)
    # 03/01/2022 and 01/03/2022 read either way round; 01/01/2022 does not.
    errors = {(e.row, e.column, e.value, e.why) for e in plan.errors()}
    assert errors == {
        (3, "Date label", "03/01/2022", AMBIGUOUS),
        (4, "Date label", "01/03/2022", AMBIGUOUS),
    }
    # Lines as in the file: the blank line after the header counts.
    assert (plan.count("create"), plan.rejected_rows()) == (1, 2)
    # The columns Uwazi's template does not define either, with their filled rows.
    assert plan.ignored == {
        "non configured": 3,
        "not defined type": 3,
        "additional tag(s)": 3,
        "Language": 3,
    }
    assert m.Incident.objects.count() == 0


def test_uwazi_s_test_file_round_trips_through_our_records_and_uwazi_export(
    personas: Personas,
) -> None:
    cw = personas.case_worker
    job = imported(cw, TEST_CSV, TEST_CSV_MAPPING)
    assert (job.created, job.rejected) == (3, 0)

    exported_rows = {r["Title"]: r for r in table(exported(cw))}
    for given in padded(TEST_CSV):
        back = exported_rows[given["Title"]]
        assert back["Narrative"] == given["text label"]
        assert back["Number of targets"] == given["numeric label"]
        assert back["Geolocation"] == given["geolocation_geolocation"]  # "1|1", "", "0|0"
        day, month, year = given["Date label"].split("/")
        assert back["Date"] == f"{year}-{month}-{day}"  # the same day, in Uwazi's default format
    # Thesaurus words come back as our labels, which import to the same codes.
    title3 = titled("title3")
    assert sorted(t.tactic for t in title3.tactics.all()) == ["assault", "doxxing"]
    assert exported_rows["title3"]["Tactics"] == "Direct, physical::Assault|Digital::Doxxing"
    assert exported_rows["title3"]["Origin state"] == "Russia"

    # The same file again changes nothing: an Uwazi entity is known by its title and date.
    again = imported(cw, TEST_CSV, TEST_CSV_MAPPING)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_an_export_of_uwazi_s_test_file_imports_elsewhere_to_the_same_coded_fields(
    personas: Personas,
) -> None:
    imported(personas.case_worker, TEST_CSV, TEST_CSV_MAPPING)
    content = exported(personas.case_worker)
    # Our export's headers need no mapping, and its words no value mapping.
    job = uploaded(personas.outsider, content)
    assert set(job.mapping.values()) >= {"title", "external_id", "start_date", "tactic"}
    plan = import_plan(job)
    assert plan.unmatched == {} and plan.errors() == []
    assert set(plan.ignored) == {"Template", "Verification"}
    import_start(actor=personas.outsider, job=job)
    import_run(job.pk)

    mine = m.Incident.objects.filter(organisation=personas.org)
    theirs = m.Incident.objects.filter(organisation=personas.other_org)
    assert coded_all(mine) == coded_all(theirs)
    assert sorted(i.coordinates for i in theirs) == ["", "0,0", "1,1"]
    assert sorted(i.narrative for i in theirs) == ["text value 1", "text value 2", "text value 3"]


def titled(title: str) -> m.Incident:
    """The incident of that title (titles are sealed: no query finds one)."""
    [found] = [i for i in m.Incident.objects.all() if i.title == title]
    return found


def coded_all(incidents: Any) -> list[str]:
    return sorted(json.dumps(coded(i), sort_keys=True) for i in incidents)


# Uwazi's thesaurus test file: two languages, nested values, what we cannot hold ------------------


def test_uwazi_s_thesaurus_file_reports_nested_words_languages_and_what_it_lacks(
    personas: Personas,
) -> None:
    mapping = {
        "columns": {
            "title": "title",
            "select_property__en": "origin_country",
            "Multiselect Property__en": "tactic",
        },
        "values": {"tactic": {"1::1A": "assault", "A": "threats"}},
    }
    job = uploaded(personas.case_worker, THESAURI_CSV, mapping)
    plan = import_plan(job)
    # Words are `|`-separated and trimmed; a nested value is one word, "Parent::Child", and a
    # word is mapped exactly as written ("A" is mapped; "a" is not).
    assert plan.unmatched["tactic"]["1::1b"] == 1
    assert plan.unmatched["tactic"]["a"] == 2
    assert "1::1A" not in plan.unmatched["tactic"] and "A" not in plan.unmatched["tactic"]
    assert plan.unmatched["origin_country"]["G2::2b"] == 1
    # The Spanish columns are not imported: one title, one value a field.
    assert plan.ignored["Select Property__es"] == 23  # two rows have only spaces
    assert plan.ignored["multiselect_property__es"] == 18
    # The file has no dates: an Uwazi entity without its date property is one whose date
    # is not known (the precision "unknown"), not a row in error.
    whys = {e.why for e in plan.errors()}
    assert "A date or a year is required." not in whys
    assert plan.rejected_rows() == 25
    # multiselect_6 has only blanks between its "|"; the select_nested_values no tactic.
    assert {e.row for e in plan.errors() if e.why == "A tactic is required."} == {
        16,
        *range(18, 25),
    }


def test_the_english_column_of_a_translated_field_is_proposed(personas: Personas) -> None:
    sheet = (
        "Title__es,Title__en,Date,Origin state,Tactics\n"
        "Detención en Estambul,Detention in Istanbul,2021-05-04,China,"
        '"Direct, physical::Detention in the host country at the origin state\'s request"\n'
    ).encode()
    job = uploaded(personas.case_worker, sheet)
    assert job.mapping["Title__en"] == "title" and "Title__es" not in job.mapping
    job = imported(personas.case_worker, sheet)
    assert (job.created, job.rejected) == (1, 0)
    incident = m.Incident.objects.get()
    assert incident.title == "Detention in Istanbul"
    assert [t.tactic for t in incident.tactics.all()] == ["host_detention"]


# Our records, exported for Uwazi and imported into another organisation --------------------------


def _recorded(actor: User) -> list[m.Incident]:
    return [
        incident_create(
            actor=actor,
            data=IncidentData(
                title="Detention of an exiled journalist",
                narrative=NARRATIVE,
                start_date=date(2023, 6, 1),
                end_date=date(2023, 9, 30),
                end_precision=m.DatePrecision.DAY,
                origin_states=["TJ"],
                host_countries=["TR", "RU"],
                tactics=["host_detention", "interpol_abuse", "family_coercion"],
                place="Istanbul, Fatih",
                coordinates="-33.92,18.42",
                groups=[GroupData(size=12, target_group="journalist")],
                mechanisms=[MechanismData(kind="terrorist_designation", issued_by="TJ")],
            ),
        ),
        incident_create(
            actor=actor,
            data=IncidentData(
                title='=HYPERLINK("http://evil.example")',
                start_date=date(2019, 1, 1),
                start_precision=m.DatePrecision.YEAR,
                end_date=date(2020, 3, 1),
                end_precision=m.DatePrecision.MONTH,
                origin_states=["CN", "IR"],
                host_countries=["DE"],
                tactics=["phishing", "spyware"],
                groups=[GroupData(size=3, target_group="exile_community")],
            ),
        ),
    ]


@pytest.mark.parametrize("audience", ["owner", "pseudonymised"])
def test_our_records_exported_for_uwazi_import_elsewhere_to_the_same_coded_fields(
    personas: Personas, audience: str
) -> None:
    ours = _recorded(personas.case_worker)
    content = exported(personas.case_worker, audience)
    job = imported(personas.outsider, content)
    assert (job.created, job.rejected) == (2, 0)
    theirs = m.Incident.objects.filter(organisation=personas.other_org)
    assert coded_all(ours) == coded_all(theirs)
    again = imported(personas.outsider, content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    text = content.decode()
    if audience == "owner":
        # Formulas made inert in the file, read back as they were; so are negative numbers.
        assert "'=HYPERLINK" in text and "'-33.92|18.42" in text
        assert sorted(i.title for i in theirs) == sorted(i.title for i in ours)
        assert {i.coordinates for i in theirs} == {"-33.92,18.42", ""}
        assert {i.place for i in theirs} == {"Istanbul, Fatih", ""}
    else:
        assert "HYPERLINK" not in text and NARRATIVE not in text and "Istanbul" not in text
        assert "Geolocation" not in text.splitlines()[0]
        assert {i.narrative for i in theirs} == {""}


def test_an_analyst_s_uwazi_file_names_nobody_whatever_the_audience_asked(
    personas: Personas,
) -> None:
    _recorded(personas.case_worker)
    for audience in ("owner", "pseudonymised"):
        text = exported(personas.analyst, audience).decode()
        assert CANARY not in text and NARRATIVE not in text and "Fatih" not in text
        [first, _] = sorted(table(text.encode()), key=lambda r: r["Date"])
        assert first["Title"] == ("Phishing, Spyware infection: China, Iran in Germany, 2019")
        assert first["Date"] == "2019:2020-03"


def test_the_uwazi_export_writes_uwazi_s_columns(personas: Personas) -> None:
    [incident, _] = _recorded(personas.case_worker)
    rows = {r["id"]: r for r in table(exported(personas.case_worker))}
    row = rows[str(incident.uuid)]
    assert row == {
        "Title": "Detention of an exiled journalist",
        "Template": "Incident",
        "id": str(incident.uuid),
        "Date": "2023-06-01:2023-09-30",
        "Origin state": "Tajikistan",
        "Host country": "Russia|Türkiye",
        "Tactics": "Coercion by proxy::Threats to, detention or harassment of family back home|"
        "Direct, physical::Detention in the host country at the origin state's request|"
        "Legal and administrative::INTERPOL Red Notice or Diffusion",
        "Target group": "Journalist",
        "Number of targets": "12",
        "Accused of terrorism": "Yes",
        "Verification": "Unverified (no source)",
        "Place": "Istanbul, Fatih",
        "Geolocation": "'-33.92|18.42",
        "Narrative": NARRATIVE,
    }


# Uwazi's own export: `~` ranges, its common columns, and its ids -------------------------------

UWAZI_EXPORT = (
    "Title,Date added,Template,id,Incident date,Country of origin,Tactic,Geolocation,"
    "Documents,Attachments,Published\n"
    "Exile abducted,2024-02-01,Case,a1b2c3,2023-04-01~2023-04-09,Turkmenistan,"
    '"Direct, physical::Rendition, abduction, enforced disappearance",41.01|28.97,'
    "/files/1.pdf,,Published\n"
    "Family threatened,2024-02-01,Case,d4e5f6,March 3 2022,Egypt|Iran,"
    "Coercion by proxy::Threats to family,,,,Unpublished\n"
)


def test_uwazi_s_own_export_imports_by_its_ids_and_a_corrected_one_updates(
    personas: Personas,
) -> None:
    cw = personas.case_worker
    job = uploaded(cw, UWAZI_EXPORT.encode())
    assert job.mapping == {
        "Title": "title",
        "id": "external_id",
        "Incident date": "start_date",
        "Country of origin": "origin_country",
        "Tactic": "tactic",
        "Geolocation": "coordinates",
    }
    plan = import_plan(job)
    # "Threats to family" is not one of our labels: mapped by hand, never guessed.
    assert plan.unmatched == {"tactic": {"Coercion by proxy::Threats to family": 1}}
    assert plan.ignored == {"Date added": 2, "Template": 2, "Documents": 1, "Published": 2}
    mapping = {"values": {"tactic": {"Coercion by proxy::Threats to family": "family_coercion"}}}
    done = imported(cw, UWAZI_EXPORT.encode(), mapping)
    assert (done.created, done.rejected) == (2, 0)
    abducted = titled("Exile abducted")
    assert (abducted.start_date, abducted.end_date) == (date(2023, 4, 1), date(2023, 4, 9))
    assert abducted.coordinates == "41.01,28.97"
    threatened = titled("Family threatened")
    assert threatened.start_date == date(2022, 3, 3)
    assert sorted(o.country for o in threatened.origins.all()) == ["EG", "IR"]

    corrected = UWAZI_EXPORT.replace("Egypt|Iran", "Egypt").replace("Exile abducted", "Exile")
    again = imported(cw, corrected.encode(), mapping)
    assert (again.created, again.updated, again.unchanged) == (0, 2, 0)
    assert titled("Exile")


def test_two_uwazi_rows_with_the_same_title_and_date_are_not_joined(personas: Personas) -> None:
    sheet = "Title,Date,Origin state,Tactics\nA,2021,China,Assault\nA,2021,Iran,Doxxing\n"
    plan = import_plan(uploaded(personas.case_worker, sheet.encode()))
    assert [(e.row, e.why) for e in plan.errors()] == [
        (3, "The same id, or title and date, as row 2.")
    ]


# The conventions, one by one ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "when"),
    [
        ("2022-01-03", When(date(2022, 1, 3), "day")),
        ("2022/01/03", When(date(2022, 1, 3), "day")),
        ("2022 01 03", When(date(2022, 1, 3), "day")),
        ("2022-01", When(date(2022, 1, 1), "month")),
        ("2022", When(date(2022, 1, 1), "year")),
        ("January 3, 2022", When(date(2022, 1, 3), "day")),
        ("3 Jan 2022", When(date(2022, 1, 3), "day")),
        ("31/12/2021", When(date(2021, 12, 31), "day")),  # a day past 12 tells the order
        ("12/31/2021", When(date(2021, 12, 31), "day")),
        ("05/05/2021", When(date(2021, 5, 5), "day")),  # either way round, the same day
        ("2019:2020", When(date(2019, 1, 1), "year", date(2020, 1, 1), "year")),
        ("2019-03-01~2019-04", When(date(2019, 3, 1), "day", date(2019, 4, 1), "month")),
        ("2019-03-01:", When(date(2019, 3, 1), "day")),
        ("03/01/2022", AMBIGUOUS),
        (":2020", NO_START),
        ("2019|2020", SEVERAL_DATES),
        ("2019:2020|2021:2022", SEVERAL_DATES),
        ("3000", NOT_A_DATE),
        ("31/02/2021", NOT_A_DATE),
        ("yesterday", NOT_A_DATE),
    ],
)
def test_uwazi_dates_are_read_as_uwazi_reads_them(cell: str, when: When | str) -> None:
    assert UwaziDialect({}).when(cell) == when


def test_the_date_format_is_chosen_or_read_from_the_file() -> None:
    assert UwaziDialect({"date_format": "MM/DD/YYYY"}).when("03/01/2022") == When(
        date(2022, 3, 1), "day"
    )
    assert UwaziDialect({}, ["13/01/2022", "03/01/2022"]).when("03/01/2022") == When(
        date(2022, 1, 3), "day"
    )
    # A file that shows both orders shows none: each ambiguous date is asked about.
    assert UwaziDialect({}, ["13/01/2022", "01/13/2022"]).when("03/01/2022") == AMBIGUOUS


def test_uwazi_cells_split_on_bars_only_and_nested_values_fall_back_to_the_child() -> None:
    dialect = UwaziDialect({})
    assert dialect.split(" a|   b | ;c|") == ["a", "b", ";c"]
    assert dialect.words("Digital::Phishing") == ["Digital::Phishing", "Phishing"]
    assert dialect.words("Phishing") == ["Phishing"]
    assert dialect.coordinates("41.01|28.97") == "41.01,28.97"
    assert dialect.coordinates("91|0") is None


def test_a_wrong_date_format_option_is_refused(personas: Personas) -> None:
    job = uploaded(personas.case_worker, TEST_CSV)
    with pytest.raises(InvalidInputError) as refused:
        import_map(
            actor=personas.case_worker,
            job=job,
            mapping=job.mapping,
            values={},
            options={"date_format": "YYYY/DD/MM", "colour": "red"},
        )
    assert set(refused.value.errors) == {"options", "options.date_format"}


# The command line, the API and the page -------------------------------------------------------


def test_the_command_line_imports_and_exports_uwazi(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, mapping = tmp_path / "test.csv", tmp_path / "mapping.json"
    sheet.write_bytes(TEST_CSV)
    mapping.write_text(json.dumps({**TEST_CSV_MAPPING, "options": {}}))
    base = ["import", "--org", "Safeguard Exiles", "--format", "uwazi", "--mapping", str(mapping)]
    assert main([*base, "--dry-run", str(sheet)]) == 0
    out = capsys.readouterr()
    assert "Dry run: 1 to create, 0 to update, 0 unchanged, 2 rows rejected;" in out.out
    assert "row 3: Date label: Day and month could be either way round" in out.err
    assert "Not imported: column 'Language' (3 rows with a value)" in out.err
    mapping.write_text(json.dumps(TEST_CSV_MAPPING))
    assert main([*base, str(sheet)]) == 0
    assert "3 created, 0 updated, 0 unchanged, 0 rows rejected" in capsys.readouterr().out

    out_file = tmp_path / "out.csv"
    export = ["export", "--org", "Safeguard Exiles", "--format", "uwazi", "-o", str(out_file)]
    assert main([*export, "--audience", "pseudonymised"]) == 0
    rows = table(out_file.read_bytes())
    assert len(rows) == 3 and "Narrative" not in rows[0]


def test_the_api_takes_uwazi_with_its_date_format(
    personas: Personas,
    client_for: ClientFor,  # noqa: F811
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client_for(personas.case_worker).post(
        "/api/v1/imports",
        {
            "file": SimpleUploadedFile("test.csv", TEST_CSV, "text/csv"),
            "format": "uwazi",
            "mapping": json.dumps(TEST_CSV_MAPPING),
            "dry_run": "true",
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["options"] == {"date_format": "DD/MM/YYYY"}
    assert body["plan"]["create"] == 3 and body["errors"] == []
    assert body["ignored"]["Language"] == 3


def test_the_import_page_asks_an_uwazi_file_s_date_format(personas: Personas) -> None:
    client = verified_client(personas.case_worker)
    page = client.get("/imports/")
    assert b'<option value="uwazi">' in page.content
    job = uploaded(personas.case_worker, TEST_CSV, {**TEST_CSV_MAPPING, "options": {}})
    detail = client.get(f"/imports/{job.uuid}/")
    assert b"(Uwazi's date format)" in detail.content
    assert b"Not imported:" in detail.content
    posted = {f"col-{i}": job.mapping.get(c, "") for i, c in enumerate(job.columns)}
    client.post(f"/imports/{job.uuid}/", {**posted, "date_format": "DD/MM/YYYY"})
    job.refresh_from_db()
    assert job.options == {"date_format": "DD/MM/YYYY"}
    assert b"<strong>3</strong> incidents to create" in client.get(f"/imports/{job.uuid}/").content
