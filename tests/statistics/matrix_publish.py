"""Entries of the access matrix (tests/web/matrix.py) for this capability's URLs, and the
records behind their parameters."""

from __future__ import annotations

from beyondreach.cases.models import Incident
from beyondreach.statistics.publish import statistics_publish
from beyondreach.statistics.publish_tables import ItemSpec

from ..conftest import Personas

PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    # Publishing statistics: admins only. An empty POST is a bad request (400, the form's
    # errors); taking them down goes back to the page.
    "statistics/publish/": ("staff", {"GET": (200, 403, 403, 403), "POST": (400, 403, 403, 403)}),
    "statistics/publish/remove/": ("staff", {"POST": (302, 403, 403, 403)}),
    # The published statistics, at the reporting channel's address: the same for everyone.
    "p/<slug:slug>/statistics/": ("public", {"GET HEAD": (200, 200, 200, 200)}),
    "p/<slug:slug>/statistics.csv": ("public", {"GET HEAD": (200, 200, 200, 200)}),
    "p/<slug:slug>/statistics.json": ("public", {"GET HEAD": (200, 200, 200, 200)}),
    "p/<slug:slug>/statistics/chart-<str:index>.svg": (
        "public",
        {"GET HEAD": (200, 200, 200, 200)},
    ),
}
API: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {}


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    """Statistics published at the reporting channel's address ("matrix"), chart 0 a series."""
    specs = [ItemSpec("series", "origin", "year", "incidents", "suppression")]
    statistics_publish(actor=personas.admin, address="matrix", specs=specs)
    return {"index": "0"}
