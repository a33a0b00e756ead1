"""After `beyondreach demo`, the INTERPOL flows of README.md can be tried without recording a
case first: the Red Notice's CCF clock is on the deadlines board, its request pack opens,
and "INTERPOL in numbers" counts notices, the CCF's decisions by grounds and designations."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from beyondreach.accountability import models as am
from beyondreach.accountability.services import add_months

from .test_demo_flows import client, demo_output

__all__ = ["demo_output"]


def test_the_demo_cases_fill_the_deadlines_board_the_pack_and_the_counts(
    demo_output: str,
) -> None:
    worker = client("demo_caseworker")
    listing = worker.get("/interpol/").content.decode()
    assert "Emre Kaplanoğlu" in listing and "Farrukh Nazarov" in listing
    red = am.InterpolCase.objects.get(kind="red_notice")
    clock = red.ccf_requests.get().deadline
    assert clock is not None and clock.due_on == add_months(
        timezone.localdate() - dt.timedelta(days=262), 9
    )
    deadlines = worker.get("/deadlines/").content.decode()
    assert clock.due_on.isoformat() in deadlines
    pack = worker.get(f"/interpol/{red.uuid}/ccf-pack/").content.decode()
    assert "Demo-RN-2025/77" in pack and "Red Notice against a Turkish journalist" in pack
    numbers = client("demo_analyst").get("/statistics/interpol/").content.decode()
    for shown in ("Türkiye", "Tajikistan", "Bahrain", "Article 3"):
        assert shown in numbers
    assert "Kaplanoğlu" not in numbers
    assert am.Designation.objects.get().steps.count() == 1
