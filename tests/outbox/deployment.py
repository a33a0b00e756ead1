"""A real deployment for tests that run Beyond Reach's own processes (the worker, `serve`):
a fresh database they can reach (a SQLite file, or a new PostgreSQL database on the
PostgreSQL run; never the test database), the environment, and ways to run Python in it."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from ..conftest import database_vendor

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database the worker processes can reach, never the test database."""
    if database_vendor() == "sqlite":
        yield f"sqlite:///{tmp_path / 'beyondreach.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"tnr_outbox_crash_{secrets.token_hex(4)}"
    server = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def deployment_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "beyondreach.settings",
        "BEYONDREACH_DATABASE_URL": database_url,
        "BEYONDREACH_VAR_DIR": str(tmp_path),
        "BEYONDREACH_MASTER_KEY": settings.MASTER_KEY,
        "BEYONDREACH_SECRET_KEY": settings.SECRET_KEY,
        "BEYONDREACH_WEBHOOK_ALLOW_LOCAL": "1",
        # Short times, so the test waits seconds, not minutes: each send may take up to
        # 2 s, a claim lasts 8 s (so a batch is 2 messages), the sweep runs every second.
        "BEYONDREACH_OUTBOX_SEND_TIMEOUT": "2",
        "BEYONDREACH_OUTBOX_LEASE_SECONDS": "8",
        "BEYONDREACH_OUTBOX_SWEEP_SECONDS": "1",
    }
    env.pop("BEYONDREACH_MASTER_KEY_FILE", None)
    return env


def run_python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def run_script(env: dict[str, str], *args: str) -> object:
    code = "import django; django.setup(); from tests.outbox.in_deployment import main; main()"
    return json.loads(run_python(env, "-c", code, *args))
