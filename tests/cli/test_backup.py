from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from beyondreach.cases import models as m
from beyondreach.cases.export import incident_snapshot, person_snapshot
from beyondreach.cases.inputs import SourceData
from beyondreach.cases.services import incident_create, incident_update
from beyondreach.cli import main
from beyondreach.core import backup, crypto
from beyondreach.core.audit import audit_verify
from beyondreach.core.models import ApiToken, AuditEvent, Organisation, User
from beyondreach.core.sealed import forget_wrapped_keys
from beyondreach.core.services import api_token_create

from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas
from .dbtools import wipe_every_record

PASSPHRASE = "correct horse battery staple 1984"


@pytest.fixture
def passphrase(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BEYONDREACH_BACKUP_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def records(personas: Personas) -> Personas:
    """Two incidents (one revised), a token and a two-factor device, made by the services."""
    first = incident_create(actor=personas.case_worker, data=incident_data())
    revised = incident_data(title="Changed title")
    revised.sources.append(
        SourceData(
            reference="UN communication",
            kind="document",
            reliability="usually_reliable",
            independent=True,
        )
    )
    incident_update(actor=personas.case_worker, incident=first, data=revised)
    incident_create(actor=personas.outsider, data=incident_data(title="Partner case"))
    api_token_create(user=personas.analyst, label="export")
    TOTPDevice.objects.create(user=personas.case_worker, name="phone", confirmed=True)
    return personas


def everything() -> dict[str, Any]:
    """Every record as a user would check it: decrypted, with its children and history."""
    forget_wrapped_keys()
    return {
        "incidents": [incident_snapshot(i) for i in m.Incident.objects.order_by("pk")],
        "persons": [person_snapshot(p) for p in m.Person.objects.order_by("pk")],
        "versions": [
            (v.record_uuid, v.version, v.snapshot, v.at)
            for v in m.RecordVersion.objects.order_by("pk")
        ],
        "tokens": list(m.NameToken.objects.order_by("pk").values_list("person_id", "digest")),
        "audit": list(
            AuditEvent.objects.order_by("pk").values_list(
                "organisation_id", "seq", "at", "action", "hash"
            )
        ),
        "users": list(
            User.objects.order_by("pk").values_list(
                "username", "password", "role", "organisation_id", "date_joined"
            )
        ),
        "api_tokens": list(ApiToken.objects.values_list("digest", "label", "created_at")),
        "devices": list(TOTPDevice.objects.values_list("user__username", "key", "confirmed")),
        "created": list(m.Incident.objects.order_by("pk").values_list("created_at", "updated_at")),
    }


def test_it_restores_every_record_from_a_backup(
    records: Personas, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = everything()
    path = tmp_path / "beyondreach.backup"
    assert main(["backup", "--output", str(path)]) == 0
    assert f"Backup written: {path}" in capsys.readouterr().out
    assert path.stat().st_mode & 0o077 == 0
    wipe_every_record()
    assert not Organisation.objects.exists()

    assert main(["restore", "--input", str(path)]) == 0
    assert "Restored" in capsys.readouterr().out
    after = everything()
    audit_before, audit_after = before.pop("audit"), after.pop("audit")
    # The backup.create events came after the snapshot; restore appends one per organisation.
    assert audit_after[: len(audit_before)] == audit_before
    assert [a[3] for a in audit_after[len(audit_before) :]] == ["backup.restore"] * 2
    assert after == before
    assert audit_verify() == []
    case_worker = User.objects.get(username="cora_caseworker")
    assert case_worker.check_password(PASSWORD)
    assert not case_worker.check_password("wrong " + PASSWORD)
    titles = {i["title"] for i in after["incidents"]}
    assert titles == {"Changed title", "Partner case"}


def test_it_keeps_sealed_values_encrypted_inside_the_backup(
    records: Personas, tmp_path: Path
) -> None:
    path = tmp_path / "b.backup"
    backup.backup_write(path=path, passphrase=PASSPHRASE)
    assert b"Changed title" not in path.read_bytes()
    with path.open("rb") as fh:
        plaintext = b"\n".join(backup._plaintext_lines(fh, PASSPHRASE))
    assert b"cases.incident" in plaintext
    assert b"Changed title" not in plaintext
    assert b"Gulnara" not in plaintext
    assert b"pbkdf2" not in plaintext and b"argon2" in plaintext  # password hashes, not passwords
    assert PASSWORD.encode() not in plaintext


def _backup_then_wipe(tmp_path: Path) -> Path:
    path = tmp_path / "b.backup"
    backup.backup_write(path=path, passphrase=PASSPHRASE)
    wipe_every_record()
    return path


def _restore_fails(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["restore", "--input", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()
    return err


def test_it_refuses_a_wrong_passphrase_and_writes_nothing(
    records: Personas,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _backup_then_wipe(tmp_path)
    monkeypatch.setenv("BEYONDREACH_BACKUP_PASSPHRASE", "not the passphrase at all")
    err = _restore_fails(path, capsys)
    assert "wrong passphrase, or the file was altered" in err


@pytest.mark.parametrize("where", ["header", "first chunk", "last chunk"])
def test_it_refuses_a_backup_with_one_flipped_byte(
    records: Personas,
    passphrase: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    path = _backup_then_wipe(tmp_path)
    data = bytearray(path.read_bytes())
    offset = {"header": 12, "first chunk": backup.HEADER_BYTES + 40, "last chunk": len(data) - 5}
    data[offset[where]] ^= 0x01
    path.write_bytes(bytes(data))
    err = _restore_fails(path, capsys)
    assert "altered" in err or "damaged" in err


def test_it_refuses_a_backup_cut_short(
    records: Personas, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _backup_then_wipe(tmp_path)
    path.write_bytes(path.read_bytes()[:-30])
    assert "cut short" in _restore_fails(path, capsys)


def test_it_refuses_a_file_that_is_not_a_backup(
    db: None, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert _restore_fails(path, capsys) == "error: This is not a Beyond Reach backup file.\n"
    assert "Cannot read" in _restore_fails(tmp_path / "missing.backup", capsys)


def test_it_refuses_to_restore_into_a_database_with_records(
    records: Personas, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.backup"
    backup.backup_write(path=path, passphrase=PASSPHRASE)
    count = m.Incident.objects.count()
    assert main(["restore", "--input", str(path)]) == 1
    assert "The database is not empty" in capsys.readouterr().err
    assert m.Incident.objects.count() == count


def test_it_rolls_back_a_restore_under_another_master_key(
    records: Personas,
    passphrase: str,
    tmp_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _backup_then_wipe(tmp_path)
    settings.MASTER_KEY = crypto.encode_key(crypto.new_key())
    err = _restore_fails(path, capsys)
    assert "does not open with this master key" in err


def test_it_never_overwrites_a_file(
    records: Personas, passphrase: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "precious.txt"
    path.write_text("keep me")
    assert main(["backup", "--output", str(path)]) == 1
    assert "exists" in capsys.readouterr().err
    assert path.read_text() == "keep me"
    assert list(tmp_path.iterdir()) == [path]


def test_it_refuses_a_short_backup_passphrase(
    records: Personas,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BEYONDREACH_BACKUP_PASSPHRASE", "short")
    assert main(["backup", "--output", str(tmp_path / "b.backup")]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_it_audits_every_backup(records: Personas, passphrase: str, tmp_path: Path) -> None:
    main(["backup", "--output", str(tmp_path / "b.backup")])
    for org in Organisation.objects.all():
        assert AuditEvent.objects.filter(organisation=org, action="backup.create").count() == 1
