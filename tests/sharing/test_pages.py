"""The sharing pages: the handshake, the share form and its errors, the owner's and the
partner's views, and the third organisation that learns nothing on any sharing URL."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern

from beyondreach.cases.services import incident_create
from beyondreach.core.models import AuditEvent
from beyondreach.core.services import user_create
from beyondreach.sharing import urls as sharing_urls
from beyondreach.sharing.models import Agreement, AgreementStatus, Share
from beyondreach.sharing.services import share_revoke

from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas, verified_client
from .conftest import TITLE, Partners, consenting, record, share


def _text(answer: object) -> str:
    return answer.content.decode()  # type: ignore[attr-defined]


# --- The handshake ----------------------------------------------------------------------


def test_two_admins_agree_through_the_pages(personas: Personas) -> None:
    b_admin = user_create(
        organisation=personas.other_org, username="bea", password=PASSWORD, role="admin"
    )
    b = verified_client(b_admin)
    code = re.search(
        r'<code id="sharing-code">([^<]+)</code>', _text(b.get("/sharing/agreements/"))
    )
    assert code and code.group(1) == str(personas.other_org.uuid)

    a = verified_client(personas.admin)
    proposed = a.post("/sharing/agreements/", {"partner_code": code.group(1)})
    assert proposed.status_code == 302
    assert "waiting for them" in _text(a.get("/sharing/agreements/"))
    page = _text(b.get("/sharing/agreements/"))
    assert "Safeguard Exiles" in page and "waiting for you" in page
    agreement = Agreement.objects.get()
    assert b.post("/sharing/agreements/accept/", {"agreement": agreement.uuid}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert "Agreement with Safeguard Exiles accepted." in _text(b.get("/sharing/agreements/"))

    assert a.post("/sharing/agreements/end/", {"agreement": agreement.uuid}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED


def test_a_bad_partner_code_is_a_form_error(partners: Partners) -> None:
    admin = verified_client(partners.personas.admin)
    for code, message in (
        ("not-a-code", "Enter a sharing code as shown on the partner&#x27;s page."),
        ("", "This field is required."),
        (str(uuid.uuid4()), "No organisation has this sharing code."),
        (str(partners.a.uuid), "That is your own organisation&#x27;s code."),
        (str(partners.b.uuid), "There is already a proposed or active agreement with Other"),
        ("x" * 10_000, "Enter a sharing code"),
    ):
        answer = admin.post("/sharing/agreements/", {"partner_code": code})
        assert answer.status_code == 400, code
        assert message in _text(answer), code
    assert Agreement.objects.count() == 1


def test_case_workers_do_not_manage_agreements(partners: Partners) -> None:
    worker = verified_client(partners.a_case_worker)
    assert worker.get("/sharing/agreements/").status_code == 403
    assert (
        worker.post("/sharing/agreements/", {"partner_code": str(partners.c_org.uuid)}).status_code
        == 403
    )
    answer = worker.post("/sharing/agreements/end/", {"agreement": partners.agreement.uuid})
    assert answer.status_code == 403
    assert Agreement.objects.get().status == AgreementStatus.ACTIVE


def test_a_malformed_agreement_id_is_not_found(partners: Partners) -> None:
    admin = verified_client(partners.b_admin)
    for value in ("", "garbage", str(uuid.uuid4())):
        assert admin.post("/sharing/agreements/accept/", {"agreement": value}).status_code == 404
    answer = admin.post("/sharing/agreements/accept/", {"agreement": partners.agreement.uuid})
    assert answer.status_code == 302  # already active: a message, not a crash
    assert "not waiting for acceptance" in _text(admin.get("/sharing/agreements/"))


# --- Sharing from the incident page -----------------------------------------------------


def test_a_case_worker_shares_from_the_incident_page_and_revokes(partners: Partners) -> None:
    incident = record(partners)
    worker = verified_client(partners.a_case_worker)
    detail = _text(worker.get(f"/incidents/{incident.uuid}/"))
    assert (
        "Not shared with any partner." in detail and f"/incidents/{incident.uuid}/share/" in detail
    )
    form = _text(worker.get(f"/incidents/{incident.uuid}/share/"))
    assert "Other Network" in form and "bea_admin (Admin)" in form
    assert "<strong>has not agreed</strong>" in form
    answer = worker.post(
        f"/incidents/{incident.uuid}/share/",
        {"partner": str(partners.b.uuid), "level": "pseudonymised"},
    )
    assert answer.status_code == 302 and answer["Location"] == f"/incidents/{incident.uuid}/"
    detail = _text(worker.get(answer["Location"]))
    assert (
        "Shared with <strong>Other Network</strong>: pseudonymised, for the whole organisation"
        in detail
    )
    shared = Share.objects.get()
    b = verified_client(partners.b_case_worker)
    assert b.get(f"/shared/{incident.uuid}/").status_code == 200

    revoked = worker.post(f"/incidents/{incident.uuid}/share/revoke/", {"share": shared.uuid})
    assert revoked.status_code == 302
    assert "Revoked: Other Network can no longer open this incident." in _text(
        worker.get(revoked["Location"])
    )
    assert b.get(f"/shared/{incident.uuid}/").status_code == 404
    again = worker.post(f"/incidents/{incident.uuid}/share/revoke/", {"share": shared.uuid})
    assert again.status_code == 404  # nothing live to revoke


def test_analysts_of_the_owner_see_the_shares_but_cannot_share(partners: Partners) -> None:
    incident = record(partners)
    share(partners, incident)
    analyst = verified_client(partners.personas.analyst)
    detail = _text(analyst.get(f"/incidents/{incident.uuid}/"))
    assert "Shared with <strong>Other Network</strong>" in detail and "Revoke" not in detail
    assert analyst.get(f"/incidents/{incident.uuid}/share/").status_code == 403


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"level": "pseudonymised"}, "Partner organisation", "This field is required."),
        ({"partner": "nope", "level": "full"}, "Partner organisation", "Select a valid choice."),
        ({"partner": "B", "level": "everything"}, "What they may see", "Select a valid choice."),
        ({"partner": "B", "level": "pseudonymised", "readers": "x"}, "Named people", "valid"),
        ({"partner": "B"}, "What they may see", "This field is required."),
        ({"partner": "B", "level": "counted", "readers": "B_ADMIN"}, "Named people", "no readers"),
    ],
)
def test_bad_share_input_comes_back_as_form_errors(
    partners: Partners, fields: dict[str, str], field: str, message: str
) -> None:
    incident = record(partners)
    values = {"B": str(partners.b.uuid), "B_ADMIN": str(partners.b_admin.uuid)}
    data = {k: values.get(v, v) for k, v in fields.items()}
    answer = verified_client(partners.a_case_worker).post(
        f"/incidents/{incident.uuid}/share/", data
    )
    assert answer.status_code == 400
    assert re.search(rf"<p>{field}: [^<]*{message}", _text(answer)), _text(answer)
    assert not Share.objects.exists()


def test_a_full_share_without_consent_names_whose_consent_is_missing(partners: Partners) -> None:
    data = consenting()
    assert data.targets[0].person is not None
    data.targets[0].person.consent_share_partners = False
    incident = record(partners, data)
    poet = incident.targets.get(role="primary").person
    answer = verified_client(partners.a_case_worker).post(
        f"/incidents/{incident.uuid}/share/", {"partner": str(partners.b.uuid), "level": "full"}
    )
    html = _text(answer)
    assert answer.status_code == 400 and "have not agreed to sharing with partner" in html
    assert f'<a href="/persons/{poet.uuid}/edit/">Gulnara Tokhtieva</a>' in html
    assert not Share.objects.exists()


def test_a_red_incident_without_named_people_is_a_form_error(partners: Partners) -> None:
    incident = record(partners, tlp="red")
    worker = verified_client(partners.a_case_worker)
    answer = worker.post(
        f"/incidents/{incident.uuid}/share/",
        {"partner": str(partners.b.uuid), "level": "pseudonymised"},
    )
    assert answer.status_code == 400 and "This incident is TLP:RED" in _text(answer)
    answer = worker.post(
        f"/incidents/{incident.uuid}/share/",
        {
            "partner": str(partners.b.uuid),
            "level": "pseudonymised",
            "readers": [str(partners.b_analyst.uuid)],
        },
    )
    assert answer.status_code == 302
    assert "for bob_analyst only" in _text(worker.get(f"/incidents/{incident.uuid}/"))


def test_without_an_agreement_the_share_page_says_what_to_do(personas: Personas) -> None:
    incident = incident_create(actor=personas.case_worker, data=incident_data())
    page = verified_client(personas.case_worker).get(f"/incidents/{incident.uuid}/share/")
    assert page.status_code == 200 and "no active sharing agreement" in _text(page)


# --- The partner's pages ----------------------------------------------------------------


def test_the_partner_sees_the_list_the_counts_and_the_record_marked_as_the_owners(
    partners: Partners,
) -> None:
    readable = record(partners, consenting())
    counted = record(partners)
    share(partners, readable, "full")
    share(partners, counted, "counted")
    worker = verified_client(partners.b_case_worker)
    listing = _text(worker.get("/shared/"))
    assert f"/shared/{readable.uuid}/" in listing and str(counted.uuid) not in listing
    assert "2 incidents of <strong>Safeguard Exiles</strong>, of which 1 counted only" in listing
    assert TITLE not in listing and "Gulnara" not in listing  # coded facts only in the list
    record_page = _text(worker.get(f"/shared/{readable.uuid}/"))
    assert "Shared by <strong>Safeguard Exiles</strong> · full" in record_page
    assert TITLE in record_page and "Gulnara Tokhtieva" in record_page
    # Read-only, and no way into the owner's pages: no edit link, no person page.
    assert "/edit/" not in record_page and not re.search(r"/persons/[0-9a-f]", record_page)
    assert worker.get(f"/shared/{counted.uuid}/").status_code == 404

    analyst_page = _text(verified_client(partners.b_analyst).get(f"/shared/{readable.uuid}/"))
    assert "your role does not see identities" in analyst_page
    assert TITLE not in analyst_page and "Gulnara" not in analyst_page
    assert "INTERPOL Red Notice or Diffusion" in analyst_page and "P-" in analyst_page
    assert AuditEvent.objects.filter(
        organisation=partners.a, action="incident.share_view", actor=partners.b_analyst
    ).exists()


def test_the_partners_pages_make_a_bounded_number_of_queries(
    partners: Partners, django_assert_max_num_queries: object
) -> None:
    for _ in range(4):
        share(partners, record(partners))
    incident = record(partners, consenting())
    share(partners, incident, "full")
    client = verified_client(partners.b_case_worker)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get("/shared/").status_code == 200
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        assert client.get(f"/shared/{incident.uuid}/").status_code == 200


# --- Nobody else learns anything --------------------------------------------------------


def _unmasked(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


# Every sharing URL naming a record, as the third organisation would try it: (method, URL,
# form data, who of C tries it). Admins for agreement URLs, case workers for the rest.
RECORD_URLS = [
    ("get", "incidents/<str:incident_id>/share/", {}, "c_case_worker"),
    (
        "post",
        "incidents/<str:incident_id>/share/",
        {"partner": "{b}", "level": "full"},
        "c_case_worker",
    ),
    ("post", "incidents/<str:incident_id>/share/revoke/", {"share": "{share}"}, "c_case_worker"),
    ("get", "shared/<str:incident_id>/", {}, "c_case_worker"),
    ("post", "sharing/agreements/accept/", {"agreement": "{agreement}"}, "c_admin"),
    ("post", "sharing/agreements/end/", {"agreement": "{agreement}"}, "c_admin"),
]
LIST_URLS = ["sharing/agreements/", "shared/"]


def test_every_sharing_url_is_walked_here() -> None:
    patterns = {str(p.pattern) for p in sharing_urls.urlpatterns if isinstance(p, URLPattern)}
    assert patterns == {url for _, url, _, _ in RECORD_URLS} | set(LIST_URLS)


def _call(
    client: Client, method: str, url: str, data: dict[str, str], ids: dict[str, str]
) -> object:
    path = "/" + url.replace("<str:incident_id>", ids["incident"])
    filled = {k: v.format(**ids) for k, v in data.items()}
    return getattr(client, method)(path, filled)


@pytest.mark.parametrize(("method", "url", "data", "who"), RECORD_URLS)
def test_a_third_organisation_gets_the_answer_of_a_made_up_id_on_every_sharing_url(
    partners: Partners, method: str, url: str, data: dict[str, str], who: str
) -> None:
    incident = record(partners)
    shared = share(partners, incident)
    real = {
        "incident": str(incident.uuid),
        "share": str(shared.uuid),
        "agreement": str(partners.agreement.uuid),
        "b": str(partners.b.uuid),
    }
    made_up = {**{k: str(uuid.uuid4()) for k in real}, "b": real["b"]}
    client = verified_client(getattr(partners, who))
    answer, invented = (
        _call(client, method, url, data, real),
        _call(client, method, url, data, made_up),
    )
    assert answer.status_code == invented.status_code == 404  # type: ignore[attr-defined]
    assert _unmasked(answer.content) == _unmasked(invented.content)  # type: ignore[attr-defined]
    shared.refresh_from_db()
    assert shared.revoked_at is None and Share.objects.count() == 1
    assert Agreement.objects.get().status == AgreementStatus.ACTIVE


def test_a_third_organisations_lists_show_nothing_of_the_partners(partners: Partners) -> None:
    incident = record(partners, consenting())
    share(partners, incident, "full")
    for user, url in (
        (partners.c_case_worker, "/shared/"),
        (partners.c_admin, "/sharing/agreements/"),
    ):
        html = _text(verified_client(user).get(url))
        for leak in (str(incident.uuid), "Safeguard Exiles", "Other Network", TITLE, "Gulnara"):
            assert leak not in html, (url, leak)


def test_after_revocation_the_partner_gets_the_answer_of_a_made_up_id(partners: Partners) -> None:
    incident = record(partners)
    shared = share(partners, incident)
    share_revoke(actor=partners.a_case_worker, share=shared)
    for user in (partners.b_admin, partners.b_case_worker, partners.b_analyst):
        client = verified_client(user)
        answer = client.get(f"/shared/{incident.uuid}/")
        invented = client.get(f"/shared/{uuid.uuid4()}/")
        assert answer.status_code == invented.status_code == 404
        assert _unmasked(answer.content) == _unmasked(invented.content)
        assert str(incident.uuid) not in _text(client.get("/shared/"))


def test_people_not_named_on_a_red_share_get_the_answer_of_a_made_up_id(
    partners: Partners,
) -> None:
    incident = record(partners, tlp="red")
    share(partners, incident, readers=[partners.b_case_worker])
    assert (
        verified_client(partners.b_case_worker).get(f"/shared/{incident.uuid}/").status_code == 200
    )
    admin = verified_client(partners.b_admin)
    answer, invented = admin.get(f"/shared/{incident.uuid}/"), admin.get(f"/shared/{uuid.uuid4()}/")
    assert answer.status_code == invented.status_code == 404
    assert _unmasked(answer.content) == _unmasked(invented.content)


def test_the_partner_cannot_reach_the_owners_sharing_pages(partners: Partners) -> None:
    incident = record(partners)
    shared = share(partners, incident)
    b = verified_client(partners.b_case_worker)
    assert b.get(f"/incidents/{incident.uuid}/share/").status_code == 404
    assert (
        b.post(f"/incidents/{incident.uuid}/share/revoke/", {"share": shared.uuid}).status_code
        == 404
    )
    assert b.get(f"/incidents/{incident.uuid}/").status_code == 404
    shared.refresh_from_db()
    assert shared.revoked_at is None


def test_anonymous_visitors_are_sent_to_log_in(partners: Partners) -> None:
    incident = record(partners)
    for url in ("/shared/", f"/shared/{incident.uuid}/", "/sharing/agreements/"):
        answer = Client().get(url)
        assert answer.status_code == 302 and answer["Location"].startswith("/login/")
