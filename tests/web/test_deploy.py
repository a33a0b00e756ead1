from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def test_production_settings_pass_djangos_deployment_check() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "beyondreach.settings",
        "BEYONDREACH_SECRET_KEY": secrets.token_urlsafe(50),
        "BEYONDREACH_ALLOWED_HOSTS": "tnr.example.org",
        "BEYONDREACH_SSL_REDIRECT": "1",
        "BEYONDREACH_HSTS_SECONDS": "31536000",
        "BEYONDREACH_HSTS_PRELOAD": "1",
        "BEYONDREACH_SECURE_COOKIES": "1",
        "BEYONDREACH_DATABASE_URL": "postgres://beyondreach@db.internal:5432/beyondreach",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_development_defaults_fail_the_deployment_check(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BEYONDREACH_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["DJANGO_SETTINGS_MODULE"] = "beyondreach.settings"
    # An empty state directory: no secret.key made by `tnr init`, so the built-in
    # development key is used and the check must refuse it.
    env["BEYONDREACH_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
