#!/usr/bin/env python
"""The incident list under concurrent clients, through the real HTTP server.

    .venv/bin/python bench/bench_http.py --db sqlite --name bench_10k
    .venv/bin/python bench/bench_http.py --db postgres --name bench --clients 1,4,16

It starts `beyondreach serve` (waitress and the background worker, as deployed) on a free
port of 127.0.0.1 against a bench database (bench_setup.py loads them), and drives it with
1, 4 and 16 concurrent clients over loopback, each a case worker with its own session and
its own keep-alive connection, as a browser has. Each phase is bounded by a request count
and by time. Phases, at each number of clients:

- **list page**: `GET /incidents/?origin=..&tactic=..` (the filters of bench_core.py),
- **list page, nothing matches**: the fixed cost of a staff request (session, two-factor
  check, form, template, audit write) with a query that finds nothing,
- **static file**: one CSS file through the same server (waitress, WSGI, WhiteNoise): the
  fixed cost of a request that reaches no view,
- **raw SQL**: the page's queries (bench_core.RAW_LIST), one driver connection per client,
  in this process, at the same concurrency: what the database alone takes.

It prints pages per second, p50 and p95 in milliseconds, the page's ratio to the raw SQL and
the static file at p50 and p95, and the server process's CPU per request (its own, not the
database's or the worker's). Figures and how to read them: bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench_core import (
    FILTERS,
    NO_MATCH,
    OUT,
    RAW_LIST,
    RAW_LIST_CHILDREN,
    configure,
    percentile,
    pg_database,
)

HERE = Path(__file__).resolve().parent
GOAL_CLIENTS, GOAL_P95_MS = 16, 250.0


@dataclass
class Phase:
    """One measured phase: latencies in ms, wall time, the server's CPU, load averages."""

    name: str
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    server_cpu_ms: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) if self.latencies else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--name", default="bench", help="the bench database (bench_setup.py)")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--requests", type=int, default=40, help="per client and phase")
    parser.add_argument("--min-requests", type=int, default=150, help="per phase at least")
    parser.add_argument("--seconds", type=float, default=40.0, help="at most, per phase")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the server only, e.g. BEYONDREACH_PG_POOL=0",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="what-if: run this many `serve` processes, client k talking to server k mod N",
    )
    parser.add_argument("--json", type=Path, help="append the results to this JSON-lines file")
    parser.add_argument("--src", type=Path, default=HERE.parent / "src")
    parser.add_argument(
        "--markdown", type=Path, help="print the runs of this JSON-lines file as tables, and stop"
    )
    args = parser.parse_args()
    if args.markdown:
        markdown(args.markdown)
        return
    configure(args.db, args.src, args.name)
    from bench_setup import ensure_loaded

    ensure_loaded(0, args.seed)  # the personas only: load with bench_setup.py first
    counts = [int(c) for c in args.clients.split(",")]
    cookies, org_id, incidents, mine = _sessions(max(counts))
    env = dict(os.environ, **dict(item.split("=", 1) for item in args.server_env))
    # The server runs the tree measured too (PYTHONPATH comes before the editable install).
    env["PYTHONPATH"] = str(args.src.resolve())
    with contextlib.ExitStack() as stack:
        servers = Servers([stack.enter_context(Server(env)) for _ in range(args.servers)])
        phases = run(args, servers, counts, cookies, org_id)
    report(args, phases, incidents, mine)


def _sessions(n: int) -> tuple[list[str], int, int, int]:
    """n sessions of the bench's case worker, logged in and past two-factor authentication."""
    from bench_setup import CASE_WORKER, _verified_client
    from django.conf import settings
    from django.test import Client

    from beyondreach.cases.models import Incident
    from beyondreach.core.models import User

    user = User.objects.select_related("organisation").get(username=CASE_WORKER)
    cookies = [
        _verified_client(user, Client).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(n)
    ]
    org_id = int(user.organisation_id or 0)
    mine = Incident.objects.filter(organisation_id=org_id).count()
    return cookies, org_id, Incident.objects.count(), mine


class Server:
    """`beyondreach serve` on a free loopback port, stopped (with its worker) on exit."""

    def __init__(self, env: dict[str, str]) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.log = (OUT / "serve.log").open("ab")
        beyondreach = Path(sys.executable).with_name("beyondreach")
        self.process = subprocess.Popen(
            [str(beyondreach), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"serve stopped at start: see {OUT / 'serve.log'}")
            try:
                status, _ = self.get("/login/", {})
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("serve did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()  # serve stops its worker on SIGTERM
        self.process.wait(timeout=60)
        self.log.close()

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        conn = self.connection()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the web server process so far."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Servers:
    """One or more servers: client k talks to server k mod N; CPU is their sum."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers

    def connection(self, k: int) -> http.client.HTTPConnection:
        return self.servers[k % len(self.servers)].connection()

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        return self.servers[0].get(path, headers)

    def cpu_seconds(self) -> float:
        return sum(server.cpu_seconds() for server in self.servers)


Request = Callable[[Any, random.Random], bool]  # one request on a client's connection: ok?


def run(
    args: argparse.Namespace, server: Servers, counts: list[int], cookies: list[str], org_id: int
) -> list[Phase]:
    static = _static_path(server)
    phases = []
    for clients in counts:
        total = min(max(args.requests * clients, args.min_requests), 100_000)
        # Raw SQL first and between the pages, so that both see the machine in the same state.
        for name, request, connect in (
            ("raw SQL", _raw_request(args.db, org_id), _raw_connect(args.db, args.name)),
            ("list page", _page(cookies, FILTERS), server.connection),
            ("list page, nothing matches", _page(cookies, [NO_MATCH]), server.connection),
            ("static file", _static(static), server.connection),
        ):
            phase = Phase(name, clients)
            measure(phase, request, connect, total, args.seconds, args.seed, server)
            phases.append(phase)
            print(
                f"  {clients:2} clients  {name:28} {phase.rate:7.1f}/s  p50 {phase.p(0.5):7.1f}"
                f"  p95 {phase.p(0.95):7.1f} ms  ({len(phase.latencies)} requests,"
                f" {phase.errors} errors, load {phase.load[0]:.1f})",
                file=sys.stderr,
                flush=True,
            )
    return phases


def measure(
    phase: Phase,
    request: Request,
    connect: Callable[[int], Any],
    total: int,
    seconds: float,
    seed: int,
    server: Servers,
) -> None:
    """`phase.clients` threads, each with its own connection and warmed up by one request,
    share `total` requests; the phase stops early after `seconds`."""
    lock, start = threading.Lock(), threading.Barrier(phase.clients + 1)
    left = [total]
    deadline = [float("inf")]

    def client(k: int) -> None:
        rng, conn = random.Random(seed * 100 + k), connect(k)
        request((conn, k), rng)  # warm-up: the connection, the session's first load
        start.wait()
        while True:
            with lock:
                if left[0] <= 0 or time.perf_counter() > deadline[0]:
                    break
                left[0] -= 1
            began = time.perf_counter()
            try:
                ok = request((conn, k), rng)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = connect(k)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if ok:
                    phase.latencies.append(elapsed)
                else:
                    phase.errors += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(phase.clients)]
    for thread in threads:
        thread.start()
    load_before, cpu = os.getloadavg()[0], server.cpu_seconds()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - began
    phase.server_cpu_ms = (server.cpu_seconds() - cpu) * 1000
    phase.load = (load_before, os.getloadavg()[0])


def _page(cookies: list[str], filters: list[tuple[str, str]]) -> Request:
    def request(client: tuple[http.client.HTTPConnection, int], rng: random.Random) -> bool:
        conn, k = client
        origin, tactic = filters[rng.randrange(len(filters))]
        conn.request(
            "GET",
            f"/incidents/?origin={origin}&tactic={tactic}",
            headers={"Cookie": f"sessionid={cookies[k]}"},
        )
        response = conn.getresponse()
        body = response.read()
        return response.status == 200 and body.rstrip().endswith(b"</html>")

    return request


def _static_path(server: Servers) -> str:
    """The hashed name of the site's stylesheet, as the pages link it."""
    manifest = json.loads((OUT / "static" / "staticfiles.json").read_text())
    name = manifest["paths"]["beyondreach/site.css"]
    status, _ = server.get(f"/static/{name}", {})
    assert status == 200, status
    return f"/static/{name}"


def _static(path: str) -> Request:
    def request(client: tuple[http.client.HTTPConnection, int], rng: random.Random) -> bool:
        conn, _ = client
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status == 200

    return request


def _raw_connect(db: str, name: str) -> Callable[[int], Any]:
    """A plain driver connection per client: no Django, no pool."""

    def connect(k: int) -> Any:
        if db == "sqlite":
            return sqlite3.connect(OUT / f"{name}.sqlite3", check_same_thread=False)
        import psycopg

        return psycopg.connect(
            f"postgresql://postgres@127.0.0.1:5432/{pg_database(name)}",
            autocommit=True,
            options="-c parallel_setup_cost=10000",  # as settings.py sets for the app
        )

    return connect


def _raw_request(db: str, org_id: int) -> Request:
    mark = "?" if db == "sqlite" else "%s"
    top, children = RAW_LIST.replace("%s", mark), [s.replace("%s", mark) for s in RAW_LIST_CHILDREN]

    def request(client: tuple[Any, int], rng: random.Random) -> bool:
        conn, _ = client
        origin, tactic = FILTERS[rng.randrange(len(FILTERS))]
        cur = conn.cursor()
        cur.execute(top, [org_id, origin, org_id, tactic])
        ids = [row[0] for row in cur.fetchall()]
        if ids:
            marks = ",".join([mark] * len(ids))
            for sql in children:
                cur.execute(sql.format(marks=marks), ids)
                cur.fetchall()
        cur.close()
        return True

    return request


def report(args: argparse.Namespace, phases: list[Phase], incidents: int, mine: int) -> None:
    print(
        f"\n{args.db} ({args.name}): {incidents:,} incidents, {mine:,} in the benchmarked "
        f"organisation; server env {args.server_env or 'as deployed'}; {args.servers} server "
        f"process(es); {os.cpu_count()} CPUs"
    )
    print(
        f"{'clients':>7} {'path':28} {'pages/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'x raw p50':>9} {'x raw p95':>9} {'x static p50':>12} {'x static p95':>12} "
        f"{'cpu ms/req':>10} {'load':>9}"
    )
    by = {(p.clients, p.name): p for p in phases}
    for phase in phases:
        raw, static = by[phase.clients, "raw SQL"], by[phase.clients, "static file"]
        ratios = (
            f"{phase.p(0.5) / raw.p(0.5):8.1f}x {phase.p(0.95) / raw.p(0.95):8.1f}x "
            f"{phase.p(0.5) / static.p(0.5):11.1f}x {phase.p(0.95) / static.p(0.95):11.1f}x"
            if phase.name.startswith("list")
            else " " * 43
        )
        cpu = phase.server_cpu_ms / max(len(phase.latencies), 1)
        print(
            f"{phase.clients:7} {phase.name:28} {phase.rate:8.1f} {phase.p(0.5):7.1f} "
            f"{phase.p(0.95):7.1f} {ratios} "
            f"{cpu if phase.name != 'raw SQL' else float('nan'):10.1f} "
            f"{phase.load[0]:4.1f}-{phase.load[1]:<4.1f}"
            + (f"  {phase.errors} errors" if phase.errors else "")
        )
    goal = by.get((GOAL_CLIENTS, "list page"))
    if goal:
        verdict = "met" if goal.p(0.95) < GOAL_P95_MS else "NOT met"
        print(
            f"\ngoal: {GOAL_CLIENTS} clients, list page p95 under {GOAL_P95_MS:.0f} ms: "
            f"{goal.p(0.95):.1f} ms, {verdict} (at {incidents:,} incidents)"
        )
    if args.json:
        run_at = time.strftime("%Y-%m-%d %H:%M")
        with args.json.open("a") as out:
            for phase in phases:
                record = {
                    "db": args.db,
                    "name": args.name,
                    "incidents": incidents,
                    "server_env": args.server_env
                    + ([f"servers={args.servers}"] if args.servers > 1 else []),
                    "clients": phase.clients,
                    "path": phase.name,
                    "requests": len(phase.latencies),
                    "errors": phase.errors,
                    "rate": round(phase.rate, 2),
                    "p50": round(phase.p(0.5), 2),
                    "p95": round(phase.p(0.95), 2),
                    "server_cpu_ms_per_request": round(
                        phase.server_cpu_ms / max(len(phase.latencies), 1), 2
                    ),
                    "load": phase.load,
                    "run": run_at,
                }
                out.write(json.dumps(record) + "\n")


def markdown(path: Path) -> None:
    """One table per run (database, scale, server environment, time) of a --json file."""
    runs: dict[tuple[str, int, str, str], list[dict[str, Any]]] = {}
    for line in path.read_text().splitlines():
        row = json.loads(line)
        key = (row["db"], row["incidents"], " ".join(row["server_env"]), row["run"])
        runs.setdefault(key, []).append(row)
    for (db, incidents, env, at), rows in runs.items():
        print(f"\n{db}, {incidents:,} incidents{', ' + env if env else ''} ({at})\n")
        print(
            "| clients | path | pages/s | p50 | p95 | p50 x raw | p95 x raw "
            "| p50 x static | p95 x static | server CPU/request | load |"
        )
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        by = {(r["clients"], r["path"]): r for r in rows}
        for r in rows:
            raw, static = by[r["clients"], "raw SQL"], by[r["clients"], "static file"]
            ratios = (
                [
                    f"{r['p50'] / raw['p50']:.1f}x",
                    f"{r['p95'] / raw['p95']:.1f}x",
                    f"{r['p50'] / static['p50']:.0f}x",
                    f"{r['p95'] / static['p95']:.0f}x",
                ]
                if r["path"].startswith("list")
                else [""] * 4
            )
            cpu = "" if r["path"] == "raw SQL" else f"{r['server_cpu_ms_per_request']:.1f}"
            cells = [
                str(r["clients"]),
                r["path"],
                f"{r['rate']:,.1f}",
                f"{r['p50']:.1f}",
                f"{r['p95']:.1f}",
                *ratios,
                cpu,
                f"{r['load'][0]:.1f} to {r['load'][1]:.1f}",
            ]
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
