"""Entries of the access matrix (tests/web/matrix.py) for the CCF request pack and the counts
of INTERPOL cases and designations on the statistics page. The pack holds names: admins and
case workers only. The counts are coded: every role. The case is matrix_interpol's."""

from __future__ import annotations

Statuses = dict[str, tuple[int, int, int, int]]
PAGES: dict[str, tuple[str, Statuses]] = {
    "interpol/<str:case_id>/ccf-pack/": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
    # Without a choice of request, the review again with the field's error.
    "interpol/<str:case_id>/ccf-pack/print/": ("staff", {"GET HEAD": (400, 400, 403, 403)}),
    "statistics/interpol/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/interpol/notices.csv": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/interpol/grounds.csv": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/interpol/designations.csv": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
}
