"""No public fallback secret: `init` makes one, and nothing that serves or works starts
without it. The reporter's cookie is not keyed by SECRET_KEY, let alone a public constant."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import nacl.secret
import pytest
from django.conf import settings
from django.test import Client

from beyondreach.reports.keys import codename_keys
from beyondreach.reports.models import Report
from beyondreach.reports.reporter_cookie import COOKIE

from ..reports.conftest import OpenChannel
from ..reports.conftest import open_channel as open_channel  # a fixture, re-exported

OLD_CONSTANT = "django-insecure-development-only-" + "x" * 40


def _env(var_dir: Path) -> dict[str, str]:
    """The environment of a fresh machine: no BEYONDREACH_ variable but an empty state folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BEYONDREACH_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **env,
        "BEYONDREACH_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "beyondreach.settings",
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_serve_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    port = _free_port()
    result = _run(["-m", "beyondreach.cli", "serve", "--port", str(port)], _env(tmp_path))
    assert result.returncode == 1
    assert "BEYONDREACH_SECRET_KEY" in result.stderr and "beyondreach init" in result.stderr
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0  # nothing listens


def test_the_worker_and_the_wsgi_application_refuse_too(tmp_path: Path) -> None:
    env = _env(tmp_path)
    worker = _run(["-m", "django", "db_worker"], env)
    assert worker.returncode != 0 and "BEYONDREACH_SECRET_KEY" in worker.stderr
    wsgi = _run(["-c", "import beyondreach.wsgi"], env)
    assert wsgi.returncode != 0 and "BEYONDREACH_SECRET_KEY" in wsgi.stderr


def test_a_placeholder_secret_key_is_refused(tmp_path: Path) -> None:
    env = {**_env(tmp_path), "BEYONDREACH_SECRET_KEY": OLD_CONSTANT}
    result = _run(["-m", "beyondreach.cli", "serve", "--port", str(_free_port())], env)
    assert result.returncode == 1 and "placeholder" in result.stderr


def test_init_creates_an_owner_only_secret_key_and_database_that_serving_accepts(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    assert _run(["-m", "beyondreach.cli", "init"], env).returncode == 0
    key = tmp_path / "secret.key"
    assert _mode(key) == 0o600 and len(key.read_text().strip()) >= 50
    first = key.read_text()
    assert _run(["-m", "beyondreach.cli", "init"], env).returncode == 0
    assert key.read_text() == first  # never replaced
    migrated = _run(["-m", "beyondreach.cli", "migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    database = tmp_path / "beyondreach.sqlite3"
    assert _mode(database) == 0o600
    for extra in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        assert not extra.exists() or _mode(extra) == 0o600
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "beyondreach.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None, "serve stopped although a secret key was made"
            time.sleep(0.3)
        else:
            pytest.fail("serve did not start with the key that init made")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_database_file_made_world_readable_is_made_owner_only_on_connection(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    assert _run(["-m", "beyondreach.cli", "init"], env).returncode == 0
    database = tmp_path / "beyondreach.sqlite3"
    database.chmod(0o644)
    assert _run(["-m", "beyondreach.cli", "migrate"], env).returncode == 0
    assert _mode(database) == 0o600


def _forged_cookie(key: bytes, report: Report, private_key: bytes) -> str:
    payload = json.dumps(
        {"r": str(report.uuid), "k": base64.b64encode(private_key).decode(), "e": 2**40}
    ).encode()
    return base64.urlsafe_b64encode(nacl.secret.SecretBox(key).encrypt(payload)).decode()


@pytest.mark.django_db
def test_a_cookie_forged_with_the_old_constant_or_the_secret_key_is_refused(
    open_channel: OpenChannel,
) -> None:
    slug = open_channel.channel.slug
    client = Client()
    client.post(f"/r/{slug}/en/new/", {"what_happened": "They took my passport."})
    report = Report.objects.get()
    # The attacker knows the report id and a key pair of their own: with a cookie the server
    # accepted, they could add messages to the report as if they were the reporter.
    own_key = codename_keys("apple " * 7, bytes(open_channel.channel.codename_salt)).private_key
    for secret in (OLD_CONSTANT, settings.SECRET_KEY):
        key = hashlib.blake2b(secret.encode(), digest_size=32, person=b"tnr-reporter").digest()
        attacker = Client()
        attacker.cookies[COOKIE] = _forged_cookie(key, report, own_key)
        answer = attacker.get(f"/r/{slug}/en/status/")
        assert answer.status_code == 302 and answer["Location"].endswith("/follow-up/")
    genuine = client.get(f"/r/{slug}/en/status/")
    assert genuine.status_code == 200  # the reporter's own cookie still opens it
