"""The PostgreSQL connection pool (settings.DATABASES): page views reuse open connections,
which keep the options settings.py gives every connection."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
from pytest_django.live_server_helper import LiveServer

from ..conftest import Personas, verified_client
from ..outbox.deployment import database_url, deployment_env

__all__ = ["database_url"]  # a fixture, used by name

ROOT = Path(__file__).resolve().parents[2]


def _database_settings(**env: str) -> dict[str, object]:
    """settings.DATABASES["default"] as a fresh process reads it from this environment."""
    code = (
        "import json; from beyondreach import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'max_age': db['CONN_MAX_AGE'], **db['OPTIONS']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BEYONDREACH_PG_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "BEYONDREACH_SECRET_KEY": "test-only-" + "k" * 50,
            "BEYONDREACH_DATABASE_URL": "postgres://tnr@127.0.0.1:5432/tnr",
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_postgresql_gets_a_pool_as_large_as_waitress_threads_by_default() -> None:
    from beyondreach.cli import waitress_options

    db = _database_settings()
    assert db["pool"] == {"min_size": 2, "max_size": waitress_options()["threads"], "timeout": 10}
    assert db["max_age"] == 0  # Django refuses a pool with persistent connections
    assert db["options"] == "-c parallel_setup_cost=10000"


def test_the_pool_is_sized_by_the_environment_and_can_be_turned_off() -> None:
    sized = _database_settings(BEYONDREACH_PG_POOL_MIN="1", BEYONDREACH_PG_POOL_MAX="3")
    assert sized["pool"] == {"min_size": 1, "max_size": 3, "timeout": 10}
    off = _database_settings(BEYONDREACH_PG_POOL="0")
    assert "pool" not in off
    assert off["max_age"] == 60  # an external pooler (PgBouncer) then keeps connections
    assert off["options"] == "-c parallel_setup_cost=10000"


@pytest.mark.postgres_only
def test_page_views_reuse_pooled_connections_that_keep_serial_plans(
    live_server: LiveServer, personas: Personas
) -> None:
    """Through a real server thread, which gives its connection back after each request as
    waitress's threads do (Django's test client keeps it instead)."""
    cookie = verified_client(personas.case_worker).cookies[settings.SESSION_COOKIE_NAME].value

    def page_view() -> None:
        server = http.client.HTTPConnection(live_server.url.removeprefix("http://"), timeout=30)
        server.request("GET", "/incidents/", headers={"Cookie": f"sessionid={cookie}"})
        response = server.getresponse()
        assert response.status == 200
        assert b"Incidents" in response.read()
        server.close()

    page_view()  # opens the pool
    wrapper = connections["default"]
    assert isinstance(wrapper, PostgreSQLWrapper)
    pool = wrapper.pool
    assert pool is not None
    before = pool.get_stats()
    for _ in range(5):
        page_view()
    after = pool.get_stats()
    assert after["requests_num"] >= before["requests_num"] + 5  # each took one from the pool
    assert after.get("connections_num", 0) == before.get("connections_num", 0)  # none opened
    with connection.cursor() as cursor:
        cursor.execute("SHOW parallel_setup_cost")
        assert cursor.fetchone() == ("10000",)


@pytest.mark.postgres_only
def test_concurrent_threads_share_the_pools_connections_with_their_options(
    transactional_db: None,
) -> None:
    """As waitress's threads do: each request's thread takes a connection, gives it back."""
    seen: list[tuple[int, str, str]] = []

    def requests() -> None:
        for _ in range(5):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_backend_pid(), current_setting('parallel_setup_cost'),"
                    " current_database()"
                )
                seen.append(cursor.fetchone())
            connection.close()  # what Django does at the end of a request

    threads = [threading.Thread(target=requests) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 20
    assert {setting for _, setting, _ in seen} == {"10000"}
    assert {name for _, _, name in seen} == {connection.settings_dict["NAME"]}
    assert len({pid for pid, _, _ in seen}) <= 4  # at most one connection per thread


@pytest.mark.postgres_only
def test_a_parallel_demo_load_gives_each_worker_its_own_pool(
    database_url: str, tmp_path: Path
) -> None:
    """The bulk loader forks its workers: with the parent's pool they shared its connections
    and the load failed ("the last operation didn't produce records")."""
    env = {**deployment_env(database_url, tmp_path), "BEYONDREACH_SECRET_KEY": "t" * 50}

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("-m", "beyondreach.cli", "migrate")
    load = (
        "import django; django.setup(); from beyondreach.demo.generate import demo_load; "
        "demo_load(incidents=60, if_empty=False, seed=1, mode='bulk', batch_size=20, workers=2)"
    )
    cli("-c", load)
    count = "from beyondreach.cases.models import Incident; print(Incident.objects.count())"
    assert cli("-c", f"import django; django.setup(); {count}").strip() == "60"
    assert cli("-m", "beyondreach.cli", "verify-audit").startswith("audit chain intact")
