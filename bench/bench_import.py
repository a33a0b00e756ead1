#!/usr/bin/env python
"""Import throughput, beside the demo loader writing as many incidents.

    .venv/bin/python bench/bench_import.py --incidents 1000 5000

For each scale, in fresh databases (SQLite: bench/out/bench_import-*; with --db postgres:
tnr_bench_import_* on 127.0.0.1:5432, dropped first), it times:

- `import`: `beyondreach import --format fh` of a Freedom House-style sheet of that many
  incidents (one row each, countries in mixed spellings), whole command, wall clock: the same
  path as the page's worker (each incident through the services, with its history, audit
  event and import record, one transaction each);
- `demo bulk`: `beyondreach demo --mode bulk` of as many incidents, the issue's baseline (the
  same sealing and blind index, written in batches, without history per record);
- `demo services`: `beyondreach demo --mode services`, the services path the import takes.

It prints incidents per second and the ratios. The demo's incidents are richer than the
sheet's (names, narratives, sources), so the ratio flatters the import. Figures:
bench/README.md, "Imports".
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TACTICS = ("Detention", "Unlawful deportation", "Rendition", "Assassination", "Assault")


def _sheet(count: int) -> str:
    import pycountry

    # Not an origin state too: that needs the importer to confirm it (docs/data-model.md).
    countries = [c for c in pycountry.countries if c.alpha_2 not in ("CN", "RU", "IR", "RW")]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["incident_id", "year", "origin_country", "host_country", "tactic", "targets"])
    for n in range(count):
        host = countries[n % len(countries)]
        spelled = (host.alpha_3, host.alpha_2, host.name)[n % 3]
        origin = ("China", "RU", "IRN", "Rwanda")[n % 4]
        writer.writerow([f"B-{n}", 2014 + n % 11, origin, spelled, TACTICS[n % 5], 1 + n % 3])
    return out.getvalue()


DB = "sqlite"  # or "postgres": set by --db


def _env(name: str) -> dict[str, str]:
    var = HERE / "out" / f"bench_import-{name}"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "BEYONDREACH_DATABASE_URL"}
    if DB == "postgres":
        import psycopg

        database = f"tnr_bench_import_{name.replace('-', '_')}"
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
        env["BEYONDREACH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    env["BEYONDREACH_VAR_DIR"] = str(var)
    env["BEYONDREACH_NEW_PASSWORD"] = "bench passphrase for the import"  # noqa: S105 - a throwaway database
    for command in (["init"], ["migrate"]):
        _run(env, command)
    return env


def _run(env: dict[str, str], args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "beyondreach.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _demo(count: int, mode: str) -> float:
    env = _env(f"demo-{mode}")
    out = _run(env, ["demo", "--mode", mode, "--incidents", str(count), "--workers", "1"])
    found = re.search(r"in ([\d.]+) s", out)
    assert found, out
    return count / float(found.group(1))


def _import(count: int) -> float:
    env = _env("import")
    _run(env, ["create-org", "Bench"])
    _run(env, ["create-user", "--org", "Bench", "--role", "admin", "bench_admin"])
    sheet = Path(env["BEYONDREACH_VAR_DIR"]) / "sheet.csv"
    sheet.write_text(_sheet(count), encoding="utf-8")
    started = time.perf_counter()
    out = _run(env, ["import", "--org", "Bench", "--format", "fh", str(sheet)])
    seconds = time.perf_counter() - started
    assert f"{count} created" in out, out
    return count / seconds


def _import_csv(count: int) -> tuple[int, float]:
    """The demo's incidents exported as `csv` in the owner's audience (names, narratives,
    sources), imported into a new organisation: (incidents imported, incidents per second)."""
    source = _env("csv-source")
    _run(source, ["demo", "--mode", "bulk", "--incidents", str(count), "--workers", "1"])
    sheet = HERE / "out" / "bench_import-csv.csv"
    _run(
        source,
        [
            *["export", "--org", "Demo Exile Support", "--format", "csv"],
            *["--audience", "owner", "-o", str(sheet)],
        ],
    )
    env = _env("import-csv")
    _run(env, ["create-org", "Bench"])
    _run(env, ["create-user", "--org", "Bench", "--role", "admin", "bench_admin"])
    started = time.perf_counter()
    out = _run(env, ["import", "--org", "Bench", "--format", "csv", str(sheet)])
    seconds = time.perf_counter() - started
    found = re.search(r"Imported: (\d+) created", out)
    assert found, out
    return int(found.group(1)), int(found.group(1)) / seconds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--incidents", type=int, nargs="+", default=[1000, 5000])
    p.add_argument(
        "--no-services",
        action="store_true",
        help="skip `demo --mode services` (about 60/s: half an hour at 100,000)",
    )
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument(
        "--format",
        choices=["fh", "csv"],
        default="fh",
        help="fh: a Freedom House sheet; csv: the demo's incidents exported with names",
    )
    args = p.parse_args()
    global DB
    DB = args.db
    print(
        f"{'incidents':>9} {'import/s':>9} {'bulk/s':>9} {'services/s':>10} "
        f"{'bulk/import':>11} {'services/import':>15}"
    )
    for count in args.incidents:
        if args.format == "csv":
            count, imported = _import_csv(count)  # the demo organisation's share of them
        else:
            imported = _import(count)
        bulk = _demo(count, "bulk")
        services = float("nan") if args.no_services else _demo(count, "services")
        print(
            f"{count:>9} {imported:>9.0f} {bulk:>9.0f} {services:>10.0f} "
            f"{bulk / imported:>11.1f} {services / imported:>15.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
