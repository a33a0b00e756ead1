"""API clients with bearer tokens, and a valid incident body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from beyondreach.core.models import User
from beyondreach.core.services import api_token_create

ClientFor = Callable[[User], Client]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """A client that sends a fresh API token of the given user, and no session."""

    def make(user: User) -> Client:
        return Client(headers=bearer(api_token_create(user=user, label="test")))

    return make


def incident_body(**overrides: Any) -> dict[str, Any]:
    """A Uyghur poet held in Istanbul on a Red Notice; her father pressured back home."""
    body: dict[str, Any] = {
        "title": "Red Notice against a Uyghur poet in Istanbul",
        "narrative": "Detained at the airport on an INTERPOL Red Notice.",
        "start_date": "2024-03-01",
        "host_countries": ["TR"],
        "origin_states": ["CN"],
        "tactics": ["host_detention", "interpol_abuse", "family_coercion"],
        "targets": [
            {
                "role": "primary",
                "target_group": "ethnic_or_religious_group",
                # Tests post this body many times: each time new persons, said so (without
                # it, the second post is refused as likely duplicates: test_duplicates.py).
                "person": {
                    "names": [{"value": "Gulnara Tokhtieva", "script": "Latn"}],
                    "not_a_duplicate": True,
                },
            },
            {
                "role": "relative",
                "relation": "parent",
                "person": {
                    "names": [{"value": "Tokhti Akhmed", "script": "Latn"}],
                    "not_a_duplicate": True,
                },
            },
        ],
        "mechanisms": [
            {
                "kind": "interpol_red_notice",
                "reference": "A-1234/5-2023",
                "issued_by": "CN",
                "status": "active",
            }
        ],
        "sources": [
            {
                "reference": "https://news.example.org/poet-detained",
                "publisher": "Example News",
                "reliability": "reliable",
                "independent": True,
            }
        ],
    }
    body.update(overrides)
    return body
