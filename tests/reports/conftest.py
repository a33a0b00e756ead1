"""A reporting channel opened the way an admin opens it, with a case worker given access."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from beyondreach.reports.models import ReportingChannel
from beyondreach.reports.services import (
    access_grant,
    channel_open,
    channel_unlock,
    member_key_create,
)

from ..conftest import Personas

ADMIN_PASSPHRASE = "admin reporting passphrase"
CASE_WORKER_PASSPHRASE = "case worker reporting passphrase"


@dataclass
class OpenChannel:
    channel: ReportingChannel
    recovery: str
    personas: Personas


@pytest.fixture
def open_channel(personas: Personas) -> OpenChannel:
    member_key_create(user=personas.admin, passphrase=ADMIN_PASSPHRASE)
    channel, recovery = channel_open(actor=personas.admin, slug="safeguard")
    member_key_create(user=personas.case_worker, passphrase=CASE_WORKER_PASSPHRASE)
    key = channel_unlock(user=personas.admin, passphrase=ADMIN_PASSPHRASE)
    access_grant(actor=personas.admin, channel_private_key=key, member=personas.case_worker)
    return OpenChannel(channel=channel, recovery=recovery, personas=personas)
