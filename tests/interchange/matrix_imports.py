"""Entries of the access matrix (tests/web/matrix.py) for this capability's URLs, and the
records behind their parameters."""

from __future__ import annotations

from beyondreach.cases.models import Incident

from ..conftest import Personas

PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {}
API: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {}


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    return {}
