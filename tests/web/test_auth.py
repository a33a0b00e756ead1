from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondreach import settings as production_settings
from beyondreach.core.middleware import SESSION_SEEN, SESSION_STARTED
from beyondreach.core.models import AuditEvent

from ..conftest import PASSWORD, Personas, verified_client


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _login(client: Client, username: str, password: str = PASSWORD) -> int:
    return client.post("/login/", {"username": username, "password": password}).status_code


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_gives_a_new_session_id_at_login(personas: Personas) -> None:
    client = Client()
    client.get("/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    _login(client, personas.analyst.username)
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"
    assert client.get("/incidents/").status_code == 200


def test_a_case_worker_must_enrol_and_pass_two_factor(personas: Personas) -> None:
    client = Client()
    assert _login(client, personas.case_worker.username) == 302
    assert client.get("/incidents/")["Location"] == "/login/two-factor/"
    page = client.get("/login/two-factor/").content.decode()
    assert "authenticator" in page and 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=personas.case_worker)
    assert client.post("/login/two-factor/", {"token": "000000"}).status_code == 400
    time.sleep(1.1)  # django-otp throttles the next try for a second after a failure
    code = _code(device)
    assert client.post("/login/two-factor/", {"token": code}).status_code == 302
    assert client.get("/incidents/").status_code == 200


def test_a_two_factor_code_works_only_once(personas: Personas) -> None:
    device = TOTPDevice.objects.create(user=personas.admin, name="phone", confirmed=True)
    first = Client()
    _login(first, personas.admin.username)
    code = _code(device)
    assert first.post("/login/two-factor/", {"token": code}).status_code == 302
    second = Client()
    _login(second, personas.admin.username)
    answer = second.post("/login/two-factor/", {"token": code})
    assert answer.status_code == 400
    assert "already used" in answer.content.decode()


def test_it_locks_the_account_not_the_address_after_repeated_failures(personas: Personas) -> None:
    for _ in range(5):
        assert _login(Client(), personas.analyst.username, "wrong password") == 400
    locked = Client().post("/login/", {"username": personas.analyst.username, "password": PASSWORD})
    assert locked.status_code == 400 and "locked" in locked.content.decode()
    # Another account from the very same address still logs in.
    assert _login(Client(), personas.viewer.username) == 302
    personas.analyst.refresh_from_db()
    assert personas.analyst.locked_until and personas.analyst.locked_until > timezone.now()
    assert AuditEvent.objects.filter(action="login.failed").count() == 5


def test_a_locked_account_looks_like_a_wrong_password_to_who_lacks_the_password(
    personas: Personas,
) -> None:
    for _ in range(5):
        _login(Client(), personas.analyst.username, "wrong password")
    probe = Client().post("/login/", {"username": personas.analyst.username, "password": "x" * 12})
    unknown = Client().post("/login/", {"username": "nobody", "password": "x" * 12})
    assert probe.status_code == unknown.status_code == 400
    assert "locked" not in probe.content.decode()
    assert "do not match" in probe.content.decode()


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(personas: Personas) -> None:
    unknown = Client().post("/login/", {"username": "nobody", "password": "x" * 12})
    wrong = Client().post("/login/", {"username": personas.viewer.username, "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 400
    assert "do not match" in unknown.content.decode() and "do not match" in wrong.content.decode()


def test_a_session_expires_after_its_absolute_lifetime_however_active(
    personas: Personas, settings: pytest.FixtureRequest
) -> None:
    client = verified_client(personas.viewer)
    session = client.session
    session[SESSION_STARTED] = time.time() - production_settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    answer = client.get("/incidents/")
    assert answer.status_code == 302 and answer["Location"] == "/login/"
    assert client.get("/incidents/").status_code == 302


def _expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_expires_when_idle(personas: Personas) -> None:
    assert production_settings.SESSION_COOKIE_AGE <= 30 * 60
    client = verified_client(personas.viewer)
    assert client.get("/incidents/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    answer = client.get("/incidents/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_activity_keeps_a_session_alive_with_a_write_a_minute_at_most(personas: Personas) -> None:
    client = verified_client(personas.viewer)
    assert client.get("/incidents/").status_code == 200  # the first page view slides the expiry
    first = _expiry(client)
    assert first > timezone.now() + timedelta(seconds=production_settings.SESSION_COOKIE_AGE - 60)
    assert client.get("/incidents/").status_code == 200
    assert _expiry(client) == first  # a second view within the minute writes nothing
    session = client.session
    session[SESSION_SEEN] = time.time() - production_settings.SESSION_IDLE_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=5)  # about to expire when idle
    )
    assert client.get("/incidents/").status_code == 200
    assert _expiry(client) > timezone.now() + timedelta(
        seconds=production_settings.SESSION_COOKIE_AGE - 60
    )


def test_logout_is_post_only_and_ends_the_session(personas: Personas) -> None:
    client = verified_client(personas.viewer)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/incidents/").status_code == 302


def test_login_refuses_an_offsite_next_url(personas: Personas) -> None:
    client = Client()
    answer = client.post(
        "/login/?next=https://evil.example/",
        {
            "username": personas.viewer.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert answer["Location"] == "/incidents/"


def test_a_deactivated_user_is_logged_out_on_the_next_request(personas: Personas) -> None:
    client = verified_client(personas.case_worker)
    assert client.get("/incidents/").status_code == 200
    personas.case_worker.is_active = False
    personas.case_worker.save(update_fields=["is_active"])
    page = client.get("/incidents/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")
