"""The bulk loader's worker processes, end to end, on a real SQLite file: the in-memory
test database cannot be shared with forked processes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from beyondreach.demo.flow_incidents import flow_incidents

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _load(tmp_path: Path, workers: int) -> str:
    var = tmp_path / f"workers-{workers}"
    env = {
        **os.environ,
        "BEYONDREACH_VAR_DIR": str(var),
        "BEYONDREACH_DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "beyondreach.settings",
    }
    for name in ("BEYONDREACH_MASTER_KEY", "BEYONDREACH_MASTER_KEY_FILE"):
        env.pop(name, None)
    cli = ("-m", "beyondreach.cli")
    _run(env, *cli, "init")
    _run(env, *cli, "migrate")
    out = _run(
        env,
        *cli,
        "demo",
        "--incidents",
        "120",
        "--mode",
        "bulk",
        "--batch-size",
        "25",
        "--workers",
        str(workers),
    )
    assert "Demo data: 120 fictional incidents" in out
    assert _run(env, *cli, "verify-audit").startswith("audit chain intact")
    return _run(env, "-m", "tests.demo.dump_incidents")


def test_it_loads_the_same_incidents_with_two_workers_as_with_one(tmp_path: Path) -> None:
    one, two = _load(tmp_path, 1), _load(tmp_path, 2)
    flows = len(flow_incidents(date.today()))
    assert len(one.splitlines()) == 120 + flows + 1  # loaded, made for the flows, the summary
    assert two == one
    assert '"audit_broken": 0' in one
