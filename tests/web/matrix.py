"""The access matrix: every URL pattern, every HTTP method, every role; and its records.

tests/web/test_access_matrix.py walks it for access, tests/web/test_visible_text.py for what
the pages show. Each entry gives, per method the URL accepts, the status that an admin, a
case worker, an analyst and a viewer of the organisation get, in that order. A method not
listed must answer 405 (or 403 to a role refused on every listed method, whose role check
comes first), so a new POST-only or DELETE route without an entry fails the walk.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import date

from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from beyondreach.cases.documents import incident_document_add
from beyondreach.cases.inputs import (
    ActorData,
    IncidentData,
    MechanismData,
    NameData,
    PersonData,
    ResponseData,
    SourceData,
    TargetData,
)
from beyondreach.cases.merges import person_merge
from beyondreach.cases.services import incident_create, person_create
from beyondreach.core.attachments import prepare_attachment
from beyondreach.reports.services import channel_open, member_key_create, report_submit

from ..accountability import matrix_api, matrix_ccf, matrix_interpol, matrix_perpetrators
from ..alerts.matrix import alerts_records
from ..cases import matrix_organisations
from ..cases.factories import incident_data
from ..conftest import Personas
from ..interchange import matrix_exports, matrix_imports
from ..referrals.matrix import referrals_records
from ..screening import matrix_screening
from ..statistics import matrix_publish

TITLE = "Matrix canary incident"
NAME = "Gulnara"  # the primary target's name: never shown to an outsider

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# The view answers every method alike (it does not look at the method).
EVERY = " ".join(METHODS)

Roles = tuple[int, int, int, int]  # admin, case worker, analyst, viewer
# kind: "public" (no login needed) or "staff"; then per method (or methods, space-separated).
Entry = tuple[str, dict[str, Roles]]

PAGES: dict[str, Entry] = {
    "": ("public", {"GET HEAD": (302, 302, 302, 302)}),
    "login/": ("public", {"GET POST": (200, 200, 200, 200)}),
    "login/two-factor/": ("public", {"GET POST": (302, 302, 200, 200)}),
    "logout/": ("public", {"POST": (302, 302, 302, 302)}),
    # An empty POST to a form is a bad request: 400 with the form's errors.
    "incidents/": ("staff", {"GET HEAD POST": (200, 200, 200, 200)}),
    "incidents/new/": ("staff", {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)}),
    "incidents/<str:incident_id>/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "incidents/<str:incident_id>/edit/": (
        "staff",
        {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)},
    ),
    "incidents/<str:incident_id>/documents/": ("staff", {"POST": (302, 302, 403, 403)}),
    "incidents/<str:incident_id>/documents/<str:document_id>/<str:variant>/": (
        "staff",
        {"GET": (200, 200, 403, 403)},
    ),
    "persons/": ("staff", {"GET HEAD POST": (200, 200, 200, 200)}),
    "persons/<str:person_id>/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "persons/<str:person_id>/edit/": (
        "staff",
        {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)},
    ),
    "persons/<str:person_id>/merge/": (
        "staff",
        {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)},
    ),
    # An undo of a merge undone already changes nothing and goes back to the person.
    "persons/merges/<str:merge_id>/undo/": ("staff", {"POST": (302, 302, 403, 403)}),
    # Statistics (tests/statistics): counts, for every role; without a query, the defaults.
    "statistics/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    # The printable report: the last full year without a query.
    "statistics/report/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/report/chart.svg": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/table.csv": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/table.xlsx": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/chart.svg": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/chart.png": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/map.svg": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/map.png": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/flows.csv": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "statistics/flows.xlsx": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    # Sharing (tests/sharing walks these with real agreements and shares). Agreements: admins
    # only; an empty accept or end names no agreement: 404. Nothing is shared *with* this
    # organisation here, so its own incident is no "shared" record for it: 404, like any id
    # that is not shared with the caller.
    "sharing/agreements/": ("staff", {"GET POST": (200, 403, 403, 403)}),
    "sharing/agreements/accept/": ("staff", {"POST": (404, 403, 403, 403)}),
    "sharing/agreements/end/": ("staff", {"POST": (404, 403, 403, 403)}),
    "incidents/<str:incident_id>/share/": ("staff", {"GET POST": (200, 200, 403, 403)}),
    "incidents/<str:incident_id>/share/revoke/": ("staff", {"POST": (404, 404, 403, 403)}),
    "shared/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "shared/<str:incident_id>/": ("staff", {"GET HEAD": (404, 404, 404, 404)}),
    # Reports: admins and case workers only; a report opens only in an unlocked session, so
    # here (not unlocked) its pages send them to unlock. tests/reports walks them unlocked.
    "reports/": ("staff", {"GET HEAD": (302, 302, 403, 403)}),
    "reports/setup/": ("staff", {"GET POST": (200, 200, 403, 403)}),
    "reports/setup/passphrase/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/setup/open/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/setup/recover/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/setup/retention/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/setup/grant/<str:user_id>/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/unlock/": ("staff", {"GET POST": (200, 200, 403, 403)}),
    "reports/lock/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/<str:report_id>/": ("staff", {"GET HEAD": (302, 302, 403, 403)}),
    "reports/<str:report_id>/status/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/<str:report_id>/reply/": ("staff", {"POST": (302, 302, 403, 403)}),
    "reports/<str:report_id>/incident/": ("staff", {"GET POST": (302, 302, 403, 403)}),
    "reports/<str:report_id>/files/<str:file_id>/<str:variant>/": (
        "staff",
        {"GET HEAD": (302, 302, 403, 403)},
    ),
    # Alerts (tests/alerts): every member keeps their own rules; focal points and their
    # rules are admins'; deadlines are for admins and case workers; the outbox for admins.
    "alerts/": ("staff", {"GET HEAD": (200, 200, 200, 200)}),
    "alerts/email/": ("staff", {"POST": (400, 400, 400, 400)}),
    "alerts/new/": ("staff", {"GET": (200, 200, 200, 200), "POST": (302, 302, 302, 302)}),
    "alerts/focal-points/": ("staff", {"GET HEAD": (200, 403, 403, 403)}),
    "alerts/focal-points/new/": (
        "staff",
        {"GET": (200, 403, 403, 403), "POST": (400, 403, 403, 403)},
    ),
    "alerts/focal-points/<str:focal_point_id>/": (
        "staff",
        {"GET": (200, 403, 403, 403), "POST": (400, 403, 403, 403)},
    ),
    "alerts/focal-points/<str:focal_point_id>/secret/": ("staff", {"POST": (200, 403, 403, 403)}),
    "alerts/focal-points/<str:focal_point_id>/alerts/new/": (
        "staff",
        {"GET": (200, 403, 403, 403), "POST": (302, 403, 403, 403)},
    ),
    "alerts/<str:subscription_id>/edit/": (
        "staff",
        {"GET": (200, 403, 403, 403), "POST": (302, 403, 403, 403)},
    ),
    "alerts/<str:subscription_id>/delete/": ("staff", {"POST": (302, 403, 403, 403)}),
    "deadlines/": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
    "deadlines/new/": ("staff", {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)}),
    "deadlines/<str:deadline_id>/edit/": (
        "staff",
        {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)},
    ),
    "deadlines/<str:deadline_id>/done/": ("staff", {"POST": (302, 302, 403, 403)}),
    "outbox/": ("staff", {"GET HEAD": (200, 403, 403, 403)}),
    "outbox/<str:message_id>/retry/": ("staff", {"POST": (302, 403, 403, 403)}),
    # Referrals (tests/referrals): bodies are admins'; writers send and follow up; every
    # member sees a referral's status; the body's link needs no login (a live token here).
    "referrals/bodies/": ("staff", {"GET": (200, 403, 403, 403), "POST": (400, 403, 403, 403)}),
    "referrals/bodies/<str:body_id>/": (
        "staff",
        {"GET": (200, 403, 403, 403), "POST": (400, 403, 403, 403)},
    ),
    "incidents/<str:incident_id>/referrals/new/": (
        "staff",
        {"GET": (200, 200, 403, 403), "POST": (400, 400, 403, 403)},
    ),
    "referrals/<str:referral_id>/": (
        "staff",
        {"GET": (200, 200, 200, 200), "POST": (302, 302, 403, 403)},
    ),
    "referrals/<str:referral_id>/acknowledge/": ("staff", {"POST": (302, 302, 403, 403)}),
    "referrals/<str:referral_id>/revoke/": ("staff", {"POST": (302, 302, 403, 403)}),
    "referral/<str:token>/": (
        "public",
        {"GET": (200, 200, 200, 200), "POST": (302, 302, 302, 302)},
    ),
    # The public reporting pages: no login, the same for everyone, and no record in them.
    "r/<slug:slug>/": ("public", {"GET HEAD": (200, 200, 200, 200)}),
    "r/<slug:slug>/key/": ("public", {"GET HEAD": (200, 200, 200, 200)}),
    "r/<slug:slug>/<str:lang>/": ("public", {"GET HEAD": (200, 200, 200, 200)}),
    "r/<slug:slug>/<str:lang>/new/": (
        "public",
        {"GET": (200, 200, 200, 200), "POST": (400, 400, 400, 400)},
    ),
    # The receipt after a submission (POST/redirect/GET); without a reporter cookie it sends
    # the visitor to the follow-up page.
    "r/<slug:slug>/<str:lang>/receipt/": ("public", {"GET HEAD": (302, 302, 302, 302)}),
    "r/<slug:slug>/<str:lang>/practise/": ("public", {"POST": (302, 302, 302, 302)}),
    "r/<slug:slug>/<str:lang>/follow-up/": ("public", {"GET POST": (200, 200, 200, 200)}),
    "r/<slug:slug>/<str:lang>/status/": ("public", {"GET HEAD POST": (302, 302, 302, 302)}),
    "r/<slug:slug>/<str:lang>/proof/": ("public", {"GET HEAD": (302, 302, 302, 302)}),
    "r/<slug:slug>/<str:lang>/leave/": ("public", {"POST": (302, 302, 302, 302)}),
    # Each capability below keeps its own entries beside its tests.
    **matrix_imports.PAGES,
    **matrix_exports.PAGES,
    **matrix_publish.PAGES,
    **matrix_organisations.PAGES,
    **matrix_interpol.PAGES,
    **matrix_ccf.PAGES,
    **matrix_perpetrators.PAGES,
    **matrix_screening.PAGES,
}

# The API, through bearer tokens: the same organisation and role rules as the pages. Writes
# send a valid body (API_BODIES), so that a refusal is the record's or the role's, not the
# body's. kind "public": documents that describe the API and hold no record.
API: dict[str, Entry] = {
    "api/v1/": ("public", {EVERY: (404, 404, 404, 404)}),
    "api/v1/openapi.json": ("public", {EVERY: (200, 200, 200, 200)}),
    "api/v1/schema/incident.json": ("public", {"GET": (200, 200, 200, 200)}),
    "api/v1/vocabularies": ("staff", {"GET": (200, 200, 200, 200)}),
    "api/v1/vocabularies/<name>": ("staff", {"GET": (200, 200, 200, 200)}),
    "api/v1/incidents": ("staff", {"GET": (200, 200, 200, 200), "POST": (201, 201, 403, 403)}),
    "api/v1/incidents/<incident_id>": (
        "staff",
        {"GET": (200, 200, 200, 200), "PUT": (200, 200, 403, 403)},
    ),
    "api/v1/incidents/<incident_id>/history": ("staff", {"GET": (200, 200, 200, 200)}),
    "api/v1/incidents/<incident_id>/sources": ("staff", {"GET": (200, 200, 200, 200)}),
    "api/v1/persons": ("staff", {"GET": (200, 200, 200, 200), "POST": (201, 201, 403, 403)}),
    "api/v1/persons/<person_id>": ("staff", {"GET": (200, 200, 200, 200)}),
    "api/v1/shared/incidents": ("staff", {"GET": (200, 200, 200, 200)}),
    "api/v1/shared/incidents/<incident_id>": ("staff", {"GET": (404, 404, 404, 404)}),
    "api/v1/deadlines": ("staff", {"GET": (200, 200, 403, 403)}),
    "api/v1/incidents/<incident_id>/referrals": ("staff", {"GET": (200, 200, 200, 200)}),
    # Without `rows`, a table of nothing: 422 (tests/statistics asks with one, for every role).
    "api/v1/statistics": ("staff", {"GET": (422, 422, 422, 422)}),
    "api/v1/statistics/flows": ("staff", {"GET": (200, 200, 200, 200)}),
    **matrix_imports.API,
    **matrix_exports.API,
    **matrix_publish.API,
    **matrix_api.API,
}


def answers(entry: Entry) -> dict[str, Roles]:
    """The entry's answers by single method: {"GET POST": x} -> {"GET": x, "POST": x}."""
    return {method: roles for key, roles in entry[1].items() for method in key.split()}


def unlisted_answers(entry: Entry, role: int) -> set[int]:
    """What a role may get from a method the URL does not accept."""
    listed = [roles[role] for roles in answers(entry).values()]
    return {405, 403} if all(status == 403 for status in listed) else {405}


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def all_patterns() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


# Values that name no record (and so stay the same for the made-up walk).
FIXED = {"slug": "matrix", "lang": "en", "variant": "clean", "name": "tactics"}


def fill(pattern: str, ids: dict[str, str]) -> str:
    path = "/" + pattern
    for name, value in ids.items():
        for form in (f"<str:{name}>", f"<slug:{name}>", f"<{name}>"):
            path = path.replace(form, value)
    assert "<" not in path, f"no value for a parameter of {pattern}"
    return path


def names_a_record(pattern: str, records: dict[str, str]) -> bool:
    return any(f"{name}>" in pattern for name in records)


def made_up(records: dict[str, str]) -> dict[str, str]:
    """Ids of the same shape that name nothing."""
    return {name: str(uuid.uuid4()) for name in records}


def png() -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 0, 0)).save(data, "PNG")
    return data.getvalue()


def coded_incident(title: str) -> IncidentData:
    """An incident that uses many codes of every vocabulary and choice a page shows."""
    data = incident_data(title=title, status="referred", start_precision="month")
    data.tactics = [
        "host_detention",
        "interpol_abuse",
        "family_coercion",
        "terrorist_designation",
        "prosecution_in_absentia",
        "smear_campaign",
        "overseas_police_station",
    ]
    data.origin_states = ["CN", "RU"]
    primary = data.targets[0]
    assert primary.person is not None
    primary.person.statuses = ["human_rights_defender", "targeted_group_member"]
    primary.person.residence_status = "asylum_seeker"
    data.targets.append(
        TargetData(
            role="associate",
            target_group="cleric_or_alleged_extremist",
            person=PersonData(
                names=[NameData("Dilnoza Karimova", "Latn")],
                statuses=["former_official", "opposition_member"],
            ),
        )
    )
    data.actors = [
        ActorData(role="perpetrator", actor_type="security_service", country="CN"),
        ActorData(role="proxy", actor_type="diaspora_group", country="TR"),
        ActorData(role="host_authority", actor_type="immigration_authority", country="TR"),
        ActorData(role="company", actor_type="private_firm", name="Example Spyware Ltd"),
        ActorData(role="perpetrator", actor_type="consulate_embassy", country="CN"),
        ActorData(role="perpetrator", actor_type="state_media", country="CN"),
    ]
    data.mechanisms = [
        MechanismData(
            kind="interpol_red_notice", reference="A-1234/5-2023", issued_by="CN", status="active"
        ),
        MechanismData(kind="interpol_diffusion", issued_by="CN", status="withdrawn"),
        MechanismData(kind="extradition_request", issued_by="CN", status="refused"),
        MechanismData(kind="terrorist_designation", issued_by="CN", status="challenged"),
        MechanismData(kind="conviction_in_absentia", issued_by="CN", status="enforced"),
        MechanismData(kind="passport_cancellation", issued_by="CN", status="unknown"),
    ]
    data.sources = [
        SourceData(
            reference="https://news.example.org/poet-detained",
            publisher="Example News",
            reliability="reliable",
            independent=True,
        ),
        SourceData(
            reference="https://rights.example.org/report",
            publisher="Example Rights",
            reliability="usually_reliable",
            independent=True,
            published_on=date(2024, 4, 2),
        ),
        SourceData(reference="Interview notes", kind="testimony", reliability="unknown"),
    ]
    data.responses = [
        ResponseData(kind="protection_measure", outcome="partial"),
        ResponseData(kind="legal_challenge", outcome="pending"),
    ]
    return data


def matrix_records(personas: Personas) -> dict[str, str]:
    """One record of organisation A behind every URL parameter that names one."""
    incident = incident_create(actor=personas.case_worker, data=coded_incident(TITLE))
    person = incident.targets.first()
    assert person is not None
    member_key_create(user=personas.admin, passphrase="matrix reporting passphrase")
    channel, _recovery = channel_open(actor=personas.admin, slug="matrix")
    photo = prepare_attachment("photo.png", png())
    receipt = report_submit(
        channel=channel, language="en", answers={"what_happened": TITLE}, attachments=[photo]
    )
    document = incident_document_add(
        actor=personas.case_worker, incident=incident, attachment=photo
    )
    twice = [
        person_create(actor=personas.case_worker, data=PersonData(names=[NameData("Matrix Twin")]))
        for _ in range(2)
    ]
    merge = person_merge(actor=personas.case_worker, survivor=twice[0], merged=twice[1])
    return {
        "merge_id": str(merge.uuid),
        "incident_id": str(incident.uuid),
        **alerts_records(personas, incident),
        **referrals_records(personas, incident),
        **matrix_imports.records(personas, incident),
        **matrix_exports.records(personas, incident),
        **matrix_publish.records(personas, incident),
        **matrix_organisations.records(personas, incident),
        **matrix_interpol.records(personas, incident),
        **matrix_perpetrators.records(personas, incident),
        **matrix_screening.records(personas, incident),
        "person_id": str(person.person.uuid),
        "report_id": str(receipt.report.uuid),
        "file_id": str(receipt.report.files.get().uuid),
        "document_id": str(document.uuid),
        "user_id": str(personas.case_worker.uuid),
    }
