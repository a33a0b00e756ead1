"""The rename to Beyond Reach: what was made under the old name keeps working,
and nothing else in the tree carries it."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from nacl.signing import SigningKey

from beyondreach.core import legacy
from beyondreach.core.backup import VERSION, _read_manifest
from beyondreach.reports.proof import Proof, ProofError, b64, proof_sign, proof_verify

REPO = Path(__file__).resolve().parents[2]
OLD_NAME = legacy.OLD_PROOF_HEADER.removesuffix(" proof of submission")


def test_a_proof_signed_under_the_old_name_still_verifies_and_cannot_be_renamed() -> None:
    seed = bytes(32)
    old = Proof("Safeguard Exiles", "c0ffee", "2026-01-05", "ab" * 32, legacy.OLD_PROOF_HEADER)
    text = proof_sign(old, seed)
    key = b64(bytes(SigningKey(seed).verify_key))
    assert proof_verify(text, key).report_sha256 == "ab" * 32
    # The same proof with the new name put in front is a changed proof.
    renamed = text.replace(legacy.OLD_PROOF_HEADER, "Beyond Reach proof of submission")
    with pytest.raises(ProofError):
        proof_verify(renamed, key)


def test_a_backup_made_under_the_old_name_is_still_read() -> None:
    line = json.dumps({"format": legacy.OLD_BACKUP_FORMAT, "version": VERSION}).encode()
    assert _read_manifest(line)["format"] == legacy.OLD_BACKUP_FORMAT


@pytest.mark.django_db
def test_tasks_queued_under_the_old_package_point_at_the_new_one() -> None:
    queued = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=f"{legacy.OLD_PACKAGE}.outbox.tasks.deliver_due",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    migration = importlib.import_module("beyondreach.core.migrations.0003_tasks_after_rename")
    migration.forwards(apps, None)
    queued.refresh_from_db()
    assert queued.task_path == "beyondreach.outbox.tasks.deliver_due"


def test_settings_refuse_a_variable_with_the_old_prefix(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env[f"{legacy.OLD_ENV_PREFIX}DATABASE_URL"] = "postgres://db.internal/old"
    result = subprocess.run(
        [sys.executable, "-m", "beyondreach.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert f"Rename {legacy.OLD_ENV_PREFIX}DATABASE_URL to BEYONDREACH_" in result.stderr


@pytest.mark.skipif(
    not (REPO / ".git").exists() or shutil.which("git") is None, reason="not a git checkout"
)
def test_the_old_name_is_left_only_where_old_data_needs_it() -> None:
    found = subprocess.run(
        ["git", "grep", "-l", "-i", "-e", OLD_NAME.lower().replace(" ", ""), "-e", OLD_NAME],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    # README says the name changed; deployment.md says how to upgrade; legacy.py keeps the
    # values that data made before the rename holds.
    assert set(found) == {"README.md", "docs/deployment.md", "src/beyondreach/core/legacy.py"}
