"""The real SMTP server of the outbox tests, for the CCF clock's reminder."""

from ..outbox.receivers import mailbox

__all__ = ["mailbox"]
