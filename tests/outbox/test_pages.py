"""The admins' page of deliveries and its retry button."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondreach.outbox.models import Message, Status

from ..conftest import Personas, verified_client
from .test_delivery import _hook, _mail


def test_an_admin_sees_failed_deliveries_and_sends_one_again(personas: Personas) -> None:
    _mail(personas.org, key="ok")
    failed = _hook(personas.org, "https://alerts.interior.example/tnr", key="bad")
    Message.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, attempts=12, last_error="HTTP 503"
    )
    admin = verified_client(personas.admin)
    page = admin.get("/outbox/?status=failed").content.decode()
    assert "https://alerts.interior.example/tnr" in page and "HTTP 503" in page
    assert "focal.point@authority.example" not in page  # the pending mail is not failed
    assert "Failed (1)" in page and "Pending (1)" in page
    answer = admin.post(f"/outbox/{failed.uuid}/retry/")
    assert answer.status_code == 302 and answer["Location"] == "/outbox/?status=failed"
    failed.refresh_from_db()
    assert failed.status == Status.PENDING and failed.attempts == 0
    everything = admin.get("/outbox/").content.decode()
    assert "focal.point@authority.example" in everything


def test_retrying_a_delivery_that_did_not_fail_says_why(personas: Personas) -> None:
    pending = _mail(personas.org)
    admin = verified_client(personas.admin)
    answer = admin.post(f"/outbox/{pending.uuid}/retry/", follow=True)
    assert "Only a failed delivery can be retried." in answer.content.decode()


def test_only_admins_see_deliveries_and_outsiders_learn_nothing(personas: Personas) -> None:
    failed = _mail(personas.org)
    Message.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    for user in (personas.case_worker, personas.analyst):
        assert verified_client(user).get("/outbox/").status_code == 403
    assert (
        verified_client(personas.case_worker).post(f"/outbox/{failed.uuid}/retry/").status_code
        == 403
    )
    outsider = verified_client(personas.outsider)
    assert outsider.post(f"/outbox/{failed.uuid}/retry/").status_code == 403  # not an admin
    from beyondreach.core.services import user_create

    other_admin = user_create(
        organisation=personas.other_org,
        username="oda_admin",
        password="a long test passphrase 42",
        role="admin",
    )
    client = verified_client(other_admin)
    assert client.post(f"/outbox/{failed.uuid}/retry/").status_code == 404
    assert client.post("/outbox/not-a-uuid/retry/").status_code == 404
    assert "authority.example" not in client.get("/outbox/").content.decode()
    failed.refresh_from_db()
    assert failed.status == Status.FAILED


def test_the_page_takes_as_many_queries_for_many_deliveries_as_for_one(
    personas: Personas,
) -> None:
    admin = verified_client(personas.admin)
    _mail(personas.org, key="first")
    admin.get("/outbox/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get("/outbox/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(10):
        _mail(personas.org, key=f"k{n}")
    assert queries() == few <= 10
