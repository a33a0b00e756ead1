"""What a reporter writes under "When did it happen?", read as a start date and precision."""

from __future__ import annotations

import datetime as dt

import pytest

from beyondreach.reports.dates import read_reported_date

RECEIVED = dt.date(2025, 5, 20)


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("2024-03-05", "2024-03-05", "day"),
        ("5.3.2024", "2024-03-05", "day"),
        ("05/03/2024", "2024-03-05", "day"),
        ("\u0662\u0660\u0662\u0664-\u0660\u0663-\u0660\u0665", "2024-03-05", "day"),  # ٢٠٢٤
        ("\u06f2\u06f0\u06f2\u06f3", "2023-01-01", "year"),  # Persian digits
        ("March 2024", "2024-03-01", "month"),
        ("в марте 2023 года", "2023-03-01", "month"),
        ("03/2023", "2023-03-01", "month"),
        ("2023-11", "2023-11-01", "month"),
        ("spring 2024", "2024-03-01", "season"),
        ("весной 2024", "2024-03-01", "season"),
        ("en otoño de 2022", "2022-09-01", "season"),
        ("last spring", "2025-03-01", "season"),
        ("last summer", "2024-06-01", "season"),
        ("since 2015", "2015-01-01", "year"),
        ("2019", "2019-01-01", "year"),
    ],
)
def test_it_reads_days_months_seasons_and_years(text: str, start: str, precision: str) -> None:
    found = read_reported_date(text, received=RECEIVED)
    assert found is not None, text
    assert (found.start.isoformat(), found.precision) == (start, precision)


@pytest.mark.parametrize(
    "text", ["", "unknown", "a few years ago", "31.02.2024", "2031", "13/2024", "spring"]
)
def test_it_invents_nothing_it_cannot_read(text: str) -> None:
    assert read_reported_date(text, received=RECEIVED) is None
