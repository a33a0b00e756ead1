"""The worker is killed (SIGKILL) in the middle of a delivery run, while a receiver holds a
message it has received but not yet acknowledged. A new worker finishes the run: every
message arrives, the unacknowledged one twice, and after the receiver drops duplicates by
their idempotency key each arrives exactly once.

The worker is a real `python -m django db_worker` process on a real database file (SQLite)
or server (PostgreSQL), the one the suite runs on, migrated by `python -m django migrate`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from .deployment import ROOT, deployment_env, run_python, run_script
from .in_deployment import SECRET
from .receivers import Received, start_receiver

COUNT, HELD = 20, 5  # the receiver holds the 5th message until the worker is dead


WORKER = ["-m", "django", "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1"]


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *WORKER],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_killing_the_worker_mid_delivery_loses_nothing_and_duplicates_are_dropped_by_key(
    database_url: str, tmp_path: Path
) -> None:
    env = deployment_env(database_url, tmp_path)
    run_python(env, "-m", "django", "migrate", "--verbosity", "0")

    receiver, server = start_receiver()
    holding, release = threading.Event(), threading.Event()

    def hold(got: Received) -> None:
        if len(receiver.requests) == HELD:
            holding.set()
            release.wait(30)

    receiver.hold = hold
    log = tmp_path / "worker.log"
    try:
        keys = run_script(env, "seed", receiver.url, str(COUNT))
        assert isinstance(keys, list) and len(keys) == COUNT

        first = _worker(env, log)
        assert holding.wait(60), log.read_text()[-3000:]
        os.kill(first.pid, signal.SIGKILL)  # mid-send: the 5th message is not acknowledged
        first.wait(10)
        release.set()
        held_key = receiver.requests[HELD - 1].key
        assert len(receiver.requests) == HELD  # nothing more was sent by the dead worker

        second = _worker(env, log)
        try:
            for _ in range(600):
                if receiver.keys() >= set(keys):
                    break
                receiver.wait_for(len(receiver.requests) + 1, timeout=0.1)
        finally:
            second.terminate()
            second.wait(30)
        assert run_script(env, "status") == {"sent": COUNT}, log.read_text()[-3000:]
    finally:
        release.set()
        server.shutdown()
        server.server_close()

    arrivals = Counter(r.key for r in receiver.requests)
    assert set(arrivals) == set(keys)  # every message arrived
    # The unacknowledged one was sent again; the others of its batch, claimed but not yet
    # sent when the worker died, only once.
    assert {k: n for k, n in arrivals.items() if n > 1} == {held_key: 2}
    deduplicated = {r.key: r for r in receiver.requests}  # ...and the key drops the copy
    assert len(deduplicated) == COUNT
    assert all(r.signed_by(SECRET) for r in receiver.requests)
    assert sorted(r.json()["n"] for r in deduplicated.values()) == list(range(COUNT))
