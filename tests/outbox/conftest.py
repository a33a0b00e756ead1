from __future__ import annotations

from .deployment import database_url
from .receivers import mailbox, webhook_receiver

__all__ = ["database_url", "mailbox", "webhook_receiver"]
