"""What a message is, per channel, and how it is sent. One module per channel.

An envelope is everything the worker needs to send a message and nothing else; it is stored
sealed (see models.Message) and opened only to send or to show an admin a delivery.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Email:
    to: tuple[str, ...]
    subject: str
    body: str
    channel: str = field(default="email", init=False)


@dataclass(frozen=True)
class Webhook:
    url: str
    secret: str  # the HMAC key, so a message can still be signed if the secret is rotated
    event: str
    payload: dict[str, Any]
    channel: str = field(default="webhook", init=False)


Envelope = Email | Webhook


class DeliveryError(Exception):
    """A send that did not succeed. `code` is coded and safe to store and log ("HTTP 503",
    "SMTP 550", "timeout"); `permanent` means retrying cannot help (the receiver refuses)."""

    def __init__(self, code: str, *, permanent: bool = False) -> None:
        super().__init__(code)
        self.code = code[:80]
        self.permanent = permanent


def envelope_dump(envelope: Envelope) -> str:
    if isinstance(envelope, Email):
        data: dict[str, Any] = {
            "channel": "email",
            "to": list(envelope.to),
            "subject": envelope.subject,
            "body": envelope.body,
        }
    else:
        data = {
            "channel": "webhook",
            "url": envelope.url,
            "secret": envelope.secret,
            "event": envelope.event,
            "payload": envelope.payload,
        }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def envelope_load(text: str) -> Envelope:
    data = json.loads(text)
    if data["channel"] == "email":
        return Email(to=tuple(data["to"]), subject=data["subject"], body=data["body"])
    return Webhook(
        url=data["url"], secret=data["secret"], event=data["event"], payload=data["payload"]
    )


def recipient(envelope: Envelope) -> str:
    """Where it goes, for an admin's page of deliveries."""
    return ", ".join(envelope.to) if isinstance(envelope, Email) else envelope.url
