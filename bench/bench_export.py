#!/usr/bin/env python
"""Export throughput and memory, beside DuckDB writing the same rows to CSV.

    .venv/bin/python bench/bench_export.py --db sqlite --incidents 10000 100000

For each scale it loads the demo's incidents (bulk loader, topped up from one scale to the
next in bench/out/bench_export.sqlite3), then, each in a fresh process so that its memory
peak is its own, exports every incident of the demo organisation as its case worker (owner
audience: every field, names decrypted) in `fh`, `csv`, `xlsx` and, when its module is there,
`ftm`, into a counting sink. It prints incidents per second, bytes, and the peak resident
memory above the process's resting size (VmHWM, reset before the export, so nothing slows
the run down as tracemalloc would). Beside them:

- `snapshots`: the same read with nothing written, the part of every format's time spent in
  the database, decryption and `incident_snapshot`;
- `duckdb`: DuckDB 's `COPY ... TO` of the `csv` file's own rows (loaded into DuckDB first,
  untimed): how fast the same rows can be written to CSV at all.

Figures: bench/README.md, "Exports".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "bench_export"


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> int:
    """Reset the process's peak resident size (Linux: "5" to clear_refs) to what it holds
    now, and return that: Django's start and `migrate` peak higher than an export's rest."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_kib("VmRSS")


def _setup(db: str) -> None:
    sys.path.insert(0, str(HERE))
    from bench_core import configure

    configure(db, HERE.parent / "src", NAME)


def _case_worker() -> object:
    from bench_setup import CASE_WORKER

    from beyondreach.core.models import User

    return User.objects.select_related("organisation").get(username=CASE_WORKER)


def one(fmt: str) -> dict[str, float]:
    """One export in this process: seconds, bytes, incidents and memory peak."""
    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.interchange import exports

    user = _case_worker()
    exports.export_formats()  # formats imported before the resting size is taken
    rest = _reset_peak()
    started = time.perf_counter()
    size = 0
    if fmt == "snapshots":
        qs = exports._export_queryset(user, IncidentFilters())  # type: ignore[arg-type]
        count = sum(1 for _ in exports._snapshots(qs, identities=True))
    else:
        found = exports.export_incidents(
            viewer=user,  # type: ignore[arg-type]
            filters=IncidentFilters(),
            format=fmt,
            audience="owner",
        )
        for chunk in found.chunks:
            size += len(chunk)
        count = found.count
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM")
    return {"seconds": seconds, "bytes": size, "incidents": count, "peak_mib": (peak - rest) / 1024}


def duckdb_baseline() -> dict[str, float]:
    """The csv export's rows (pseudonymised, as an analyst would have them), loaded into
    DuckDB untimed, then written back to CSV by DuckDB, timed."""
    import duckdb

    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.interchange import exports

    user = _case_worker()
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.csv", Path(folder) / "out.csv"
        found = exports.export_incidents(
            viewer=user,  # type: ignore[arg-type]
            filters=IncidentFilters(),
            format="csv",
            audience="pseudonymised",
        )
        with source.open("wb") as out:
            for chunk in found.chunks:
                out.write(chunk)
        con = duckdb.connect()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{source}', all_varchar = true)")
        rows = con.execute("SELECT count(*) FROM t").fetchone()
        started = time.perf_counter()
        con.execute(f"COPY t TO '{target}' (HEADER, DELIMITER ',')")
        seconds = time.perf_counter() - started
        return {
            "seconds": seconds,
            "bytes": target.stat().st_size,
            "incidents": rows[0] if rows else 0,
            "peak_mib": 0.0,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--incidents", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", help="these only (default: all, and duckdb)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child run: one format
    args = parser.parse_args()
    _setup(args.db)
    if args.one:
        result = duckdb_baseline() if args.one == "duckdb" else one(args.one)
        print(json.dumps(result))
        return
    from bench_setup import ensure_loaded, settle

    from beyondreach.interchange.formats import export_formats

    formats = ["snapshots", "fh", "csv", "xlsx", *(["ftm"] if "ftm" in export_formats() else [])]
    print(f"machine: {os.cpu_count()} cores, shared with other work; database: {args.db}")
    for n in args.incidents:
        ensure_loaded(n, seed=23)
        settle()
        print(f"\n{n:,} incidents in the database (the demo organisation's are exported)")
        heads = ("format", "incidents", "seconds", "per s", "MB", "peak MiB")
        print(
            f"{heads[0]:<10} {heads[1]:>10} {heads[2]:>8} {heads[3]:>8} {heads[4]:>8} {heads[5]:>9}"
        )
        for fmt in args.formats or [*formats, "duckdb"]:
            child = subprocess.run(
                [sys.executable, __file__, "--db", args.db, "--one", fmt],
                check=True,
                capture_output=True,
                text=True,
            )
            r = json.loads(child.stdout.strip().splitlines()[-1])
            rate = r["incidents"] / r["seconds"]
            peak = f"{r['peak_mib']:9.1f}" if fmt != "duckdb" else f"{'-':>9}"
            print(
                f"{fmt:<10} {r['incidents']:>10,} {r['seconds']:>8.1f} {rate:>8,.0f} "
                f"{r['bytes'] / 1e6:>8.1f} {peak}",
                flush=True,
            )


if __name__ == "__main__":
    main()
