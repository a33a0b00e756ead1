"""Delivery through real receivers: an SMTP server and an HTTP endpoint on loopback."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings

from beyondreach.core.models import AuditEvent, Organisation
from beyondreach.outbox.channels import Email, Webhook
from beyondreach.outbox.channels.email import KEY_HEADER
from beyondreach.outbox.models import Message, Status
from beyondreach.outbox.services import backoff, outbox_deliver_due, outbox_enqueue, outbox_retry

from ..conftest import Personas, verified_client
from .receivers import MailBox, Receiver, free_port

SECRET = "whsec_test-secret"
ADDRESS = "focal.point@authority.example"


def _mail(org: Organisation, key: str = "k-mail", to: str = ADDRESS) -> Message:
    message = outbox_enqueue(
        organisation=org,
        key=key,
        kind="alert.urgent",
        envelope=Email(to=(to,), subject="Urgent: incident in TR", body="Coded facts only."),
    )
    assert message is not None
    return message


def _hook(org: Organisation, url: str, key: str = "k-hook") -> Message:
    message = outbox_enqueue(
        organisation=org,
        key=key,
        kind="alert.urgent",
        envelope=Webhook(url=url, secret=SECRET, event="incident.urgent", payload={"n": 1}),
    )
    assert message is not None
    return message


def _status(message: Message) -> Message:
    message.refresh_from_db()
    return message


def test_it_mails_with_the_idempotency_key_as_message_id_and_header(
    personas: Personas, mailbox: MailBox
) -> None:
    message = _mail(personas.org)
    run = outbox_deliver_due()
    assert (run.sent, run.retrying, run.failed) == (1, 0, 0)
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == ADDRESS and mail["Subject"] == "Urgent: incident in TR"
    assert mail["Message-ID"] == "<k-mail@beyondreach.example>"
    assert mail[KEY_HEADER] == "k-mail"
    assert mail["Auto-Submitted"] == "auto-generated"
    sent = _status(message)
    assert sent.status == Status.SENT and sent.attempts == 1 and sent.sent_at is not None


def test_it_posts_a_signed_webhook_the_receiver_can_verify(
    personas: Personas, webhook_receiver: Receiver
) -> None:
    _hook(personas.org, webhook_receiver.url)
    assert outbox_deliver_due().sent == 1
    (got,) = webhook_receiver.wait_for(1)
    assert got.key == "k-hook" and got.json() == {"n": 1}
    assert got.headers["x-tnr-event"] == "incident.urgent"
    assert got.headers["content-type"] == "application/json"
    assert got.signed_by(SECRET)
    assert not got.signed_by("whsec_another-secret")


def test_enqueueing_the_same_key_twice_queues_one_message(personas: Personas) -> None:
    _mail(personas.org)
    again = outbox_enqueue(
        organisation=personas.org,
        key="k-mail",
        kind="alert.urgent",
        envelope=Email(to=(ADDRESS,), subject="s", body="b"),
    )
    assert again is None and Message.objects.count() == 1


def test_the_envelope_is_sealed_at_rest(personas: Personas) -> None:
    message = _mail(personas.org, to="canary.address@authority.example")
    with connection.cursor() as cursor:
        cursor.execute("SELECT envelope_sealed FROM outbox_message WHERE id = %s", [message.pk])
        (stored,) = cursor.fetchone()
    assert b"canary.address" not in bytes(stored) and b"Coded facts" not in bytes(stored)
    assert "canary.address@authority.example" in Message.objects.get(pk=message.pk).envelope


def test_a_server_error_is_retried_later_with_exponential_backoff(
    personas: Personas, webhook_receiver: Receiver, settings: Settings
) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    webhook_receiver.answer = lambda r: 503
    message = _hook(personas.org, webhook_receiver.url)
    before = timezone.now()
    assert outbox_deliver_due().retrying == 1
    first = _status(message)
    assert first.status == Status.PENDING and first.last_error == "HTTP 503"
    assert before + dt.timedelta(seconds=29) < first.next_attempt_at
    assert first.next_attempt_at < timezone.now() + dt.timedelta(seconds=31)
    assert outbox_deliver_due().total == 0  # not due yet

    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_deliver_due()
    second = _status(message)
    assert second.attempts == 2
    assert second.next_attempt_at > timezone.now() + dt.timedelta(seconds=59)

    webhook_receiver.answer = lambda r: 200
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_deliver_due().sent == 1
    assert _status(message).status == Status.SENT and _status(message).last_error == ""
    assert len(webhook_receiver.wait_for(3)) == 3
    assert len(webhook_receiver.keys()) == 1  # the same key every time: the receiver dedupes


def test_backoff_doubles_up_to_the_cap(settings: Settings) -> None:
    settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_CAP_SECONDS = 30, 3600
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 7, 8, 20)] == [
        30,
        60,
        120,
        240,
        1920,
        3600,
        3600,
    ]


@pytest.mark.parametrize("status", [400, 404, 410, 302])
def test_a_refusal_fails_at_once_without_retrying(
    personas: Personas, webhook_receiver: Receiver, status: int
) -> None:
    webhook_receiver.answer = lambda r: status
    message = _hook(personas.org, webhook_receiver.url)
    assert outbox_deliver_due().failed == 1
    failed = _status(message)
    assert failed.status == Status.FAILED and failed.last_error == f"HTTP {status}"
    assert len(webhook_receiver.requests) == 1  # a redirect is not followed


@pytest.mark.parametrize("status", [408, 429, 500, 502])
def test_a_passing_problem_is_retried(
    personas: Personas, webhook_receiver: Receiver, status: int
) -> None:
    webhook_receiver.answer = lambda r: status
    message = _hook(personas.org, webhook_receiver.url)
    assert outbox_deliver_due().retrying == 1
    assert _status(message).status == Status.PENDING


def test_it_gives_up_after_the_last_attempt(
    personas: Personas, webhook_receiver: Receiver, settings: Settings
) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 3
    webhook_receiver.answer = lambda r: 503
    message = _hook(personas.org, webhook_receiver.url)
    for _ in range(3):
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outbox_deliver_due()
    failed = _status(message)
    assert failed.status == Status.FAILED and failed.attempts == 3
    assert failed.last_error == "HTTP 503"


def test_an_unreachable_receiver_is_retried(personas: Personas, settings: Settings) -> None:
    settings.WEBHOOK_ALLOW_LOCAL = True
    message = _hook(personas.org, f"http://127.0.0.1:{free_port()}/hook")
    assert outbox_deliver_due().retrying == 1
    assert _status(message).last_error == "connection refused"


def test_a_refused_mail_recipient_fails_and_a_busy_server_is_retried(
    personas: Personas, mailbox: MailBox
) -> None:
    mailbox.refuse_with = "550 No such mailbox"
    refused = _mail(personas.org, key="k1")
    assert outbox_deliver_due().failed == 1
    assert _status(refused).last_error == "SMTP 550"
    mailbox.refuse_with = "451 Try again later"
    busy = _mail(personas.org, key="k2")
    assert outbox_deliver_due().retrying == 1
    assert _status(busy).status == Status.PENDING and _status(busy).last_error == "SMTP 451"


def test_a_mail_server_that_is_down_is_retried(personas: Personas, settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = _mail(personas.org)
    assert outbox_deliver_due().retrying == 1
    assert _status(message).last_error == "SMTP connection refused"


def test_a_local_address_is_refused_outside_development(
    personas: Personas, webhook_receiver: Receiver, settings: Settings
) -> None:
    message = _hook(personas.org, webhook_receiver.url)
    settings.WEBHOOK_ALLOW_LOCAL = False
    assert outbox_deliver_due().failed == 1
    assert _status(message).last_error == "URL not allowed"
    assert webhook_receiver.requests == []


def test_a_claimed_message_is_sent_again_only_after_its_lease(
    personas: Personas, webhook_receiver: Receiver, settings: Settings
) -> None:
    """What a worker killed mid-send leaves behind: claimed, never marked sent."""
    from beyondreach.outbox.services import _claim

    settings.OUTBOX_LEASE_SECONDS = 120
    message = _hook(personas.org, webhook_receiver.url)
    assert [m.pk for m in _claim(10)] == [message.pk]  # ...and the worker dies here
    assert outbox_deliver_due().total == 0  # another worker leaves it alone during the lease
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())  # lease over
    assert outbox_deliver_due().sent == 1
    assert _status(message).attempts == 2 and len(webhook_receiver.wait_for(1)) == 1


def test_logs_name_the_message_but_never_its_address_or_url(
    personas: Personas,
    mailbox: MailBox,
    webhook_receiver: Receiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailbox.refuse_with = "550 <focal.point@authority.example> unknown"
    webhook_receiver.answer = lambda r: 503
    _mail(personas.org)
    _hook(personas.org, webhook_receiver.url)
    with caplog.at_level(logging.DEBUG):
        outbox_deliver_due()
    # Our logs, not the test SMTP server's (aiosmtpd logs whole conversations at DEBUG).
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("beyondreach"))
    assert "outbox: message" in text
    assert "authority.example" not in text and "127.0.0.1" not in text and "/hook" not in text
    assert all("authority" not in m.last_error for m in Message.objects.all())


def test_an_admin_retries_a_failed_delivery_and_it_is_audited(
    personas: Personas, webhook_receiver: Receiver
) -> None:
    webhook_receiver.answer = lambda r: 404
    message = _hook(personas.org, webhook_receiver.url)
    outbox_deliver_due()
    webhook_receiver.answer = lambda r: 200
    outbox_retry(actor=personas.admin, message=_status(message))
    retried = _status(message)
    assert retried.status == Status.PENDING and retried.attempts == 0
    assert AuditEvent.objects.filter(action="outbox.retry", record_id=message.uuid).exists()
    assert outbox_deliver_due().sent == 1


def test_only_an_admin_retries_and_only_a_failed_delivery(
    personas: Personas, webhook_receiver: Receiver
) -> None:
    from beyondreach.core.errors import ApplicationError

    message = _hook(personas.org, webhook_receiver.url)
    with pytest.raises(ApplicationError, match="Only a failed"):
        outbox_retry(actor=personas.admin, message=message)
    Message.objects.filter(pk=message.pk).update(status=Status.FAILED)
    for user in (personas.case_worker, personas.outsider):
        with pytest.raises(ApplicationError, match="Only an admin"):
            outbox_retry(actor=user, message=_status(message))


def test_a_limited_run_sends_no_more_than_asked(
    personas: Personas, webhook_receiver: Receiver
) -> None:
    for n in range(5):
        _hook(personas.org, webhook_receiver.url, key=f"k{n}")
    assert outbox_deliver_due(limit=2).sent == 2
    assert Message.objects.filter(status=Status.PENDING).count() == 3


def test_old_messages_lose_their_content_but_keep_their_key(
    personas: Personas, settings: Settings
) -> None:
    from beyondreach.core.errors import ApplicationError
    from beyondreach.outbox.services import outbox_prune

    settings.OUTBOX_KEEP_DAYS = 30
    sent, failed, pending, recent = (_mail(personas.org, key=k) for k in "abcd")
    Message.objects.filter(pk=sent.pk).update(status=Status.SENT)
    Message.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    Message.objects.filter(pk=recent.pk).update(status=Status.SENT)
    old = timezone.now() - dt.timedelta(days=31)
    Message.objects.exclude(pk=recent.pk).update(created_at=old)
    assert outbox_prune() == 2
    erased = {m.key for m in Message.objects.all() if not m.envelope}
    assert erased == {"a", "b"} and _status(pending).envelope and _status(recent).envelope
    assert _mail_again(personas, "a") is None  # the key still stops a second send
    with pytest.raises(ApplicationError, match="erased"):
        outbox_retry(actor=personas.admin, message=_status(failed))
    page = verified_client(personas.admin).get("/outbox/").content.decode()
    assert "(erased after delivery)" in page


def _mail_again(personas: Personas, key: str) -> Message | None:
    return outbox_enqueue(
        organisation=personas.org,
        key=key,
        kind="reminder",
        envelope=Email(to=(ADDRESS,), subject="s", body="b"),
    )
