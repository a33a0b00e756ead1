"""Personas and helpers shared by every test: two organisations, every role in the first, a
case worker in the second (the outsider)."""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondreach.core import crypto
from beyondreach.core.middleware import SESSION_STARTED
from beyondreach.core.models import Organisation, User
from beyondreach.core.sealed import forget_wrapped_keys
from beyondreach.core.services import organisation_create, user_create

# The audit log's SQLite triggers, from a migration module whose name starts with a digit.
_TRIGGERS = importlib.import_module("beyondreach.core.migrations.0002_audit_append_only")
SQLITE_UP, SQLITE_DOWN = _TRIGGERS.SQLITE_UP, _TRIGGERS.SQLITE_DOWN

PASSWORD = "a long test passphrase 42"

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to be
# used from a thread with a running loop unless told it is safe, which it is in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server for an in-memory SQLite database: every request thread shares the test's
    one connection, and two requests at once deadlocked it (CI, the statistics report's chart
    and map loading together): a thread holding SQLite's connection mutex calls back into
    Python for Django's SQL functions and waits for the GIL, while the thread holding the GIL
    waits for the mutex to bind its parameters. So the application runs for one request at a
    time; connections stay threaded and kept alive, as a browser expects. A streamed body is
    read inside the lock too, because it queries as it goes."""

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def one_at_a_time(environ: Any, start_response: Any) -> list[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(one_at_a_time)


def pytest_configure(config: pytest.Config) -> None:
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = _OneRequestAtATimeServer


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (BEYONDREACH_REQUIRE_ALL=1) a skipped test, browser or PostgreSQL, fails the run."""
    if os.environ.get("BEYONDREACH_REQUIRE_ALL") == "1" and _skipped:
        print(f"\nBEYONDREACH_REQUIRE_ALL: {len(_skipped)} tests were skipped: {_skipped[:5]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, at a cost that lets hundreds of test users be made quickly."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["tests.conftest.CheapArgon2PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _cheap_report_key_stretching() -> Iterator[None]:
    # Argon2id still, at libsodium's lowest cost: the tests check what is sealed, not the cost.
    with override_settings(
        REPORTS_PASSPHRASE_COST=(1, 64 * 1024), REPORTS_CODENAME_COST=(1, 64 * 1024)
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _plain_static_files() -> Iterator[None]:
    # The manifest storage needs `collectstatic`; tests serve static files from the apps.
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def master_key() -> Iterator[bytes]:
    key = crypto.new_key()
    settings.MASTER_KEY = crypto.encode_key(key)
    forget_wrapped_keys()
    yield key


@pytest.fixture(autouse=True)
def _fresh_key_cache() -> Iterator[None]:
    # Rows are rolled back between tests; cached wrapped keys of old ids must not leak.
    forget_wrapped_keys()
    yield
    forget_wrapped_keys()


@pytest.fixture(autouse=True)
def _audit_log_flushable_on_sqlite(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let transactional tests empty the SQLite database between tests.

    The audit log's triggers refuse DELETE, and Django empties SQLite with DELETE after a
    transactional test (PostgreSQL uses TRUNCATE, which they do not block). So around such a
    test the triggers are dropped at teardown, and every database test puts them back first.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not (transactional or marker or "db" in request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for sql in SQLITE_UP:
            cursor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    yield
    if transactional:
        with connection.cursor() as cursor:
            for sql in SQLITE_DOWN:
                cursor.execute(sql)


@dataclass
class Personas:
    org: Organisation
    other_org: Organisation
    admin: User
    case_worker: User
    analyst: User
    viewer: User
    outsider: User

    def all_users(self) -> list[User]:
        return [self.admin, self.case_worker, self.analyst, self.viewer, self.outsider]


@pytest.fixture
def personas(db: None) -> Personas:
    org = organisation_create(name="Safeguard Exiles")
    other = organisation_create(name="Other Network")

    def make(o: Organisation, name: str, role: str) -> User:
        return user_create(organisation=o, username=name, password=PASSWORD, role=role)

    return Personas(
        org=org,
        other_org=other,
        admin=make(org, "ada_admin", "admin"),
        case_worker=make(org, "cora_caseworker", "case_worker"),
        analyst=make(org, "ana_analyst", "analyst"),
        viewer=make(org, "vic_viewer", "viewer"),
        outsider=make(other, "otto_outsider", "case_worker"),
    )


def verified_client(user: User) -> Client:
    """A logged-in client that has passed two-factor authentication."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED] = time.time()
    if user.needs_2fa:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# The suite runs once on SQLite and once on PostgreSQL, and CI fails on any skipped test. A
# test that only makes sense on one database is marked `sqlite_only` or `postgres_only` and
# *deselected* (not skipped) on the other.
def database_vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else engine


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    other = {"sqlite": "postgres_only", "postgresql": "sqlite_only"}.get(database_vendor())
    if other is None:
        return
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
