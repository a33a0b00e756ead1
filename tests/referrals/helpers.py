"""Helpers: the token is stored nowhere but in the (sealed) mail, so tests read it there."""

from __future__ import annotations

import re

from beyondreach.outbox.channels import Email, envelope_load
from beyondreach.outbox.models import Message
from beyondreach.referrals.models import Referral

LINK = re.compile(r"/referral/([A-Za-z0-9_-]{43})/")


def referral_mail(referral: Referral) -> Email:
    envelope = envelope_load(Message.objects.get(key=f"referral-{referral.uuid.hex}").envelope)
    assert isinstance(envelope, Email)
    return envelope


def link_token(referral: Referral) -> str:
    found = LINK.search(referral_mail(referral).body)
    assert found is not None
    return found.group(1)
