"""Entries of the access matrix (tests/web/matrix.py) for this capability's URLs, and the
records behind their parameters."""

from __future__ import annotations

from beyondreach.cases.models import Incident

from ..conftest import Personas

# Every role exports what it sees on the list. Without a format, the file's URL is a bad
# request (400: the page with the error), and the API's a 422; tests/interchange asks with one.
PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    "exports/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "exports/file/": ("staff", {"GET HEAD": (400, 400, 400, 400)}),
}
API: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    "api/v1/exports": ("staff", {"GET": (422, 422, 422, 422)}),
}


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    return {}
