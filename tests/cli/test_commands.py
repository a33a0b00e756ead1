from __future__ import annotations

import hashlib
import stat
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.fixtures import Settings

from beyondreach.cases import models as m
from beyondreach.cases.services import incident_create
from beyondreach.cli import main
from beyondreach.core import crypto
from beyondreach.core.errors import DecryptionError
from beyondreach.core.models import ApiToken, AuditEvent, Organisation
from beyondreach.core.sealed import forget_wrapped_keys
from beyondreach.demo.flow_incidents import flow_incidents

from ..cases.factories import incident_data
from ..conftest import Personas
from .dbtools import audit_triggers_disabled, tamper_audit_event


def test_it_prints_an_api_token_once_and_stores_only_its_digest(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-token", "--username", "cora_caseworker", "--label", "script"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert token.startswith("tnr_")
    assert "shown once" in err
    row = ApiToken.objects.get(user=personas.case_worker)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert row.label == "script"
    assert not ApiToken.objects.filter(digest=token).exists()


def test_it_refuses_a_token_for_an_unknown_user(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-token", "--username", "nobody"]) == 1
    _, err = capsys.readouterr()
    assert err == "error: No user named 'nobody'.\n"
    assert not ApiToken.objects.exists()


def test_it_reports_an_intact_audit_chain(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    assert main(["verify-audit"]) == 0
    out, _ = capsys.readouterr()
    assert out == f"audit chain intact: {AuditEvent.objects.count()} events\n"


def test_it_names_the_first_altered_audit_event(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    incident_create(actor=personas.case_worker, data=incident_data())
    last = AuditEvent.objects.filter(organisation=personas.org).order_by("-seq").first()
    assert last is not None and last.seq > 4
    tamper_audit_event(personas.org, 4)
    assert main(["verify-audit"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert (
        err == "audit chain broken: organisation 'Safeguard Exiles', seq 4: the event was altered\n"
    )


def test_it_names_a_missing_audit_event(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    with audit_triggers_disabled(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM core_auditevent WHERE organisation_id = %s AND seq = 2",
            [personas.org.pk],
        )
    assert main(["verify-audit"]) == 1
    _, err = capsys.readouterr()
    assert (
        err == "audit chain broken: organisation 'Safeguard Exiles', seq 2: an event is missing\n"
    )


def _key_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_it_rotates_the_master_key_without_losing_a_record(
    personas: Personas, settings: Settings, tmp_path: Path, master_key: bytes
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    new_file = tmp_path / "keys" / "master-2.key"
    assert main(["rotate-master-key", "--new-key-file", str(new_file)]) == 0
    assert _key_mode(new_file) == 0o600
    new_key = crypto.decode_key(new_file.read_text())
    settings.MASTER_KEY = crypto.encode_key(new_key)
    forget_wrapped_keys()
    again = m.Incident.objects.get(pk=incident.pk)
    assert again.title == "Red Notice against a Uyghur poet in Istanbul"
    assert again.targets.get(role="primary").person.names.first().value == "Gulnara Tokhtieva"
    for org in Organisation.objects.all():
        with pytest.raises(DecryptionError):
            crypto.unwrap_key(master_key, bytes(org.wrapped_data_key))
        assert AuditEvent.objects.filter(organisation=org, action="master_key.rotate").exists()


def test_it_rotates_a_key_file_in_place(
    personas: Personas,
    settings: Settings,
    tmp_path: Path,
    master_key: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    monkeypatch.delenv("BEYONDREACH_MASTER_KEY_FILE", raising=False)
    key_file = tmp_path / "master.key"
    key_file.write_text(crypto.encode_key(master_key))
    key_file.chmod(0o600)
    settings.MASTER_KEY, settings.MASTER_KEY_PATH = "", key_file
    assert main(["rotate-master-key"]) == 0
    assert f"{key_file} now holds the new key" in capsys.readouterr().out
    assert crypto.decode_key(key_file.read_text()) != master_key
    assert _key_mode(key_file) == 0o600
    assert list(tmp_path.iterdir()) == [key_file]
    forget_wrapped_keys()
    assert m.Incident.objects.get(pk=incident.pk).narrative.startswith("Detained at the airport")


def test_it_refuses_to_rotate_to_the_current_key(
    personas: Personas, tmp_path: Path, master_key: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    same = tmp_path / "same.key"
    same.write_text(crypto.encode_key(master_key))
    assert main(["rotate-master-key", "--new-key-file", str(same)]) == 1
    assert "holds the current master key" in capsys.readouterr().err


def test_it_asks_where_to_put_the_new_key_when_the_old_one_is_in_the_environment(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BEYONDREACH_MASTER_KEY_FILE", raising=False)
    wrapped = {o.pk: bytes(o.wrapped_data_key) for o in Organisation.objects.all()}
    assert main(["rotate-master-key"]) == 1
    assert "--new-key-file" in capsys.readouterr().err
    assert {o.pk: bytes(o.wrapped_data_key) for o in Organisation.objects.all()} == wrapped


def test_it_loads_demo_data_and_prints_the_demo_login(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--incidents", "3", "--mode", "bulk"]) == 0
    out, _ = capsys.readouterr()
    assert "Demo data: 3 fictional incidents" in out
    assert "Demo login: demo_caseworker / demo passphrase for beyond reach" in out
    assert main(["demo", "--incidents", "3", "--if-empty"]) == 0
    assert capsys.readouterr().out == "Demo data: skipped, an organisation exists.\n"
    flows = len(flow_incidents(date.today()))
    assert m.Incident.objects.count() == 3 + flows  # and the incidents made for the flows


def test_it_answers_bad_usage_with_exit_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["backup"])
    assert exc.value.code == 2
    assert "--output" in capsys.readouterr().err
