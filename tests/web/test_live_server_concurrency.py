"""Browsers load a page's images at once. The test server must answer concurrent requests
that query the database: on SQLite in memory, two of them once deadlocked every browser test
that followed (tests/conftest.py, _OneRequestAtATimeServer)."""

from __future__ import annotations

import http.client
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings

from ..conftest import Personas, verified_client
from ..statistics.builders import record


def test_concurrent_chart_and_map_requests_are_all_answered(
    live_server: object, personas: Personas
) -> None:
    for year in (2022, 2023, 2024):
        record(personas.case_worker, origins=["CN"], tactics=["assault"], start=date(year, 3, 1))
    cookie = verified_client(personas.analyst).cookies[settings.SESSION_COOKIE_NAME].value
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    address = urlsplit(str(live_server))
    paths = ["/statistics/report/chart.svg?year=2024", "/statistics/map.svg"] * 4

    def get(path: str) -> int:
        conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()

    for _ in range(3):
        with ThreadPoolExecutor(max_workers=len(paths)) as pool:
            assert list(pool.map(get, paths)) == [200] * len(paths)
