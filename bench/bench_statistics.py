#!/usr/bin/env python
"""The statistics table through the API at scale, beside DuckDB counting the same table.

    nice -n 19 .venv/bin/python bench/bench_setup.py --db sqlite --name stats --incidents 100000
    .venv/bin/python bench/bench_statistics.py --db sqlite --name stats --incidents 100000

In one process and one run (the database as bench_core.py's, loaded by bench_setup.py):

1. copies the rows the table reads (incidents' coded columns, origin, host and tactic rows)
   out of the database into an in-memory DuckDB, untimed;
2. for each table of TABLES (origin x year and host x tactic, unfiltered and filtered),
   times `GET /api/v1/statistics?rows=..&cols=..&measure=incidents` with an analyst's bearer
   token through Django's test client (whole request stack, no HTTP server), alternated with
   DuckDB computing the same cells, row totals, column totals and total in one GROUPING SETS
   query, and checks once that both give the same figures;
3. the same through the selector alone (`statistics_table`: the ORM's queries, no request);
4. the statistics page `/statistics/?rows=..&cols=..` as a logged-in analyst (the table,
   the chart's series, the map and the flows: everything the page counts and draws);
5. with --clients N (4), N threads each with its own test client and connection sending
   API requests back to back, and N threads each with its own DuckDB cursor.

Figures and how to read them: bench/README.md, "Statistics".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_core import configure, percentile, timed_pair  # noqa: E402

GOAL_API_P95_MS, GOAL_RATIO, GOAL_PAGE_P95_MS = 300.0, 2.0, 500.0


@dataclass(frozen=True)
class Case:
    name: str
    rows: str
    cols: str
    filters: dict[str, str]

    def query(self) -> str:
        chosen = {"rows": self.rows, "cols": self.cols, **self.filters}
        return "&".join(f"{k}={v}" for k, v in chosen.items())


TABLES = [
    Case("origin x year", "origin", "year", {}),
    Case(
        "origin x year, 2018-2022",
        "origin",
        "year",
        {"date_from": "2018-01-01", "date_to": "2022-12-31"},
    ),
    Case("host x tactic", "host", "tactic", {}),
    Case("host x tactic, origin CN", "host", "tactic", {"origin": "CN"}),
]

# The dimensions as DuckDB reads them: the same definitions as statistics/dimensions.py.
DUCK_DIMENSIONS = {
    "origin": ("o.country", "LEFT JOIN origin o ON o.incident_id = i.id"),
    "host": (
        "coalesce(h.country, nullif(i.host_reason, ''))",
        "LEFT JOIN host h ON h.incident_id = i.id",
    ),
    "tactic": ("t.tactic", "LEFT JOIN tactic t ON t.incident_id = i.id"),
    "year": ("CAST(year(i.start_date) AS VARCHAR)", ""),
}


def duck_sql(case: Case, org_id: int) -> tuple[str, list[Any]]:
    """The table in one query: cells, row totals, column totals and total as grouping sets,
    each a count of distinct incidents (an incident with two tactics is once in a total).
    The incidents counted are the list's (cases/selectors.py): the organisation's, out of
    scope left out, and the filters with the same definitions."""
    where = ["organisation_id = ?", "scope <> 'out_of_scope'"]
    params: list[Any] = [org_id]
    chosen = case.filters
    if "origin" in chosen:
        where.append("EXISTS (SELECT 1 FROM origin x WHERE x.incident_id = id AND x.country = ?)")
        params.append(chosen["origin"])
    if "date_to" in chosen:
        where.append("start_date <= CAST(? AS DATE)")
        params.append(chosen["date_to"])
    if "date_from" in chosen:  # the incident lasts until then (_lasts_until)
        where.append(
            "(end_date >= CAST(? AS DATE) OR (end_date IS NULL AND ongoing)"
            " OR (end_date IS NULL AND start_date >= CAST(? AS DATE)))"
        )
        params += [chosen["date_from"]] * 2
    (r, r_join), (c, c_join) = DUCK_DIMENSIONS[case.rows], DUCK_DIMENSIONS[case.cols]
    sql = f"""
        WITH counted AS (SELECT * FROM incident WHERE {" AND ".join(where)})
        SELECT {r} AS r, {c} AS c, grouping(r, c) AS g, count(DISTINCT i.id) AS n
        FROM counted i {r_join} {c_join}
        GROUP BY GROUPING SETS ((r, c), (r), (c), ())
    """
    return sql, params


def figures_from_duck(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """DuckDB's grouping sets as the API's figures (g: 0 cell, 1 row total, 2 column total)."""
    found: dict[str, Any] = {"cells": {}, "row_totals": {}, "col_totals": {}, "total": 0}
    for r, c, g, n in rows:
        if g == 0:
            found["cells"][(r, c)] = n
        elif g == 1:
            found["row_totals"][r] = n
        elif g == 2:
            found["col_totals"][c] = n
        else:
            found["total"] = n
    return found


def figures_from_api(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "cells": {(c["row"], c["col"]): c["value"] for c in body["cells"]},
        "row_totals": {t["row"]: t["value"] for t in body["row_totals"]},
        "col_totals": {t["col"]: t["value"] for t in body["col_totals"]},
        "total": body["total"],
    }


# What DuckDB gets: the columns the table reads, every organisation's rows.
COPIED = {
    "incident": (
        "SELECT id, organisation_id, start_date, end_date, ongoing, scope, host_reason"
        " FROM cases_incident",
        "id BIGINT, organisation_id BIGINT, start_date DATE, end_date DATE, ongoing BOOLEAN,"
        " scope VARCHAR, host_reason VARCHAR",
    ),
    "origin": (
        "SELECT incident_id, country FROM cases_incidentorigin",
        "incident_id BIGINT, country VARCHAR",
    ),
    "host": (
        "SELECT incident_id, country FROM cases_incidenthost",
        "incident_id BIGINT, country VARCHAR",
    ),
    "tactic": (
        "SELECT incident_id, tactic FROM cases_incidenttactic",
        "incident_id BIGINT, tactic VARCHAR",
    ),
}


def duck_load() -> tuple[Any, float]:
    """An in-memory DuckDB holding the same rows, through CSV files (untimed by the
    benchmark; the seconds are returned to print)."""
    import duckdb
    from django.db import connection

    started = time.perf_counter()
    duck = duckdb.connect()
    with tempfile.TemporaryDirectory() as folder, connection.cursor() as cursor:
        for table, (select, columns) in COPIED.items():
            path = Path(folder) / f"{table}.csv"
            cursor.execute(select)
            with path.open("w", newline="") as out:
                writer = csv.writer(out)
                while batch := cursor.fetchmany(20_000):
                    writer.writerows(_csv_row(row) for row in batch)
            typed = ", ".join(
                f"'{n}': '{t}'" for n, t in (c.strip().split(" ") for c in columns.split(","))
            )
            duck.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = false,"
                f" columns = {{{typed}}}, nullstr = '\\N')"
            )
    return duck, time.perf_counter() - started


def _csv_row(row: tuple[Any, ...]) -> list[Any]:
    return ["\\N" if v is None else (int(v) if isinstance(v, bool) else v) for v in row]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--name", default="stats", help="bench/out/NAME.sqlite3 or tnr_NAME")
    parser.add_argument("--requests", type=int, default=100, help="samples per table")
    parser.add_argument("--page-requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4, help="0: no concurrent phase")
    parser.add_argument("--seconds", type=float, default=30, help="per concurrent phase")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--src", type=Path, default=HERE.parent / "src")
    parser.add_argument("--json", type=Path, help="append one line per measured path")
    parser.add_argument(
        "--grouping-sets",
        action="store_true",
        help="only the table's figures by one GROUPING SETS query (SQLite: its stand-in) "
        "against a query per figure, alternated (what the engine's GROUPING SETS bought); as "
        "--compare grouping-sets",
    )
    parser.add_argument(
        "--compare",
        choices=["grouping-sets", "year", "page"],
        help="one change, both ways alternated on the same rows: grouping-sets (above); year: "
        "origin x year's figures with the year read by the database against Django's "
        "ExtractYear; page: the page's figures (table, chart, map, flows) with each distinct "
        "table counted once against each counted apart",
    )
    args = parser.parse_args()
    configure(args.db, args.src, args.name)
    from bench_setup import ensure_loaded, settle

    ensure_loaded(args.incidents, args.seed)
    settle()
    compare = "grouping-sets" if args.grouping_sets else args.compare
    if compare == "grouping-sets":
        grouping_sets(args)
    elif compare == "year":
        year_compared(args)
    elif compare == "page":
        page_compared(args)
    else:
        run(args)


def _print_pair(name: str, after: str, before: str, samples: Any) -> None:
    one, each, _ = samples
    print(
        f"{name:26} {after} {percentile(one, 0.5):7.1f} {percentile(one, 0.95):7.1f}"
        f" | {before} {percentile(each, 0.5):7.1f} {percentile(each, 0.95):7.1f}"
        f" | bought {percentile(each, 0.5) / percentile(one, 0.5):4.1f}x at p50"
        f" | load {_load()}",
        flush=True,
    )


def year_compared(args: argparse.Namespace) -> None:
    """origin x year's figures (the engine's counting, no request) with the year read by
    the database (dimensions.StartYear) against Django's ExtractYear (on SQLite a Python
    function called per row), alternated."""
    from dataclasses import replace

    from bench_setup import ANALYST
    from django.db.models import IntegerField
    from django.db.models.functions import ExtractYear

    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.core.models import User
    from beyondreach.statistics import selectors as s
    from beyondreach.statistics.dimensions import DIMENSIONS

    analyst = User.objects.select_related("organisation").get(username=ANALYST)
    year = DIMENSIONS["year"]
    django_year = replace(
        year, expression=lambda: ExtractYear("start_date", output_field=IntegerField())
    )
    print(f"load average {_load()}; p50 / p95 ms over {args.requests} of each, alternated")
    for case in TABLES:
        if case.cols != "year":
            continue
        filters = s.counted_filters(IncidentFilters(**_typed(case.filters)))
        qs = s.counted_incidents(analyst, filters)
        rows = DIMENSIONS[case.rows]

        def counted(qs: Any = qs, rows: Any = rows, cols: Any = year) -> object:
            return s._counted(qs, rows, cols, "incidents")

        def extract(qs: Any = qs, rows: Any = rows, cols: Any = django_year) -> object:
            return s._counted(qs, rows, cols, "incidents")

        if counted() != extract():
            raise SystemExit(f"{case.name}: the two years disagree")
        samples = timed_pair(counted, extract, args.requests)
        _print_pair(case.name, "read by the database", "ExtractYear", samples)


def page_compared(args: argparse.Namespace) -> None:
    """The page's figures with the form's defaults (chart: lines per origin, per year; map
    by origin): each distinct table counted once (PageTables, the flows' total the table's)
    against the table, the chart's, the map's and the flows' total each counted apart (the
    page before), alternated. The counting only: no request, no rendering."""
    from bench_setup import ANALYST

    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.core.models import User
    from beyondreach.statistics.flows import statistics_flows
    from beyondreach.statistics.selectors import PageTables, statistics_table

    analyst = User.objects.select_related("organisation").get(username=ANALYST)
    print(f"load average {_load()}; p50 / p95 ms over {args.page_requests} of each, alternated")
    for case in TABLES:
        filters = IncidentFilters(**_typed(case.filters))

        def once(case: Case = case, filters: IncidentFilters = filters) -> object:
            tables = PageTables(analyst, filters)
            table = tables.table(case.rows, case.cols)
            shown = (tables.table("origin", "year"), tables.table("origin"))
            return table, shown, statistics_flows(analyst, filters, total=table.total)

        def apart(case: Case = case, filters: IncidentFilters = filters) -> object:
            table = statistics_table(analyst, filters, rows=case.rows, cols=case.cols)
            shown = (
                statistics_table(analyst, filters, rows="origin", cols="year"),
                statistics_table(analyst, filters, rows="origin"),
            )
            return table, shown, statistics_flows(analyst, filters)

        if once() != apart():
            raise SystemExit(f"{case.name}: the page's figures differ")
        samples = timed_pair(once, apart, args.page_requests)
        _print_pair(case.name, "counted once", "apart", samples)


def grouping_sets(args: argparse.Namespace) -> None:
    """The counting queries alone, both ways, alternated on the same rows."""
    from bench_setup import ANALYST

    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.core.models import User
    from beyondreach.statistics import selectors as s
    from beyondreach.statistics.dimensions import DIMENSIONS

    analyst = User.objects.select_related("organisation").get(username=ANALYST)
    print(f"load average {_load()}; p50 / p95 ms over {args.requests} of each, alternated")
    for case in TABLES:
        filters = s.counted_filters(IncidentFilters(**_typed(case.filters)))
        qs = s.counted_incidents(analyst, filters)
        rows, cols = DIMENSIONS[case.rows], DIMENSIONS[case.cols]

        def at_once(qs: Any = qs, rows: Any = rows, cols: Any = cols) -> object:
            return s._grouping_sets(qs, rows, cols)

        def apart(qs: Any = qs, rows: Any = rows, cols: Any = cols) -> object:
            return s._separately(qs, rows, cols, "incidents")

        one, each, _ = timed_pair(at_once, apart, args.requests)
        print(
            f"{case.name:26} GROUPING SETS {percentile(one, 0.5):7.1f} {percentile(one, 0.95):7.1f}"
            f" | a query per figure {percentile(each, 0.5):7.1f} {percentile(each, 0.95):7.1f}"
            f" | load {_load()}",
            flush=True,
        )


def run(args: argparse.Namespace) -> None:
    from bench_setup import ANALYST, _verified_client, personas_for_bench
    from django.test import Client

    from beyondreach.cases.models import Incident
    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.core.models import User
    from beyondreach.statistics.selectors import statistics_table

    _, headers, org_id = personas_for_bench()
    analyst = User.objects.select_related("organisation").get(username=ANALYST)
    api, page = Client(), _verified_client(analyst, Client)
    duck, duck_seconds = duck_load()
    count = Incident.objects.count()
    mine = Incident.objects.filter(organisation_id=org_id).count()
    print(
        f"\n{args.db}: {count:,} incidents, {mine:,} in the analyst's organisation; DuckDB "
        f"{_duck_version()} loaded with the same rows in {duck_seconds:.1f} s (untimed); "
        f"{os.cpu_count()} cores, load average {_load()} at the start",
        flush=True,
    )
    results: list[dict[str, Any]] = []
    for case in TABLES:
        sql, params = duck_sql(case, org_id)

        def api_get(case: Case = case) -> Any:
            r = api.get(f"/api/v1/statistics?{case.query()}&measure=incidents", headers=headers)
            assert r.status_code == 200, (r.status_code, r.content[:300])
            return r

        def duck_run(sql: str = sql, params: list[Any] = params) -> list[tuple[Any, ...]]:
            found: list[tuple[Any, ...]] = duck.execute(sql, params).fetchall()
            return found

        def selector(case: Case = case) -> None:
            filters = IncidentFilters(**_typed(case.filters))
            statistics_table(analyst, filters, rows=case.rows, cols=case.cols)

        def page_get(case: Case = case) -> None:
            r = page.get(f"/statistics/?{case.query()}")
            assert r.status_code == 200, r.status_code

        api_figures = figures_from_api(api_get().json())
        if api_figures != figures_from_duck(duck_run()):
            raise SystemExit(f"{case.name}: DuckDB and the API disagree")
        cells, total = len(api_figures["cells"]), api_figures["total"]
        load_at = _load()
        for path, app, n in (
            ("API", api_get, args.requests),
            ("selector only", selector, args.requests),
            ("page", page_get, args.page_requests),
        ):
            samples = timed_pair(app, duck_run, n)
            results.append(_result(args, case, path, samples, n, cells, total, load_at))
            _print(results[-1])
    if args.clients:
        for case in TABLES:
            results.append(_concurrent(args, case, org_id, headers, duck))
            _print(results[-1])
    if args.json:
        with args.json.open("a") as out:
            for line in results:
                out.write(json.dumps(line) + "\n")


def _typed(filters: dict[str, str]) -> dict[str, Any]:
    from datetime import date

    return {k: date.fromisoformat(v) if k.startswith("date_") else v for k, v in filters.items()}


def _result(
    args: argparse.Namespace,
    case: Case,
    path: str,
    samples: Any,
    n: int,
    cells: int,
    total: int,
    load_at: str,
) -> dict[str, Any]:
    app, duck, cpu = samples
    return {
        "db": args.db,
        "incidents": args.incidents,
        "table": case.name,
        "path": path,
        "clients": 1,
        "requests": n,
        "cells": cells,
        "counted": total,
        "p50": percentile(app, 0.5),
        "p95": percentile(app, 0.95),
        "cpu_p50": percentile(cpu, 0.5),
        "duck_p50": percentile(duck, 0.5),
        "duck_p95": percentile(duck, 0.95),
        "load": f"{load_at} to {_load()}",
        "at": time.strftime("%Y-%m-%d %H:%M"),
    }


def _concurrent(
    args: argparse.Namespace, case: Case, org_id: int, headers: dict[str, str], duck: Any
) -> dict[str, Any]:
    """N clients back to back for a while: the API's, then DuckDB's (a cursor each)."""
    from django.db import connections
    from django.test import Client

    def api_client() -> Callable[[], object]:
        client = Client()
        url = f"/api/v1/statistics?{case.query()}&measure=incidents"
        return lambda: client.get(url, headers=headers)

    def duck_client() -> Callable[[], object]:
        cursor, (sql, params) = duck.cursor(), duck_sql(case, org_id)
        return lambda: cursor.execute(sql, params).fetchall()

    load_at = _load()
    app, app_rate = _clients(args.clients, args.seconds, api_client, connections.close_all)
    raw, raw_rate = _clients(args.clients, args.seconds, duck_client, lambda: None)
    return {
        "db": args.db,
        "incidents": args.incidents,
        "table": case.name,
        "path": "API",
        "clients": args.clients,
        "requests": len(app),
        "per_second": app_rate,
        "duck_per_second": raw_rate,
        "p50": percentile(app, 0.5),
        "p95": percentile(app, 0.95),
        "duck_p50": percentile(raw, 0.5),
        "duck_p95": percentile(raw, 0.95),
        "load": f"{load_at} to {_load()}",
        "at": time.strftime("%Y-%m-%d %H:%M"),
    }


def _clients(
    n: int, seconds: float, make: Callable[[], Callable[[], object]], done: Callable[[], None]
) -> tuple[list[float], float]:
    """n threads calling their own request back to back until `seconds` have passed (each
    at least 5 times); their latencies in milliseconds and requests per second."""
    times: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter()

    def client() -> None:
        call, mine = make(), list[float]()
        call()  # warm-up: the thread's own connection
        while len(mine) < 5 or time.perf_counter() - start < seconds:
            began = time.perf_counter()
            call()
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            times.extend(mine)
        done()

    threads = [threading.Thread(target=client) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, len(times) / (time.perf_counter() - start)


def _print(r: dict[str, Any]) -> None:
    verdict = ""
    if r["path"] in ("API", "page") and r["clients"] == 1:
        goal = GOAL_API_P95_MS if r["path"] == "API" else GOAL_PAGE_P95_MS
        fast = r["p95"] < goal
        close = (
            r["path"] != "API"
            or max(r["p50"] / r["duck_p50"], r["p95"] / r["duck_p95"]) <= GOAL_RATIO
        )
        verdict = "met" if fast and close else "p95 met, ratio not" if fast else "not met"
    rate = (
        f" {r['per_second']:.1f}/s vs DuckDB {r['duck_per_second']:.0f}/s"
        if "per_second" in r
        else ""
    )
    print(
        f"{r['table']:26} {r['path']:13} x{r['clients']} p50 {r['p50']:8.1f} p95 {r['p95']:8.1f}"
        f" | DuckDB p50 {r['duck_p50']:6.2f} p95 {r['duck_p95']:6.2f}"
        f" | x {r['p50'] / r['duck_p50']:6.1f} / {r['p95'] / r['duck_p95']:6.1f}"
        f"{rate} | load {r['load']} {verdict}",
        flush=True,
    )


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _duck_version() -> str:
    import duckdb

    return str(duckdb.__version__)


if __name__ == "__main__":
    main()
