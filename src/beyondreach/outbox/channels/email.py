"""E-mail, through Django's mail backend (SMTP in production, settings EMAIL_*).

The idempotency key travels as the Message-ID (``<key@domain>``) and in X-TNR-Idempotency-Key,
so a mail client or a filter can drop a message delivered twice.
"""

from __future__ import annotations

import contextlib
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from beyondreach.outbox.channels import DeliveryError, Email

KEY_HEADER = "X-TNR-Idempotency-Key"


def message_id(key: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<{key}@{domain}>"


class Mailer:
    """One SMTP connection reused across a delivery run, opened again after an error."""

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def send(self, email: Email, key: str) -> None:
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(email.to),
            headers={
                "Message-ID": message_id(key),
                KEY_HEADER: key,
                "Auto-Submitted": "auto-generated",  # RFC 3834: no auto-replies, please
            },
        )
        try:
            if self._connection is None:
                self._connection = get_connection(fail_silently=False)
                self._connection.open()
            self._connection.send_messages([message])
        except Exception as exc:
            self.close()
            raise _classified(exc) from exc

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # An error here means the connection is already gone: nothing more to release.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()


def _classified(exc: Exception) -> DeliveryError:
    """A coded error; never the exception's text, which names the refused addresses."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return DeliveryError("SMTP recipient refused", permanent=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return DeliveryError(f"SMTP {code}", permanent=500 <= code < 600)
    if isinstance(exc, TimeoutError):
        return DeliveryError("SMTP timeout")
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError("SMTP connection refused")
    if isinstance(exc, smtplib.SMTPException | OSError):
        return DeliveryError(f"SMTP {type(exc).__name__}")
    raise exc
