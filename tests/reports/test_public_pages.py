"""The public reporting pages through Django's full stack, as a browser without script sends
them: the form, the receipt, the follow-up, the limits, and what is (not) kept."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.test import Client
from PIL import Image

from beyondreach.reports.models import Report, ReportFile
from beyondreach.reports.proof import b64 as proof_b64
from beyondreach.reports.proof import proof_verify
from beyondreach.reports.reporter_cookie import COOKIE
from beyondreach.reports.selectors import report_open
from beyondreach.reports.services import channel_unlock, report_reply

from .conftest import CASE_WORKER_PASSPHRASE, OpenChannel

STORY = "Two men from the embassy waited outside my flat in Istanbul and photographed me."


def jpeg(size: tuple[int, int] = (32, 24)) -> io.BytesIO:
    data = io.BytesIO()
    exif = Image.Exif()
    exif[0x013B] = "Artist Canary Nameson"  # Artist
    Image.new("RGB", size, (200, 30, 30)).save(data, "JPEG", exif=exif)
    data.seek(0)
    data.name = "flat.jpg"
    return data


def _post_report(client: Client, slug: str, lang: str = "en", **extra: object) -> str:
    page = client.get(f"/r/{slug}/{lang}/new/")
    assert page.status_code == 200
    body = {"what_happened": STORY, "tactics": ["physical_intimidation"], **extra}
    answer = client.post(f"/r/{slug}/{lang}/new/", body, follow=True)
    return answer.content.decode() if answer.status_code == 200 else f"{answer.status_code}"


def _codename(html: str) -> str:
    match = re.search(r'<strong id="codename">([^<]+)</strong>', html)
    assert match, html[:2000]
    return match.group(1)


def test_a_reporter_files_a_report_with_a_photo_and_gets_a_codename_and_a_proof(
    open_channel: OpenChannel,
) -> None:
    client = Client(enforce_csrf_checks=True)
    slug = open_channel.channel.slug
    form = client.get(f"/r/{slug}/ar/new/")
    assert form.status_code == 200 and 'dir="rtl"' in form.content.decode()
    token = form.cookies["csrftoken"].value
    answer = client.post(
        f"/r/{slug}/ar/new/",
        {"what_happened": STORY, "csrfmiddlewaretoken": token, "files": jpeg()},
        follow=True,
    )
    assert answer.redirect_chain == [(f"/r/{slug}/ar/receipt/", 302)]
    assert answer.status_code == 200
    codename = _codename(answer.content.decode())
    assert len(codename.split()) == 7
    report = Report.objects.get()
    assert report.language == "ar" and ReportFile.objects.count() == 1
    proof = client.get(f"/r/{slug}/ar/proof/")
    assert proof["Content-Disposition"].startswith("attachment")
    verified = proof_verify(
        proof.content.decode(), proof_b64(bytes(open_channel.channel.verify_key))
    )
    assert verified.report_sha256 == report.content_sha256
    key = channel_unlock(user=open_channel.personas.case_worker, passphrase=CASE_WORKER_PASSPHRASE)
    assert report_open(report, key).answers["what_happened"] == STORY


def test_practising_the_codename_says_right_or_not_quite(open_channel: OpenChannel) -> None:
    client = Client()
    slug = open_channel.channel.slug
    codename = _codename(_post_report(client, slug))
    right = client.post(f"/r/{slug}/en/practise/", {"codename": codename.upper()})
    assert "Correct" in right.content.decode()
    wrong = client.post(f"/r/{slug}/en/practise/", {"codename": "apple " * 7})
    assert "Not quite" in wrong.content.decode()


def test_the_reporter_comes_back_reads_the_question_and_answers_with_a_file(
    open_channel: OpenChannel,
) -> None:
    slug = open_channel.channel.slug
    codename = _codename(_post_report(Client(), slug))
    report = Report.objects.get()
    report_reply(
        actor=open_channel.personas.case_worker, report=report, text="Is your family safe?"
    )

    later = Client()  # another day, another browser: only the codename links them
    assert later.get(f"/r/{slug}/en/status/").status_code == 302
    wrong = later.post(f"/r/{slug}/en/follow-up/", {"codename": "apple " * 7})
    unknown_text = wrong.content.decode()
    assert wrong.status_code == 400 and "could not open a report" in unknown_text
    opened = later.post(f"/r/{slug}/en/follow-up/", {"codename": codename})
    assert opened.status_code == 302
    status = later.get(f"/r/{slug}/en/status/").content.decode()
    assert "Is your family safe?" in status and "Nobody has read it yet" in status
    in_russian = later.get(f"/r/{slug}/ru/status/").content.decode()
    assert "Nobody has read it yet" not in in_russian  # the status speaks the page's language
    sent = later.post(
        f"/r/{slug}/en/status/", {"text": "My brother was questioned.", "files": jpeg()}
    )
    assert sent.status_code == 200 and "Sent. Thank you." in sent.content.decode()
    assert ReportFile.objects.filter(report=report).count() == 1
    key = channel_unlock(user=open_channel.personas.case_worker, passphrase=CASE_WORKER_PASSPHRASE)
    assert report_open(report, key).messages[-1].text == "My brother was questioned."
    left = later.post(f"/r/{slug}/en/leave/")
    assert left.status_code == 302 and later.cookies[COOKIE].value == ""


def test_a_rejected_file_keeps_the_rest_of_the_form(open_channel: OpenChannel) -> None:
    client = Client()
    slug = open_channel.channel.slug
    bad = io.BytesIO(b"MZ\x90\x00 not a photo at all")
    bad.name = "photo.jpg"
    answer = client.post(f"/r/{slug}/en/new/", {"what_happened": STORY, "files": bad})
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "photo.jpg" in html and STORY in html
    assert not Report.objects.exists()


def test_an_empty_report_names_the_field(open_channel: OpenChannel) -> None:
    answer = Client().post(f"/r/{open_channel.channel.slug}/en/new/", {"when": "last spring"})
    html = answer.content.decode()
    assert answer.status_code == 400 and "What happened?" in html and "last spring" in html
    assert not Report.objects.exists()


def test_a_too_large_upload_gets_413_and_writes_nothing(open_channel: OpenChannel) -> None:
    from beyondreach.core.attachments import REPORT_MAX_BYTES

    client = Client()
    answer = client.post(
        f"/r/{open_channel.channel.slug}/en/new/",
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(REPORT_MAX_BYTES + 1),
    )
    assert answer.status_code == 413
    assert "Nothing was saved" in answer.content.decode()
    assert not Report.objects.exists()


def test_the_daily_limit_stops_a_flood_without_tracking_anyone(open_channel: OpenChannel) -> None:
    open_channel.channel.daily_limit = 2
    open_channel.channel.save()
    for _ in range(2):
        _post_report(Client(), open_channel.channel.slug)
    assert _post_report(Client(), open_channel.channel.slug) == "429"
    assert Report.objects.count() == 2


def test_the_trap_field_stops_robots(open_channel: OpenChannel) -> None:
    answer = Client().post(
        f"/r/{open_channel.channel.slug}/en/new/",
        {"what_happened": STORY, "website": "http://spam.example"},
    )
    assert answer.status_code == 400 and not Report.objects.exists()


def _every_row() -> list[tuple[str, dict[str, object]]]:
    return [
        (model._meta.label, row)
        for model in apps.get_models()
        for row in model.objects.values()  # type: ignore[attr-defined]
    ]


def _times(rows: list[tuple[str, dict[str, object]]]) -> set[tuple[str, str, object]]:
    return {
        (label, key, value)
        for label, row in rows
        for key, value in row.items()
        if isinstance(value, dt.datetime)
    }


def test_public_pages_keep_no_trace_of_the_reporter_in_any_table(
    open_channel: OpenChannel,
) -> None:
    before = _every_row()
    client = Client(
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="CanaryAgent/9.9",
        HTTP_REFERER="https://referrer-canary.example/",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    codename = _codename(_post_report(client, open_channel.channel.slug))
    client.post(f"/r/{open_channel.channel.slug}/en/follow-up/", {"codename": codename})
    client.post(f"/r/{open_channel.channel.slug}/en/status/", {"text": "More details."})
    after = _every_row()
    assert Report.objects.count() == 1
    dump = repr(after)
    for trace in ("203.0.113", "198.51.100", "CanaryAgent", "referrer-canary", STORY, codename):
        assert trace not in dump, trace
    # No new time of day anywhere: the report's rows carry the day only, no session row,
    # no audit event (both would date the visit to the second).
    assert _times(after) - _times(before) == set()


def test_public_pages_link_to_no_staff_page_and_offer_a_quick_exit(
    open_channel: OpenChannel,
) -> None:
    slug = open_channel.channel.slug
    for path in (f"/r/{slug}/", f"/r/{slug}/en/", f"/r/{slug}/en/new/", f"/r/{slug}/en/follow-up/"):
        html = Client().get(path).content.decode()
        assert "/login/" not in html and "/incidents/" not in html and "/reports/" not in html
        if path != f"/r/{slug}/":
            assert "Leave this site quickly" in html
        assert "<script" not in html


@pytest.mark.parametrize("lang", ["es", "ru", "zh-hans", "ar", "fa", "fr"])
def test_every_language_renders_the_form(open_channel: OpenChannel, lang: str) -> None:
    page = Client().get(f"/r/{open_channel.channel.slug}/{lang}/new/")
    assert page.status_code == 200 and f'lang="{lang}"' in page.content.decode()
    assert page["Content-Language"] == lang
    assert "؟:" not in page.content.decode() and "\uff1f:" not in page.content.decode()


def test_countries_are_named_in_the_reporters_language(open_channel: OpenChannel) -> None:
    slug = open_channel.channel.slug
    assert "Türkiye" in Client().get(f"/r/{slug}/en/new/").content.decode()
    assert "ألمانيا" in Client().get(f"/r/{slug}/ar/new/").content.decode()
    assert "Турция" in Client().get(f"/r/{slug}/ru/new/").content.decode()


def test_an_unknown_channel_or_language_is_404(open_channel: OpenChannel) -> None:
    assert Client().get("/r/nobody/en/").status_code == 404
    assert Client().get(f"/r/{open_channel.channel.slug}/xx/").status_code == 404


def test_the_published_keys_page_gives_the_verification_key(open_channel: OpenChannel) -> None:
    text = Client().get(f"/r/{open_channel.channel.slug}/key/").content.decode()
    assert proof_b64(bytes(open_channel.channel.verify_key)) in text


@pytest.mark.parametrize(
    ("lang", "days", "says"),
    [
        ("ru", 21, "через 21 день."),
        ("ru", 22, "через 22 дня."),
        ("ru", 90, "через 90 дней."),
        ("ar", 2, "بعد 2 يومين."),
        ("ar", 7, "بعد 7 أيام."),
        ("ar", 90, "بعد 90 يومًا."),
        ("fr", 1, "au bout de 1 jour."),
        ("en", 1, "destroyed after 1 day."),
        ("en", 90, "destroyed after 90 days."),
    ],
)
def test_the_retention_period_is_said_with_the_right_plural(
    open_channel: OpenChannel, lang: str, days: int, says: str
) -> None:
    channel = open_channel.channel
    channel.retention_days = days
    channel.save(update_fields=["retention_days"])
    page = Client().get(f"/r/{channel.slug}/{lang}/").content.decode()
    assert says in page


@pytest.mark.parametrize(
    ("lang", "says"),
    [("ru", "Не более 5 файлов,"), ("ar", "إلى 5 ملفات،")],  # noqa: RUF001 (Cyrillic)
)
def test_the_file_limit_is_said_with_the_right_plural(
    open_channel: OpenChannel, lang: str, says: str
) -> None:
    page = Client().get(f"/r/{open_channel.channel.slug}/{lang}/new/").content.decode()
    assert says in page


def _multipart(boundary: str, fields: dict[str, bytes], file: bytes) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + file
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def test_an_upload_cut_off_midway_is_refused_and_nothing_is_stored(
    open_channel: OpenChannel,
) -> None:
    slug = open_channel.channel.slug
    client = Client()
    photo = jpeg().getvalue()
    whole = _multipart("XyZ", {"what_happened": STORY.encode()}, photo)
    cut = whole[: whole.index(photo) + len(photo) // 2]  # the connection dropped mid-file
    answer = client.generic(
        "POST", f"/r/{slug}/en/new/", cut, content_type="multipart/form-data; boundary=XyZ"
    )
    assert answer.status_code == 400
    assert "did not arrive whole" in answer.content.decode()
    assert Report.objects.count() == 0 and ReportFile.objects.count() == 0
    # The same body sent whole is a report with its file.
    sent = client.generic(
        "POST", f"/r/{slug}/en/new/", whole, content_type="multipart/form-data; boundary=XyZ"
    )
    assert sent.status_code == 302 and ReportFile.objects.count() == 1


def test_text_that_is_not_utf8_is_refused_by_field(open_channel: OpenChannel) -> None:
    slug = open_channel.channel.slug
    body = _multipart("XyZ", {"what_happened": b"They came \xff\xfe at night"}, b"")
    answer = Client().generic(
        "POST", f"/r/{slug}/en/new/", body, content_type="multipart/form-data; boundary=XyZ"
    )
    html = answer.content.decode()
    assert answer.status_code == 400 and "could not be read" in html
    assert re.search(r'id="id_what_happened_error"|aria-invalid="true"', html)
    assert Report.objects.count() == 0
    plain = Client().post(
        f"/r/{slug}/en/follow-up/",
        b"codename=apple%FF%FE",
        content_type="application/x-www-form-urlencoded",
    )
    assert plain.status_code == 400 and "could not be read" in plain.content.decode()


def test_the_same_form_sent_twice_is_one_report_with_one_codename(
    open_channel: OpenChannel,
) -> None:
    slug = open_channel.channel.slug
    client = Client()
    form = client.get(f"/r/{slug}/en/new/").content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', form)
    assert token
    body = {"what_happened": STORY, "submission": token.group(1)}
    first = client.post(f"/r/{slug}/en/new/", body)
    double_click = Client().post(f"/r/{slug}/en/new/", body)  # the answer the browser shows
    assert first.status_code == double_click.status_code == 302
    assert Report.objects.count() == 1
    assert len(Report.objects.get().submission_lookup or "") == 64  # fits PostgreSQL's column
    shown = Client()
    shown.cookies = double_click.cookies
    codename = _codename(shown.get(f"/r/{slug}/en/receipt/").content.decode())
    assert codename == _codename(client.get(f"/r/{slug}/en/receipt/").content.decode())
    assert _codename(shown.get(f"/r/{slug}/en/receipt/").content.decode()) == codename  # reload
    assert Report.objects.get().submission_codename_sealed is None  # erased once shown
    again = Client().post(f"/r/{slug}/en/new/", body)  # resent later: still no second report
    assert again.status_code == 302 and Report.objects.count() == 1
    # The back button and other answers in the same form: a second report, a new codename.
    other = client.post(f"/r/{slug}/en/new/", {**body, "what_happened": "Another thing."})
    assert other.status_code == 302 and Report.objects.count() == 2
    assert _codename(client.get(f"/r/{slug}/en/receipt/").content.decode()) != codename
