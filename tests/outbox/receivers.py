"""Real receivers on loopback: an SMTP server (aiosmtpd) and an HTTP webhook receiver
(http.server in a thread). Tests and the benchmark point the outbox at them; nothing of
our own is mocked."""

from __future__ import annotations

import email
import email.policy
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pytest_django.fixtures import Settings

from beyondreach.outbox.signing import KEY_HEADER, SIGNATURE_HEADER, signature_valid

# aiosmtpd logs every SMTP exchange at INFO from its own thread, which can outlive a test's
# captured output ("--- Logging error ---" in the run's log); its warnings still show.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class MailBox:
    """An aiosmtpd handler keeping every message; `refuse_with` answers DATA with a code."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_with: str | None = None
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse_with:
            return self.refuse_with
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.arrived:
            self.messages.append(parsed)
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        return list(self.messages)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def key(self) -> str:
        return self.headers.get(KEY_HEADER.lower(), "")

    def json(self) -> Any:
        return json.loads(self.body)

    def signed_by(self, secret: str) -> bool:
        header = self.headers.get(SIGNATURE_HEADER.lower(), "")
        return signature_valid(secret, header, self.key, self.body)


@dataclass
class Receiver:
    """What the webhook endpoint got. `answer` picks the status per request (default 200);
    `hold` runs inside the handler before it answers (to stall a delivery)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    answer: Callable[[Received], int] = lambda r: 200
    hold: Callable[[Received], None] = lambda r: None
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)
        return list(self.requests)

    def keys(self) -> set[str]:
        return {r.key for r in self.requests}


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            got = Received(
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length),
                at=time.monotonic(),
            )
            with receiver.arrived:
                receiver.requests.append(got)
                receiver.arrived.notify_all()
            receiver.hold(got)
            status = receiver.answer(got)
            try:
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the sender died while we held its request: what a crash test wants

        def log_message(self, format: str, *args: Any) -> None:
            return None  # quiet: the test output is for failures

    return Handler


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook")
    server.RequestHandlerClass = _handler(receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server


@contextmanager
def running_receiver(settings: Settings) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOW_LOCAL = True
    receiver, server = start_receiver()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running_mailbox(settings: Settings) -> Iterator[MailBox]:
    box = MailBox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "alerts@beyondreach.example"
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def webhook_receiver(settings: Settings) -> Iterator[Receiver]:
    with running_receiver(settings) as receiver:
        yield receiver


@pytest.fixture
def mailbox(settings: Settings) -> Iterator[MailBox]:
    with running_mailbox(settings) as box:
        yield box
