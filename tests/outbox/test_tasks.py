"""The delivery job as the worker runs it (`db_worker`, in this process)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from beyondreach.outbox.channels import Webhook
from beyondreach.outbox.models import Message, Status
from beyondreach.outbox.services import outbox_enqueue
from beyondreach.outbox.tasks import TASK_PATH, schedule_delivery

from ..conftest import Personas
from .receivers import Receiver


def _ready() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY"))


def test_scheduling_twice_queues_one_run(db: None) -> None:
    assert schedule_delivery() is True
    assert schedule_delivery() is False
    assert len(_ready()) == 1


def test_a_later_run_does_not_hide_an_earlier_need(db: None) -> None:
    later = timezone.now() + dt.timedelta(minutes=5)
    assert schedule_delivery(at=later) is True
    assert schedule_delivery(at=later) is False
    assert schedule_delivery() is True  # due now, and the queued one is not
    assert len(_ready()) == 2


def test_queueing_a_message_wakes_the_worker_once_committed(
    personas: Personas, webhook_receiver: Receiver, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for n in range(3):
            outbox_enqueue(
                organisation=personas.org,
                key=f"k{n}",
                kind="test",
                envelope=Webhook(url=webhook_receiver.url, secret="s", event="e", payload={}),
            )
    assert len(_ready()) == 1  # three messages, one wake-up


def test_the_worker_delivers_and_keeps_the_next_sweep_queued(
    transactional_db: None, personas: Personas, webhook_receiver: Receiver
) -> None:
    # Committed for real (the worker closes a connection left inside a transaction).
    outbox_enqueue(
        organisation=personas.org,
        key="k",
        kind="test",
        envelope=Webhook(url=webhook_receiver.url, secret="s", event="e", payload={}),
    )
    assert len(_ready()) == 1  # woken on commit
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Message.objects.get().status == Status.SENT
    assert [r.key for r in webhook_receiver.wait_for(1)] == ["k"]
    (sweep,) = _ready()  # queued before the run did its work, for the next minute
    assert sweep.run_after > timezone.now()
    finished = DBTaskResult.objects.get(task_path=TASK_PATH, status="SUCCESSFUL")
    assert finished.return_value == {"sent": 1, "retrying": 0, "failed": 0}
