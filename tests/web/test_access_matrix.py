"""Every URL pattern, walked with every role of two organisations and anonymously.

A user of another organisation can neither read nor infer anything: on every URL naming a
record of organisation A, the outsider gets exactly the answer a made-up id gets (404), and
lists show none of A's records. A new URL pattern without an entry here fails the test, so
no page escapes the walk.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from tnrwatch.cases.documents import incident_document_add
from tnrwatch.cases.services import incident_create
from tnrwatch.core.attachments import prepare_attachment
from tnrwatch.core.services import api_token_create
from tnrwatch.reports.models import Report
from tnrwatch.reports.services import channel_open, member_key_create, report_submit

from ..alerts.matrix import alerts_records
from ..api.conftest import incident_body
from ..cases.factories import incident_data
from ..conftest import Personas, verified_client
from ..referrals.matrix import referrals_records

TITLE = "Matrix canary incident"

# Per pattern: (kind, expected status for admin, case worker, analyst, viewer).
# kind: "public" (no login), "list" (lists the organisation's records), "record" (names one),
# "write" (names one and changes it), "api-*" (the same, through a bearer token).
PAGES: dict[str, tuple[str, tuple[int, int, int, int]]] = {
    "": ("public", (302, 302, 302, 302)),
    "login/": ("public", (200, 200, 200, 200)),
    "login/two-factor/": ("public", (302, 302, 200, 200)),
    "logout/": ("public", (405, 405, 405, 405)),
    "incidents/": ("list", (200, 200, 200, 200)),
    "incidents/new/": ("list-write", (200, 200, 403, 403)),
    "incidents/<str:incident_id>/": ("record", (200, 200, 200, 200)),
    "incidents/<str:incident_id>/edit/": ("write", (200, 200, 403, 403)),
    "incidents/<str:incident_id>/documents/": ("list-write", (405, 405, 403, 403)),
    "incidents/<str:incident_id>/documents/<str:document_id>/<str:variant>/": (
        "record",
        (200, 200, 403, 403),
    ),
    "persons/": ("list", (200, 200, 200, 200)),
    "persons/<str:person_id>/": ("record", (200, 200, 200, 200)),
    "persons/<str:person_id>/edit/": ("write", (200, 200, 403, 403)),
    # Sharing (tests/sharing walks these with real agreements and shares). Agreements: admins
    # only. Nothing is shared *with* this organisation here, so its own incident is no
    # "shared" record for it: 404, like any id that is not shared with the caller.
    "sharing/agreements/": ("list", (200, 403, 403, 403)),
    "sharing/agreements/accept/": ("list-write", (405, 405, 403, 403)),
    "sharing/agreements/end/": ("list-write", (405, 405, 403, 403)),
    "incidents/<str:incident_id>/share/": ("write", (200, 200, 403, 403)),
    "incidents/<str:incident_id>/share/revoke/": ("list-write", (405, 405, 403, 403)),
    "shared/": ("list", (200, 200, 200, 200)),
    "shared/<str:incident_id>/": ("record", (404, 404, 404, 404)),
    # Reports: admins and case workers only; a report opens only in an unlocked session, so
    # here (not unlocked) its pages send them to unlock. tests/reports walks them unlocked.
    "reports/": ("list", (302, 302, 403, 403)),
    "reports/setup/": ("list", (200, 200, 403, 403)),
    "reports/setup/passphrase/": ("list-write", (405, 405, 403, 403)),
    "reports/setup/open/": ("list-write", (405, 405, 403, 403)),
    "reports/setup/recover/": ("list-write", (405, 405, 403, 403)),
    "reports/setup/retention/": ("list-write", (405, 405, 403, 403)),
    "reports/setup/grant/<str:user_id>/": ("list-write", (405, 405, 403, 403)),
    "reports/unlock/": ("list", (200, 200, 403, 403)),
    "reports/lock/": ("list-write", (405, 405, 403, 403)),
    "reports/<str:report_id>/": ("record", (302, 302, 403, 403)),
    "reports/<str:report_id>/status/": ("list-write", (405, 405, 403, 403)),
    "reports/<str:report_id>/reply/": ("list-write", (405, 405, 403, 403)),
    "reports/<str:report_id>/incident/": ("record", (302, 302, 403, 403)),
    "reports/<str:report_id>/files/<str:file_id>/<str:variant>/": (
        "record",
        (302, 302, 403, 403),
    ),
    # Alerts (tests/alerts): every member keeps their own rules; focal points and their
    # rules are admins'; deadlines are for admins and case workers; the outbox for admins.
    "alerts/": ("list", (200, 200, 200, 200)),
    "alerts/email/": ("list-write", (405, 405, 405, 405)),
    "alerts/new/": ("list", (200, 200, 200, 200)),
    "alerts/focal-points/": ("list", (200, 403, 403, 403)),
    "alerts/focal-points/new/": ("list-write", (200, 403, 403, 403)),
    "alerts/focal-points/<str:focal_point_id>/": ("record", (200, 403, 403, 403)),
    "alerts/focal-points/<str:focal_point_id>/secret/": ("list-write", (405, 405, 403, 403)),
    "alerts/focal-points/<str:focal_point_id>/alerts/new/": ("record", (200, 403, 403, 403)),
    "alerts/<str:subscription_id>/edit/": ("record", (200, 403, 403, 403)),
    "alerts/<str:subscription_id>/delete/": ("list-write", (405, 405, 405, 405)),
    "deadlines/": ("list", (200, 200, 403, 403)),
    "deadlines/new/": ("list-write", (200, 200, 403, 403)),
    "deadlines/<str:deadline_id>/edit/": ("record", (200, 200, 403, 403)),
    "deadlines/<str:deadline_id>/done/": ("list-write", (405, 405, 403, 403)),
    "outbox/": ("list", (200, 403, 403, 403)),
    "outbox/<str:message_id>/retry/": ("list-write", (405, 405, 403, 403)),
    # Referrals (tests/referrals): bodies are admins'; writers send and follow up; every
    # member sees a referral's status; the body's link needs no login (a live token here).
    "referrals/bodies/": ("list", (200, 403, 403, 403)),
    "referrals/bodies/<str:body_id>/": ("record", (200, 403, 403, 403)),
    "incidents/<str:incident_id>/referrals/new/": ("write", (200, 200, 403, 403)),
    "referrals/<str:referral_id>/": ("record", (200, 200, 200, 200)),
    "referrals/<str:referral_id>/acknowledge/": ("list-write", (405, 405, 403, 403)),
    "referrals/<str:referral_id>/revoke/": ("list-write", (405, 405, 403, 403)),
    "referral/<str:token>/": ("public", (200, 200, 200, 200)),
    # The public reporting pages: no login, the same for everyone, and no record in them.
    "r/<slug:slug>/": ("public", (200, 200, 200, 200)),
    "r/<slug:slug>/key/": ("public", (200, 200, 200, 200)),
    "r/<slug:slug>/<str:lang>/": ("public", (200, 200, 200, 200)),
    "r/<slug:slug>/<str:lang>/new/": ("public", (200, 200, 200, 200)),
    "r/<slug:slug>/<str:lang>/practise/": ("public", (405, 405, 405, 405)),
    "r/<slug:slug>/<str:lang>/follow-up/": ("public", (200, 200, 200, 200)),
    "r/<slug:slug>/<str:lang>/status/": ("public", (302, 302, 302, 302)),
    "r/<slug:slug>/<str:lang>/proof/": ("public", (302, 302, 302, 302)),
    "r/<slug:slug>/<str:lang>/leave/": ("public", (405, 405, 405, 405)),
}


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def all_patterns() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


# The API, through bearer tokens: the same organisation and role rules as the pages.
# kind "public" here: documents that describe the API and hold no record.
API: dict[str, tuple[str, tuple[int, int, int, int]]] = {
    "api/v1/": ("public", (404, 404, 404, 404)),
    "api/v1/openapi.json": ("public", (200, 200, 200, 200)),
    "api/v1/schema/incident.json": ("public", (200, 200, 200, 200)),
    "api/v1/vocabularies": ("list", (200, 200, 200, 200)),
    "api/v1/vocabularies/<name>": ("list", (200, 200, 200, 200)),
    "api/v1/incidents": ("list", (200, 200, 200, 200)),
    "api/v1/incidents/<incident_id>": ("record", (200, 200, 200, 200)),
    "api/v1/incidents/<incident_id>/history": ("record", (200, 200, 200, 200)),
    "api/v1/incidents/<incident_id>/sources": ("record", (200, 200, 200, 200)),
    "api/v1/persons": ("list", (200, 200, 200, 200)),
    "api/v1/persons/<person_id>": ("record", (200, 200, 200, 200)),
    "api/v1/shared/incidents": ("list", (200, 200, 200, 200)),
    "api/v1/shared/incidents/<incident_id>": ("record", (404, 404, 404, 404)),
    "api/v1/deadlines": ("list", (200, 200, 403, 403)),
    "api/v1/incidents/<incident_id>/referrals": ("record", (200, 200, 200, 200)),
}


def test_every_url_pattern_has_an_expected_answer_for_every_role() -> None:
    missing = [p for p in all_patterns() if p not in PAGES and p not in API]
    assert missing == [], f"add these URL patterns to the access matrix: {missing}"


def _unmasked(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def _fill(pattern: str, ids: dict[str, str]) -> str:
    path = "/" + pattern
    for name, value in ids.items():
        for form in (f"<str:{name}>", f"<slug:{name}>", f"<{name}>"):
            path = path.replace(form, value)
    assert "<" not in path, f"no value for a parameter of {pattern}"
    return path


@pytest.fixture
def records(personas: Personas) -> dict[str, str]:
    incident = incident_create(actor=personas.case_worker, data=incident_data(title=TITLE))
    person = incident.targets.first()
    assert person is not None
    member_key_create(user=personas.admin, passphrase="matrix reporting passphrase")
    channel, _recovery = channel_open(actor=personas.admin, slug="matrix")
    photo = prepare_attachment("photo.png", _png())
    receipt = report_submit(
        channel=channel, language="en", answers={"what_happened": TITLE}, attachments=[photo]
    )
    report_file = receipt.report.files.get()
    document = incident_document_add(
        actor=personas.case_worker, incident=incident, attachment=photo
    )
    return {
        "incident_id": str(incident.uuid),
        **alerts_records(personas, incident),
        **referrals_records(personas, incident),
        "person_id": str(person.person.uuid),
        "report_id": str(receipt.report.uuid),
        "file_id": str(report_file.uuid),
        "document_id": str(document.uuid),
    }


# Values that name no record (and so stay the same for the made-up walk).
FIXED = {"slug": "matrix", "lang": "en", "variant": "clean", "user_id": str(uuid.UUID(int=7))}


def _png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 0)).save(data, "PNG")
    return data.getvalue()


@pytest.mark.parametrize("pattern", [p for p in PAGES])
def test_each_role_gets_its_answer_and_the_outsider_learns_nothing(
    pattern: str, personas: Personas, records: dict[str, str]
) -> None:
    kind, expected = PAGES[pattern]
    path = _fill(pattern, {**records, **FIXED})
    users = [personas.admin, personas.case_worker, personas.analyst, personas.viewer]
    for user, status in zip(users, expected, strict=True):
        answer = verified_client(user).get(path)
        assert answer.status_code == status, (user.role, path)

    outsider = verified_client(personas.outsider)
    answer = outsider.get(path)
    made_up = outsider.get(_fill(pattern, {**{k: str(uuid.uuid4()) for k in records}, **FIXED}))
    if kind in ("record", "write"):
        assert answer.status_code == made_up.status_code == 404
        # Not even the error page differs (but for the per-response masked CSRF token).
        assert _unmasked(answer.content) == _unmasked(made_up.content)
    else:
        assert TITLE not in answer.content.decode(errors="replace")
        assert "Gulnara" not in answer.content.decode(errors="replace")

    anonymous = Client().get(path)
    if kind == "public":
        assert anonymous.status_code in (200, 302, 405)
    else:
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def _bearer(user: object) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user)}"}  # type: ignore[arg-type]


@pytest.mark.parametrize("pattern", list(API))
def test_each_role_gets_its_api_answer_and_the_outsider_learns_nothing(
    pattern: str, personas: Personas, records: dict[str, str]
) -> None:
    kind, expected = API[pattern]
    ids = {**records, "name": "tactics"}
    path = _fill(pattern, ids)
    users = [personas.admin, personas.case_worker, personas.analyst, personas.viewer]
    for user, status in zip(users, expected, strict=True):
        assert Client().get(path, headers=_bearer(user)).status_code == status, (user.role, path)

    outsider = _bearer(personas.outsider)
    answer = Client().get(path, headers=outsider)
    made_up = Client().get(
        _fill(pattern, {**{k: str(uuid.uuid4()) for k in records}, "name": "tactics"}),
        headers=outsider,
    )
    if kind == "record":
        assert answer.status_code == made_up.status_code == 404
        assert answer.content == made_up.content
    else:
        body = answer.content.decode()
        assert TITLE not in body and "Gulnara" not in body and records["incident_id"] not in body

    anonymous = Client().get(path)
    assert anonymous.status_code == (expected[0] if kind == "public" else 401)


def test_an_outsider_cannot_change_a_record_through_the_api(
    personas: Personas, records: dict[str, str]
) -> None:
    answer = Client().put(
        f"/api/v1/incidents/{records['incident_id']}",
        data=incident_body(title="pwned"),
        content_type="application/json",
        headers=_bearer(personas.outsider),
    )
    assert answer.status_code == 404
    assert TITLE not in answer.content.decode()


def test_an_outsider_cannot_change_a_record_by_posting(
    personas: Personas, records: dict[str, str]
) -> None:
    outsider = verified_client(personas.outsider)
    for pattern in (
        "incidents/<str:incident_id>/edit/",
        "persons/<str:person_id>/edit/",
        "reports/<str:report_id>/status/",
        "reports/<str:report_id>/reply/",
        "reports/<str:report_id>/incident/",
        "incidents/<str:incident_id>/documents/",
    ):
        answer = outsider.post(_fill(pattern, records), {"title": "pwned", "status": "spam"})
        assert answer.status_code == 404, pattern
    assert Report.objects.get(uuid=records["report_id"]).status == "new"


def test_analyst_and_viewer_see_the_incident_with_identities_withheld(
    personas: Personas, records: dict[str, str]
) -> None:
    for user in (personas.analyst, personas.viewer):
        page = verified_client(user).get(_fill("incidents/<str:incident_id>/", records))
        html = page.content.decode()
        assert TITLE not in html and "Gulnara" not in html and "A-1234/5-2023" not in html
        assert "[withheld]" in html and "P-" in html
    page = verified_client(personas.case_worker).get(_fill("incidents/<str:incident_id>/", records))
    assert TITLE in page.content.decode() and "Gulnara Tokhtieva" in page.content.decode()


def test_api_tokens_are_minted_per_user(personas: Personas) -> None:
    assert api_token_create(user=personas.analyst) != api_token_create(user=personas.analyst)
