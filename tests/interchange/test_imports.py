"""Imports of Freedom House-style rows: the mapping, the dry run, the rejected rows, and a
second import that changes nothing; what the statistics then count."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from beyondreach.cases import models as m
from beyondreach.cli import main
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.interchange.imports import (
    access_import,
    import_create,
    import_map,
    import_plan,
    import_run,
    import_start,
    imports_resume_stale,
)
from beyondreach.interchange.models import ImportedRecord, ImportJob

from ..conftest import Personas

DATA = Path(__file__).parent / "data"
MESSY = (DATA / "fh_messy.csv").read_bytes()


def _imported(personas: Personas, content: bytes, values: dict[str, dict[str, str]]) -> ImportJob:
    cw = personas.case_worker
    job = import_create(actor=cw, fmt="fh", filename="fh.csv", content=content)
    import_map(actor=cw, job=job, mapping=job.mapping, values=values)
    import_start(actor=cw, job=job)
    return import_run(job.pk)


def test_a_dry_run_names_each_unmatched_word_and_bad_row_and_writes_nothing(
    personas: Personas,
) -> None:
    job = import_create(actor=personas.case_worker, fmt="fh", filename="fh.csv", content=MESSY)
    assert job.mapping["origin_country"] == "origin_country"
    assert job.mapping["incident_id"] == "external_id"
    plan = import_plan(job)
    # Turkey, Türkiye, UK, Viet Nam and CHN are known spellings; Persia is not.
    assert plan.unmatched == {
        "origin_country": {"Persia": 1},
        "host_country": {'=HYPERLINK("x")': 1},
    }
    assert (plan.count("create"), plan.rejected_rows()) == (3, 3)
    errors = {(e.row, e.column, e.value) for p in plan.incidents for e in p.errors}
    assert (5, "origin_country", "Persia") in errors
    assert (6, "year", "20x1") in errors
    assert m.Incident.objects.count() == 0


def test_an_import_keeps_good_rows_returns_bad_ones_and_a_second_changes_nothing(
    personas: Personas,
) -> None:
    values = {"origin_country": {"Persia": "IR"}}
    job = _imported(personas, MESSY, values)
    assert (job.created, job.updated, job.unchanged, job.rejected) == (4, 0, 0, 2)
    # FH-1's two rows are one incident in Turkey, of two targets.
    first = ImportedRecord.objects.get(job=job, incident__tactics__tactic="host_detention")
    incident = first.incident
    assert [h.country for h in incident.hosts.all()] == ["TR"]
    assert incident.target_count == 2 and incident.start_precision == "year"
    accused = m.Incident.objects.get(origins__country="RU")
    assert [x.kind for x in accused.mechanisms.all()] == ["terrorist_designation"]

    again = _imported(personas, MESSY, values)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert m.Incident.objects.count() == 4

    corrected = MESSY.replace(b"20x1", b"2021").replace(b"FH-5,2022", b"FH-5,2021")
    fixed = _imported(personas, corrected, values)
    assert (fixed.created, fixed.updated, fixed.unchanged, fixed.rejected) == (1, 1, 3, 1)
    assert m.Incident.objects.get(origins__country="TJ").start_date.year == 2021
    actions = AuditEvent.objects.filter(record_type="import").values_list("action", flat=True)
    assert list(actions).count("import.finish") == 3


def test_the_command_line_prints_the_dry_run_and_writes_the_rejected_rows(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "fh.csv"
    sheet.write_bytes(MESSY)
    base = ["import", "--org", "Safeguard Exiles", "--format", "fh"]
    assert main([*base, "--dry-run", str(sheet)]) == 0
    out = capsys.readouterr()
    assert "Dry run: 3 to create, 0 to update, 0 unchanged, 3 rows rejected;" in out.out
    assert "row 5: origin_country: No code for this word: map it to one. 'Persia'" in out.err
    assert m.Incident.objects.count() == 0

    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"values": {"origin_country": {"Persia": "IR"}}}))
    rejected = tmp_path / "rejected.csv"
    args = [*base, "--mapping", str(mapping), "--rejected", str(rejected), str(sheet)]
    assert main(args) == 0
    assert "4 created, 0 updated, 0 unchanged, 2 rows rejected" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(rejected.read_text())))
    assert [r["incident_id"] for r in rows] == ["FH-4", "FH-6"]
    assert "Not a date" in rows[0]["errors"]
    # A cell a spreadsheet would run as a formula comes back as text.
    assert rows[1]["host_country"] == '\'=HYPERLINK("x")'

    assert main(["statistics", "--org", "Safeguard Exiles", "--rows", "origin"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "China,1" in table and "Iran,1" in table and table[-1] == "Total,4"


def test_only_admins_and_case_workers_import_and_only_their_organisation_s(
    personas: Personas,
) -> None:
    for reader in (personas.analyst, personas.viewer):
        with pytest.raises(PermissionDeniedError):
            import_create(actor=reader, fmt="fh", filename="fh.csv", content=MESSY)
    job = import_create(actor=personas.admin, fmt="fh", filename="fh.csv", content=MESSY)
    with pytest.raises(NotFoundError):
        access_import(personas.outsider, job.uuid)
    assert access_import(personas.case_worker, job.uuid) == job


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00bad", "Not UTF-8"),
        (b"a,a\n1,2\n", "Every column needs a name of its own"),
        (b"PK\x03\x04broken", "Not a readable XLSX file."),
    ],
)
def test_a_file_that_is_not_a_sheet_is_refused_with_a_reason(
    personas: Personas, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        import_create(actor=personas.case_worker, fmt="fh", filename="x", content=content)
    assert message in refused.value.errors["file"][0]
    assert ImportJob.objects.count() == 0


def test_an_xlsx_sheet_imports_like_its_csv(personas: Personas) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # A formula in a sheet is read as its value, none here: a word instead, to be rejected.
    text = MESSY.decode().replace('=HYPERLINK("x")', "Narnia")
    for row in csv.reader(io.StringIO(text)):
        sheet.append([int(c) if c.isdigit() else c for c in row])
    out = io.BytesIO()
    book.save(out)
    job = _imported(personas, out.getvalue(), {"origin_country": {"Persia": "IR"}})
    assert (job.created, job.rejected) == (4, 2)


def test_a_run_whose_worker_died_is_queued_again_and_goes_on_without_doubles(
    transactional_db: None,  # committed for real: the worker runs outside the test's transaction
    personas: Personas,
) -> None:
    """A worker that died after the first incidents leaves the job running, with whole
    incidents only; `serve` queues it again at start, and the run goes on from there."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    cw = personas.case_worker
    job = import_create(actor=cw, fmt="fh", filename="fh.csv", content=MESSY)
    import_map(actor=cw, job=job, mapping=job.mapping, values={"origin_country": {"Persia": "IR"}})
    import_start(actor=cw, job=job)
    # What a worker killed after its first incident leaves: that incident, whole, with its
    # import record, and the job still running, silent for ten minutes.
    first = _imported(personas, MESSY.splitlines(keepends=True)[0] + MESSY.splitlines(True)[1], {})
    ImportedRecord.objects.filter(job=first).update(job=job)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", created=1, heartbeat_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert imports_resume_stale() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.created, job.rejected) == ("done", 4, 2)
    assert m.Incident.objects.count() == 4  # FH-1 once, though both runs met it


def test_every_country_name_our_exports_write_imports_as_the_same_country() -> None:
    import pycountry

    from beyondreach.interchange.formats import country_name
    from beyondreach.interchange.values import country_code

    wrong = {
        c.alpha_2: country_name(c.alpha_2)
        for c in pycountry.countries
        if country_code(country_name(c.alpha_2)) != c.alpha_2
    }
    assert wrong == {}


def test_a_sheet_of_several_batches_gives_each_incident_its_history_and_audit_event(
    personas: Personas,
) -> None:
    """Incidents are written fifty to a transaction (imports.BATCH); each still gets its own
    first version, holding what it is, and its own link in an audit chain that verifies."""
    import json as json_module

    from beyondreach.cases.export import incident_snapshot
    from beyondreach.core.audit import audit_verify
    from beyondreach.interchange.imports import BATCH

    rows = ["incident_id,year,origin_country,host_country,tactic,targets"]
    hosts = ("DE", "TUR", "United Kingdom", "FR")
    rows += [f"B-{n},{2015 + n % 9},China,{hosts[n % 4]},Detention,{1 + n % 3}" for n in range(120)]
    job = _imported(personas, "\n".join(rows).encode(), {})
    assert 2 * BATCH < 120 and (job.created, job.rejected, job.rows_done) == (120, 0, 120)

    ids = ImportedRecord.objects.filter(job=job).values_list("incident_id", flat=True)
    incidents = list(m.Incident.objects.filter(pk__in=ids).order_by("pk"))
    assert len(incidents) == 120
    created = AuditEvent.objects.filter(action="incident.create", record_type="incident")
    assert sorted(created.values_list("record_id", flat=True)) == sorted(i.uuid for i in incidents)
    assert audit_verify() == []
    for incident in incidents:
        version = m.RecordVersion.objects.get(record_uuid=incident.uuid)
        assert version.version == 1 and version.action == "create"
        assert json_module.loads(version.snapshot) == json_module.loads(
            json_module.dumps(incident_snapshot(incident), default=str)
        )
    sizes = {i.hosts.get().country: i.target_count for i in incidents[:4]}
    assert set(sizes) == {"DE", "TR", "GB", "FR"}
