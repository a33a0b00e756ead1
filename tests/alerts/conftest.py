from __future__ import annotations

from ..outbox.receivers import mailbox, webhook_receiver

__all__ = ["mailbox", "webhook_receiver"]
