"""The channel's keys, receipt, follow-up, proof and retention, through the services."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beyondreach.cases.services import incident_create
from beyondreach.core.errors import ApplicationError, DecryptionError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.reports.codenames import WORDS_IN_CODENAME, word_list
from beyondreach.reports.models import KeyGrant, Report, ReportFile, ReportMessage
from beyondreach.reports.proof import ProofError, proof_verify
from beyondreach.reports.proof import b64 as proof_b64
from beyondreach.reports.selectors import report_open, reporter_messages
from beyondreach.reports.services import (
    channel_recover,
    channel_unlock,
    report_link_incident,
    report_reply,
    report_submit,
    reporter_add,
    reporter_find,
    reports_destroy_expired,
)

from ..cases.factories import incident_data
from .conftest import CASE_WORKER_PASSPHRASE, OpenChannel

ANSWERS = {"what_happened": "Men from the consulate followed me to the mosque in Kreuzberg."}


def _submit(oc: OpenChannel, text: str = ANSWERS["what_happened"]):  # type: ignore[no-untyped-def]
    return report_submit(
        channel=oc.channel, language="en", answers={"what_happened": text}, attachments=[]
    )


def test_a_report_opens_only_with_a_members_passphrase_or_the_recovery_key(
    open_channel: OpenChannel,
) -> None:
    receipt = _submit(open_channel)
    stored = Report.objects.get(pk=receipt.report.pk)
    assert ANSWERS["what_happened"].encode() not in bytes(stored.content_sealed)
    p = open_channel.personas
    key = channel_unlock(user=p.case_worker, passphrase=CASE_WORKER_PASSPHRASE)
    assert report_open(stored, key).answers == ANSWERS
    with pytest.raises(DecryptionError, match="passphrase is not right"):
        channel_unlock(user=p.case_worker, passphrase="not the passphrase at all")
    assert channel_recover(actor=p.admin, recovery_text=open_channel.recovery.lower()) == key
    with pytest.raises(ApplicationError, match="not opened its reporting channel"):
        channel_unlock(user=p.outsider, passphrase=CASE_WORKER_PASSPHRASE)
    with pytest.raises(PermissionDeniedError, match="not given you access"):
        channel_unlock(user=p.analyst, passphrase=CASE_WORKER_PASSPHRASE)
    # The private key exists only sealed: once per member with access, once for recovery.
    assert KeyGrant.objects.filter(channel=open_channel.channel).count() == 3


def test_the_codename_is_seven_words_of_a_list_of_7776_and_leads_back(
    open_channel: OpenChannel,
) -> None:
    receipt = _submit(open_channel)
    words = receipt.codename.split()
    assert len(words) == WORDS_IN_CODENAME and len(word_list()) >= 7776
    assert set(words) <= set(word_list())
    found = reporter_find(channel=open_channel.channel, codename="  " + receipt.codename.upper())
    assert found is not None and found[0] == receipt.report
    # The codename itself is stored nowhere; its lookup value is an Argon2id output.
    assert receipt.codename not in str(list(Report.objects.values()))


def test_a_wrong_and_an_unknown_codename_get_the_same_answer(open_channel: OpenChannel) -> None:
    receipt = _submit(open_channel)
    wrong = " ".join([*receipt.codename.split()[:-1], "zebra"])
    unknown = " ".join(["abacus"] * WORDS_IN_CODENAME)
    assert reporter_find(channel=open_channel.channel, codename=wrong) is None
    assert reporter_find(channel=open_channel.channel, codename=unknown) is None


def test_the_case_worker_asks_and_the_reporter_reads_and_answers(
    open_channel: OpenChannel,
) -> None:
    p = open_channel.personas
    receipt = _submit(open_channel)
    report_reply(actor=p.case_worker, report=receipt.report, text="When did this start?")
    found = reporter_find(channel=open_channel.channel, codename=receipt.codename)
    assert found is not None
    report, reporter_key = found
    assert [m.text for m in reporter_messages(report, reporter_key)] == ["When did this start?"]
    reporter_add(report=report, text="In March, after my article.", attachments=[])
    key = channel_unlock(user=p.case_worker, passphrase=CASE_WORKER_PASSPHRASE)
    texts = [(m.author, m.text) for m in report_open(report, key).messages]
    assert texts == [
        ("organisation", "When did this start?"),
        ("reporter", "In March, after my article."),
    ]
    for message in ReportMessage.objects.all():
        assert b"March" not in bytes(message.for_organisation) + bytes(message.for_reporter)
    # Staff actions are audited; the reporter's are not (an event would carry the time).
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "report.reply" in actions and not any("reporter" in a for a in actions)


def test_the_proof_verifies_with_the_published_key_and_fails_if_a_byte_changes(
    open_channel: OpenChannel,
) -> None:
    receipt = _submit(open_channel)
    published = proof_b64(bytes(open_channel.channel.verify_key))
    proof = proof_verify(receipt.proof, published)
    assert proof.report_sha256 == receipt.report.content_sha256
    assert proof.received == dt.date.today().isoformat()
    assert ANSWERS["what_happened"] not in receipt.proof
    with pytest.raises(ProofError):
        proof_verify(receipt.proof, proof_b64(b"\x01" * 32))


@given(data=st.data())
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_changed_byte_of_a_proof_is_refused(
    open_channel: OpenChannel, data: st.DataObject
) -> None:
    if not hasattr(open_channel, "proof_text"):
        open_channel.proof_text = _submit(open_channel).proof  # type: ignore[attr-defined]
    text: str = open_channel.proof_text  # type: ignore[attr-defined]
    raw = bytearray(text.encode())
    at = data.draw(st.integers(0, len(raw) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != raw[at]))
    raw[at] = new
    try:
        changed = raw.decode()
    except UnicodeDecodeError:
        return  # not even text any more: nothing to verify
    if changed.rstrip("\n") == text.rstrip("\n") or changed.replace("\r\n", "\n") == text:
        return  # only the line ending changed
    with pytest.raises(ProofError):
        proof_verify(changed, proof_b64(bytes(open_channel.channel.verify_key)))


def test_expired_reports_are_destroyed_and_reports_that_became_incidents_are_kept(
    open_channel: OpenChannel,
) -> None:
    p = open_channel.personas
    open_channel.channel.retention_days = 30
    open_channel.channel.save()
    forgotten = _submit(open_channel, "A report nobody followed up.")
    kept = _submit(open_channel, "A report that became a case.")
    report_reply(actor=p.case_worker, report=forgotten.report, text="Are you safe?")
    incident = incident_create(actor=p.case_worker, data=incident_data())
    report_link_incident(actor=p.case_worker, report=kept.report, incident=incident)

    assert reports_destroy_expired(today=dt.date.today() + dt.timedelta(days=30)) == 0
    assert reports_destroy_expired(today=dt.date.today() + dt.timedelta(days=31)) == 1
    assert list(Report.objects.all()) == [kept.report]
    assert not ReportMessage.objects.filter(report_id=forgotten.report.pk).exists()
    assert not ReportFile.objects.filter(report_id=forgotten.report.pk).exists()
    assert reporter_find(channel=open_channel.channel, codename=forgotten.codename) is None


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_the_retention_job_runs_daily_from_the_worker(open_channel: OpenChannel) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from beyondreach.reports.tasks import TASK_PATH, schedule_retention

    open_channel.channel.retention_days = 7
    open_channel.channel.save()
    old = _submit(open_channel, "Old report.")
    Report.objects.filter(pk=old.report.pk).update(
        last_activity_on=dt.date.today() - dt.timedelta(days=8)
    )
    assert schedule_retention() is True
    assert schedule_retention() is False  # one waiting run is enough
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert not Report.objects.exists()
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").get()
    assert waiting.run_after.date() == dt.date.today() + dt.timedelta(days=1)


def test_a_signature_spelled_another_way_in_base64_is_refused(open_channel: OpenChannel) -> None:
    """The hypothesis test above found it: the character before "==" carries four unused
    bits, so sixteen spellings decode to the same signature; only the proof's own passes."""
    text = _submit(open_channel).proof
    line = next(x for x in text.split("\n") if x.startswith("signature: "))
    assert line.endswith("==")
    last = B64.index(line[-3])
    alias = next(c for c in B64 if B64.index(c) >> 4 == last >> 4 and B64.index(c) != last)
    assert base64.b64decode(line[-8:-3] + alias + "==") == base64.b64decode(line[-8:])
    changed = text.replace(line, line[:-3] + alias + "==")
    with pytest.raises(ProofError):
        proof_verify(changed, proof_b64(bytes(open_channel.channel.verify_key)))


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
