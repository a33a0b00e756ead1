#!/usr/bin/env python
"""Benchmark of alert delivery: throughput of the outbox and latency of an urgent alert.

    .venv/bin/python bench/bench_alerts.py --db sqlite
    .venv/bin/python bench/bench_alerts.py --db postgres --messages 2000

In one run and one process, against a fresh database (bench/out/alerts.sqlite3 or the
PostgreSQL database `tnr_bench_alerts`, never the test database), with a webhook receiver
(http.server) and an SMTP server (aiosmtpd) on loopback:

1. baseline: N raw HTTP POSTs to the receiver with urllib, one after the other (what the
   delivery code does per webhook, without the database), and N raw SMTP messages over
   one smtplib connection;
2. throughput: N webhook messages, then N e-mails, queued in the outbox and delivered by
   the worker's delivery function (`outbox_deliver_due`): claim, open the sealed envelope,
   sign, send, record, per message;
3. latency: a case worker saves an urgent incident (`incident_create`) that a focal point's
   rule matches; a real `python -m django db_worker` process, started as `beyondreach serve`
   starts it (one-second poll), delivers the webhook. Save to arrival, p50 and p95;
4. matching: what `alerts_match` costs the saving request, with 200 rules in the
   organisation (a tenth of them matching).

It prints the figures and the ratios to the baselines. Figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import smtplib
import subprocess
import sys
import threading
import time
import urllib.request
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PG_DATABASE = "tnr_bench_alerts"  # never the test database
# A throwaway account and secret in a throwaway database.
PASSWORD = "bench passphrase 42"  # noqa: S105
SECRET = "whsec_bench"  # noqa: S105


def fresh_database(db: str, name: str, pg_database: str, env: dict[str, str]) -> None:
    """A new, migrated database for one bench (bench/out/NAME.sqlite3, or the PostgreSQL
    database `pg_database`, dropped first), with Django set up on it; bench_screening.py
    uses it too."""
    OUT.mkdir(exist_ok=True)
    key_file = OUT / "master.key"
    if not key_file.exists():
        import base64
        import secrets

        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    for leftover in OUT.glob(f"{name}.sqlite3*"):
        leftover.unlink()
    bench_environment(db, name, pg_database, env)
    if db == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{pg_database}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_environment(db: str, name: str, pg_database: str, env: dict[str, str]) -> None:
    """Point Django (not yet set up) at the bench's database: bench/out/NAME.sqlite3 or the
    PostgreSQL database `pg_database`, with the bench's master key; bench_screening.py uses it
    to reopen a database an earlier run loaded."""
    sys.path.insert(0, str(HERE.parent / "src"))
    os.environ.update(
        {
            "BEYONDREACH_MASTER_KEY_FILE": str(OUT / "master.key"),
            "BEYONDREACH_VAR_DIR": str(OUT),
            "BEYONDREACH_DATABASE_URL": f"sqlite:///{OUT / f'{name}.sqlite3'}"
            if db == "sqlite"
            else f"postgres://postgres@127.0.0.1:5432/{pg_database}",
            "DJANGO_SETTINGS_MODULE": "beyondreach.settings",
            "BEYONDREACH_LOG_LEVEL": "WARNING",
            **env,
        }
    )


def configure(db: str) -> None:
    fresh_database(db, "alerts", PG_DATABASE, {"BEYONDREACH_WEBHOOK_ALLOW_LOCAL": "1"})


class Receiver:
    """Counts webhooks and notes when each incident's alert arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.arrived: dict[str, float] = {}
        self.lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.count += 1
                    receiver.arrived[body.decode()] = time.monotonic()
                    receiver.lock.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for_text(self, text: str, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        with self.lock:
            while time.monotonic() < deadline:
                for body, at in self.arrived.items():
                    if text in body:
                        return at
                self.lock.wait(0.05)
        return None


class MailSink:
    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.count = 0
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.count += 1
                return "250 OK"

        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()


def rate(count: int, seconds: float) -> float:
    return count / max(seconds, 1e-9)


def raw_posts(url: str, n: int) -> float:
    body = b'{"event":"incident.urgent","incident":{"host_countries":["TR"]}}' * 4
    started = time.perf_counter()
    for _ in range(n):
        request = urllib.request.Request(  # noqa: S310 - an http URL on loopback
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - as above
            answer.read()
    return rate(n, time.perf_counter() - started)


def raw_mails(port: int, n: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        for i in range(n):
            message = EmailMessage()
            message["From"], message["To"] = "alerts@bench.example", "unit@bench.example"
            message["Subject"] = f"[Beyond Reach] Urgent: incident in TR ({i})"
            message.set_content("Coded facts only.\n" * 8)
            smtp.send_message(message)
    return rate(n, time.perf_counter() - started)


def outbox_rate(n: int, envelope: Any, org: Any, prefix: str) -> float:
    from django.db import transaction

    from beyondreach.outbox.models import Message, Status
    from beyondreach.outbox.services import outbox_deliver_due, outbox_enqueue

    with transaction.atomic():
        for i in range(n):
            outbox_enqueue(organisation=org, key=f"{prefix}-{i}", kind="bench", envelope=envelope)
    started = time.perf_counter()
    sent = 0
    while sent < n:
        sent += outbox_deliver_due().sent
    seconds = time.perf_counter() - started
    assert Message.objects.filter(key__startswith=prefix, status=Status.SENT).count() == n
    return rate(n, seconds)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(receiver: Receiver, samples: int) -> tuple[list[float], list[float]]:
    """(save to arrival, save itself) in ms, with a real worker process polling every 1 s."""
    from beyondreach.alerts.services import (
        FocalPointData,
        RuleData,
        focal_point_create,
        subscription_create,
    )
    from beyondreach.cases.inputs import IncidentData
    from beyondreach.cases.services import incident_create
    from beyondreach.core.models import Organisation, User
    from beyondreach.core.services import user_create

    org = Organisation.objects.get(name="Bench Exiles")
    admin = User.objects.get(username="bench_admin")
    worker_user = user_create(
        organisation=org,
        username="bench_caseworker",
        password=PASSWORD,
        role="case_worker",
    )
    point, _secret = focal_point_create(
        actor=admin, data=FocalPointData(name="Bench unit", webhook_url=receiver.url)
    )
    subscription_create(
        actor=admin, data=RuleData(host_countries=["TR"], urgent_only=True), focal_point=point
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--no-reload", "--verbosity", "0"],
        cwd=HERE.parent,
    )
    totals, saves = [], []
    try:
        time.sleep(3)  # the worker's start-up (Django, a random delay of up to 1 s)
        for i in range(samples):
            data = IncidentData(
                title=f"Bench urgent incident {i}",
                start_date=dt.date(2025, 5, 20),
                host_countries=["TR"],
                origin_states=["CN"],
                tactics=["extradition_request"],
            )
            started = time.monotonic()
            incident = incident_create(actor=worker_user, data=data)  # matching runs on commit
            saved = time.monotonic()
            arrived = receiver.wait_for_text(str(incident.uuid), timeout=30)
            assert arrived is not None, "the urgent alert did not arrive within 30 s"
            totals.append((arrived - started) * 1000)
            saves.append((saved - started) * 1000)
            time.sleep(random.uniform(0.1, 1.1))  # at a random phase of the worker's poll
    finally:
        worker.terminate()
        worker.wait(30)
    return totals, saves


def matching_cost(org: Any, rules: int, samples: int) -> list[float]:
    """ms of `alerts_match` for one saved incident, with `rules` subscriptions in the
    organisation (a tenth of them matching it): what the save request pays after commit."""
    from beyondreach.alerts.matching import alerts_match, on_incident_saved
    from beyondreach.alerts.services import RuleData, subscription_create, user_email_set
    from beyondreach.cases.inputs import IncidentData
    from beyondreach.cases.services import incident_create
    from beyondreach.cases.signals import incident_saved
    from beyondreach.core.models import User

    member = User.objects.get(username="bench_admin")
    user_email_set(actor=member, email="bench@ngo.example")
    hosts = ["DE", "FR", "GB", "US", "NL", "SE", "KZ", "KG", "AE"]
    for i in range(rules):
        host = "TR" if i % 10 == 0 else hosts[i % len(hosts)]
        subscription_create(actor=member, data=RuleData(host_countries=[host]))
    incident_saved.disconnect(dispatch_uid="alerts.match")  # time the matcher on its own
    try:
        ids = [
            incident_create(
                actor=member,
                data=IncidentData(
                    title=f"Bench digest incident {i}",
                    start_date=dt.date(2025, 5, 20),
                    host_countries=["TR"],
                    origin_states=["CN"],
                    tactics=["doxxing"],
                ),
            ).pk
            for i in range(samples)
        ]
    finally:
        incident_saved.connect(on_incident_saved, dispatch_uid="alerts.match")
    times = []
    for incident_id in ids:
        started = time.perf_counter()
        result = alerts_match(incident_id=incident_id)
        times.append((time.perf_counter() - started) * 1000)
        assert len(result.digest) == (rules + 9) // 10
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=20, help="urgent alerts timed")
    parser.add_argument("--rules", type=int, default=200, help="alert rules when timing matching")
    args = parser.parse_args()
    configure(args.db)
    from django.conf import settings

    from beyondreach.core.services import organisation_create, user_create
    from beyondreach.outbox.channels import Email, Webhook

    receiver, sink = Receiver(), MailSink()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    org = organisation_create(name="Bench Exiles")
    user_create(organisation=org, username="bench_admin", password=PASSWORD, role="admin")
    n = args.messages
    payload = {"event": "incident.urgent", "incident": {"host_countries": ["TR"], "tactics": ["x"]}}
    hook = Webhook(url=receiver.url, secret=SECRET, event="incident.urgent", payload=payload)
    mail = Email(to=("unit@bench.example",), subject="[Beyond Reach] Urgent", body="Coded.\n" * 8)

    raw_post_rate = raw_posts(receiver.url, n)
    hook_rate = outbox_rate(n, hook, org, "hook")
    raw_mail_rate = raw_mails(sink.port, n)
    mail_rate = outbox_rate(n, mail, org, "mail")
    totals, saves = latency(receiver, args.samples)
    matching = matching_cost(org, args.rules, args.samples)

    cpus = os.cpu_count()
    print(f"bench_alerts: {args.db}, {n} messages, {args.samples} urgent alerts, {cpus} CPUs")
    print(
        f"  webhooks: raw POSTs {raw_post_rate:8.0f}/s   outbox {hook_rate:8.0f}/s   "
        f"ratio {hook_rate / raw_post_rate:.2f}"
    )
    print(
        f"  e-mail:   raw SMTP  {raw_mail_rate:8.0f}/s   outbox {mail_rate:8.0f}/s   "
        f"ratio {mail_rate / raw_mail_rate:.2f}"
    )
    print(
        f"  urgent alert, save to webhook arrival: p50 {percentile(totals, 0.5):.0f} ms, "
        f"p95 {percentile(totals, 0.95):.0f} ms, max {max(totals):.0f} ms"
    )
    print(
        f"  of which the save with matching and queuing: p50 {percentile(saves, 0.5):.1f} ms, "
        f"p95 {percentile(saves, 0.95):.1f} ms"
    )
    print(
        f"  matching one saved incident against {args.rules} rules "
        f"({(args.rules + 9) // 10} matching): p50 {percentile(matching, 0.5):.1f} ms, "
        f"p95 {percentile(matching, 0.95):.1f} ms"
    )
    sink.controller.stop()
    receiver.server.shutdown()


if __name__ == "__main__":
    main()
