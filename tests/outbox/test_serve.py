"""`beyondreach serve` as an operator runs it: a real process with its background worker, on a
real database. It queues the delivery, digest and reminder jobs at start, and its worker
delivers an urgent alert, signed, within a minute of the save."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from .deployment import ROOT, deployment_env, run_python, run_script
from .receivers import free_port, start_receiver


def test_serve_starts_a_worker_that_delivers_alerts_and_runs_the_daily_jobs(
    database_url: str, tmp_path: Path
) -> None:
    env = {**deployment_env(database_url, tmp_path), "PYTHONUNBUFFERED": "1"}
    run_python(env, "-m", "django", "migrate", "--verbosity", "0")
    receiver, server = start_receiver()
    serve = None
    worker_pid = 0
    try:
        secret = run_script(env, "alerting", receiver.url)["secret"]  # type: ignore[index]
        serve = subprocess.Popen(
            [sys.executable, "-m", "beyondreach.cli", "serve", "--port", str(free_port())],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert serve.stdout is not None
        found = _wait_for_line(serve.stdout, r"background worker pid (\d+)")
        worker_pid = int(found.group(1))
        assert set(run_script(env, "jobs")) >= {  # type: ignore[arg-type]
            "beyondreach.outbox.tasks.deliver_outbox",
            "beyondreach.alerts.tasks.send_digests",
            "beyondreach.alerts.tasks.send_reminders",
            "beyondreach.reports.tasks.destroy_expired_reports",
        }

        saved_at = time.monotonic()
        incident = run_script(env, "incident")
        (got,) = receiver.wait_for(1, timeout=60)
        assert time.monotonic() - saved_at < 60
        assert got.signed_by(secret)
        assert got.json()["incident"]["id"] == incident["id"]  # type: ignore[index]
        assert got.json()["incident"]["urgency_reasons"] == ["tactic:extradition_request"]
    finally:
        if serve is not None:
            serve.send_signal(signal.SIGTERM)  # a service manager's stop: the worker ends too
            serve.wait(30)
        if worker_pid:
            _gone(worker_pid)
        server.shutdown()
        server.server_close()


def _wait_for_line(stream: IO[str], pattern: str, timeout: float = 60) -> re.Match[str]:
    """The first line matching `pattern` (warnings come first), within `timeout`."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    said, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        said.append(line)
        if found := re.search(pattern, line):
            return found
    raise AssertionError(f"serve did not start: {said}")


def _gone(pid: int) -> None:
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError("serve left its worker running")
