"""Uploads through the real server (waitress, as `beyondreach serve` runs it) stay in memory:
nothing is spooled to a temporary file, and an oversized body is refused with 413."""

from __future__ import annotations

import io
import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connections
from PIL import Image
from waitress.server import create_server

from beyondreach.cli import waitress_options
from beyondreach.core.attachments import REPORT_MAX_BYTES
from beyondreach.reports.models import Report, ReportFile
from beyondreach.wsgi import application

from .conftest import OpenChannel


def _closing(app: Any) -> Any:
    """The app, closing its thread's database connection after each request, so the test
    database can be dropped at the end (connections are otherwise kept for reuse)."""

    def wrapped(environ: Any, start_response: Any) -> Any:
        try:
            return list(app(environ, start_response))
        finally:
            connections.close_all()

    return wrapped


@pytest.fixture
def server(settings: Any) -> Iterator[str]:
    # Plain HTTP on loopback: cookies marked Secure (the PostgreSQL-like production default)
    # would never be sent back by the client.
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    srv = create_server(_closing(application), host="127.0.0.1", port=0, **waitress_options())
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.effective_port}"  # type: ignore[union-attr]
    srv.close()
    thread.join(timeout=5)


@pytest.fixture
def temp_files_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every temporary file anything in this process opens, named or not.

    An unnamed one (waitress spools bodies with tempfile.TemporaryFile) is unlinked at once
    and never shows in a folder listing, so the calls themselves are recorded.
    """
    made: list[str] = []
    import django.core.files.temp as django_temp

    for module, name in [
        (tempfile, "TemporaryFile"),
        (tempfile, "NamedTemporaryFile"),
        (tempfile, "mkstemp"),
        (django_temp, "NamedTemporaryFile"),
    ]:
        original = getattr(module, name)

        def spy(
            *args: object, _original: object = original, _name: str = name, **kw: object
        ) -> object:
            made.append(_name)
            return _original(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(module, name, spy)
    return made


def _big_png() -> bytes:
    # Noise does not compress: about 4 MB, well over Django's 2.5 MB in-memory threshold
    # and waitress's 512 KB default spool threshold.
    side = 1200
    data = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(data, "PNG")
    return data.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_4_mb_upload_never_touches_the_disk(
    open_channel: OpenChannel,
    server: str,
    temp_files_made: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This process's temporary folder, private to the test: other programs on the machine
    # write to the shared /tmp at any time.
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    photo = _big_png()
    assert len(photo) > 3 * 1024 * 1024
    session = requests.Session()
    form_url = f"{server}/r/{open_channel.channel.slug}/en/new/"
    session.get(form_url, timeout=10).raise_for_status()
    answer = session.post(
        form_url,
        data={
            "what_happened": "They photographed my door.",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        files={"files": ("door.png", photo, "image/png")},
        headers={"Referer": form_url},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text[:2000]
    assert re.search(r'<strong id="codename">', answer.text)
    assert Report.objects.count() == 1 and ReportFile.objects.count() == 1
    assert list(private.iterdir()) == [], "an upload was written to a temporary file"
    assert temp_files_made == [], "a temporary file was opened while the upload was handled"


@pytest.mark.django_db(transaction=True)
def test_an_oversized_body_is_refused_with_413_and_nothing_is_kept(
    open_channel: OpenChannel, server: str
) -> None:
    answer = requests.post(
        f"{server}/r/{open_channel.channel.slug}/en/new/",
        data=b"x" * (REPORT_MAX_BYTES + 2 * 1024 * 1024),
        headers={"Content-Type": "multipart/form-data; boundary=B"},
        timeout=60,
    )
    assert answer.status_code == 413
    assert not Report.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_upload_cut_off_midway_leaves_no_half_report(
    open_channel: OpenChannel, server: str
) -> None:
    session = requests.Session()
    form_url = f"{server}/r/{open_channel.channel.slug}/en/new/"
    session.get(form_url, timeout=10).raise_for_status()
    token = session.cookies["csrftoken"]
    boundary = "CutOffBoundary"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="what_happened"\r\n\r\n'
        "They followed me home.\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="door.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + _big_png()[:500_000]
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            (
                f"POST /r/{open_channel.channel.slug}/en/new/ HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\n"
                f"Cookie: csrftoken={token}\r\n"
                f"Referer: {form_url}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(head) + 3_000_000}\r\n\r\n"
            ).encode()
            + head
        )
        # The connection drops with most of the body unsent, as on a failing mobile link.
    time.sleep(1)
    assert not Report.objects.exists() and not ReportFile.objects.exists()
    # The channel still works for the next reporter.
    assert session.get(form_url, timeout=10).status_code == 200
