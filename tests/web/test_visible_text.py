"""No page shows template syntax or a code where a person should read a label.

Every page of the access matrix (tests/web/matrix.py) is rendered for every role, with
records that use many codes (tactics, actor types, legal mechanisms and their statuses,
sources and their reliability, responses, person statuses), and for the public reporting
pages in every language. The text a person sees (tags, scripts, styles and attribute values
stripped) must hold no `{#`, `#}`, `{%`, `%}`, `{{`, `}}` and no snake_case code of a
vocabulary or of a model's choices.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from beyondreach.cases.inputs import NameData, PersonData, TargetData
from beyondreach.cases.selectors import access_incident
from beyondreach.cases.services import incident_create, incident_update, person_update
from beyondreach.core.models import User
from beyondreach.core.services import user_create
from beyondreach.sharing.services import agreement_accept, agreement_propose, incident_share
from beyondreach.vocab.loader import NAMES, vocabulary

from ..conftest import PASSWORD, Personas, verified_client
from .matrix import FIXED, PAGES, TITLE, answers, coded_incident, fill, matrix_records

TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{", "}}")


class _VisibleText(HTMLParser):
    """The text of a page as a person sees it: no tags, attributes, scripts or styles; and
    no preformatted block, which shows machine-readable text as such (a referral's packet
    as JSON, for the protection body's systems)."""

    HIDDEN = {"script", "style", "template", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in self.HIDDEN and self.hidden > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def snake_case_codes() -> set[str]:
    """Every code with an underscore, of the vocabularies and of our models' choices (a
    one-word code such as `assault` cannot be told apart from an English word)."""
    codes = {code for name in NAMES for code in vocabulary(name).terms}
    for model in apps.get_models():
        if model.__module__.startswith("beyondreach."):
            for field in model._meta.concrete_fields:
                codes |= {str(value) for value, _label in field.flatchoices}
    return {code for code in codes if "_" in code}


CODE = re.compile(r"(?<![\w/.-])(" + "|".join(sorted(snake_case_codes())) + r")(?![\w/.-])")


def raw_text_in(answer: HttpResponse) -> list[str]:
    if "text/html" not in answer.get("Content-Type", ""):
        return []
    text = visible_text(answer.content.decode())
    found = [syntax for syntax in TEMPLATE_SYNTAX if syntax in text]
    return found + sorted(set(CODE.findall(text)))


def test_the_checks_see_a_comment_and_a_code_but_not_attributes_or_scripts() -> None:
    page = '<p title="usually_reliable">Usually reliable</p><script>let a = "{{";</script>'
    assert raw_text_in(HttpResponse(page)) == []
    page = "<p>{# a note\n for later #} Source: usually_reliable</p>"
    assert raw_text_in(HttpResponse(page)) == ["{#", "#}", "usually_reliable"]


def _shared_with_a(personas: Personas) -> str:
    """An incident of the other organisation, shared in full with the personas'."""
    b_admin = user_create(
        organisation=personas.other_org, username="bea_admin", password=PASSWORD, role="admin"
    )
    agreement = agreement_propose(actor=b_admin, partner_code=personas.org.uuid)
    agreement_accept(actor=personas.admin, agreement=agreement)
    data = coded_incident("Shared canary incident")
    for target in data.targets:
        assert target.person is not None
        target.person.consent_share_partners = True
    incident = incident_create(actor=personas.outsider, data=data)
    incident_share(
        actor=personas.outsider, incident=incident, partner_id=personas.org.uuid, level="full"
    )
    return str(incident.uuid)


def edit_the_coded_incident(personas: Personas, incident_id: str) -> None:
    """Edit the matrix's incident and its primary target, so that their history has codes
    to show: tactics, origin states, a legal mechanism, a target and a person's statuses."""
    incident = access_incident(personas.case_worker, incident_id)
    data = coded_incident(TITLE)
    data.tactics = [t for t in data.tactics if t != "interpol_abuse"] + ["digital_threats"]
    data.origin_states = ["CN", "IR"]
    data.mechanisms[1].status = "active"  # the INTERPOL diffusion, withdrawn before
    data.mechanisms[1].issued_on = date(2024, 1, 2)
    data.targets = [
        TargetData(
            role=t.role, person_uuid=t.person.uuid, relation=t.relation, target_group=t.target_group
        )
        for t in incident.targets.all()
    ]
    data.targets[-1].target_group = "human_rights_defender"  # was a cleric or alleged extremist
    incident_update(actor=personas.case_worker, incident=incident, data=data)
    primary = incident.targets.get(role="primary").person
    person_update(
        actor=personas.case_worker,
        person=primary,
        data=PersonData(
            names=[NameData(n.value, n.script) for n in primary.names.all()],
            statuses=["former_official"],
            residence_status="asylum_seeker",
            residence_country="TR",
        ),
    )


def _unlocked(user: User) -> Client:
    client = verified_client(user)
    answer = client.post("/reports/unlock/", {"passphrase": "matrix reporting passphrase"})
    assert answer.status_code == 302
    return client


def test_no_page_shows_template_syntax_or_a_code(personas: Personas) -> None:
    records = matrix_records(personas)
    edit_the_coded_incident(personas, records["incident_id"])
    shared = {**records, **FIXED, "incident_id": _shared_with_a(personas)}
    clients = {
        "admin": _unlocked(personas.admin),
        "case worker": verified_client(personas.case_worker),
        "analyst": verified_client(personas.analyst),
        "viewer": verified_client(personas.viewer),
        "anonymous": Client(),
    }
    paths = []
    for pattern, entry in PAGES.items():
        if "GET" not in answers(entry):
            continue
        paths.append(
            fill(pattern, shared if pattern.startswith("shared/") else {**records, **FIXED})
        )
        if pattern.startswith("r/<slug:slug>/<str:lang>/"):
            for lang, _name in settings.LANGUAGES:
                paths.append(fill(pattern, {**records, **FIXED, "lang": lang}))
    found = {}
    for role, client in clients.items():
        for path in paths:
            answer = client.get(path)
            assert answer.status_code < 500, path
            if raw := raw_text_in(answer):  # type: ignore[arg-type]
                found[f"{role} {path}"] = raw
    assert not found, "raw text on pages:\n" + "\n".join(f"{k}: {v}" for k, v in found.items())


# The labels of the one-word codes the coded incident uses (a one-word code reads like a word,
# so the check above cannot find it): each page that shows the incident shows these.
LABELS = (
    "Perpetrator",
    "Facilitating host authority",
    "Complicit company",
    "INTERPOL Red Notice",
    "Terrorist or extremist designation",
    "Withdrawn or deleted",
    "Usually reliable",
    "Cannot be judged",
    "Protection measure",
    "Partly successful",
    "Primary target",
    "Associate",
    "Referred",
)


def test_the_incident_shows_labels_where_it_keeps_codes(personas: Personas) -> None:
    records = matrix_records(personas)
    page = verified_client(personas.analyst).get(fill("incidents/<str:incident_id>/", records))
    shared = verified_client(personas.analyst).get(f"/shared/{_shared_with_a(personas)}/")
    for answer in (page, shared):
        text = visible_text(answer.content.decode())
        assert [label for label in LABELS if label not in text] == []
    link = Client().get(fill("referral/<str:token>/", records))
    text = visible_text(link.content.decode())
    assert "Month" in text and "Terrorist or extremist designation" in text
    assert "China (CN), Russian Federation (RU)" in text and "Primary target" in text
