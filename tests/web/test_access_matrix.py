"""Every URL pattern, walked with every HTTP method, every role of two organisations and
anonymously (the table is in tests/web/matrix.py).

A user of another organisation, case worker or admin, can neither read, infer nor change
anything: on every URL naming a record of organisation A, with every method, the outsider
gets exactly the answer a made-up id gets (404 where the method is accepted), and lists show
none of A's records. A new URL pattern, or a new method on one, without an entry fails the
walk, so no route escapes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client

from beyondreach.core.models import Organisation, User
from beyondreach.core.services import api_token_create, user_create

from ..accountability import matrix_api
from ..api.conftest import bearer, incident_body
from ..conftest import PASSWORD, Personas, verified_client
from .matrix import (
    API,
    FIXED,
    METHODS,
    NAME,
    PAGES,
    TITLE,
    Entry,
    all_patterns,
    answers,
    fill,
    made_up,
    matrix_records,
    names_a_record,
    unlisted_answers,
)


@pytest.fixture
def records(personas: Personas) -> dict[str, str]:
    return matrix_records(personas)


@pytest.fixture
def outsiders(personas: Personas) -> list[User]:
    """A case worker and an admin of the other organisation."""
    admin = user_create(
        organisation=personas.other_org, username="olga_outsider", password=PASSWORD, role="admin"
    )
    return [personas.outsider, admin]


def members(personas: Personas) -> list[User]:
    """In the table's order: admin, case worker, analyst, viewer."""
    return [personas.admin, personas.case_worker, personas.analyst, personas.viewer]


def test_every_url_pattern_has_an_expected_answer_for_every_role() -> None:
    missing = [p for p in all_patterns() if p not in PAGES and p not in API]
    assert missing == [], f"add these URL patterns to the access matrix: {missing}"
    unknown = {m for entry in [*PAGES.values(), *API.values()] for m in answers(entry)}
    assert unknown <= set(METHODS)


def _unmasked(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def _same(answer: HttpResponse, other: HttpResponse) -> bool:
    """Not even the page differs (but for the per-response masked CSRF token)."""
    return (
        answer.status_code == other.status_code
        and answer.get("Location") == other.get("Location")
        and _unmasked(answer.content) == _unmasked(other.content)
    )


def _rows(model: type[Model], org: Organisation) -> list[dict[str, Any]]:
    """The model's rows that belong to the organisation: by its own `organisation`, or by
    that of the first record it points to which has one (an incident's tactics)."""
    found = model._default_manager.order_by("pk")
    for field in model._meta.concrete_fields:
        if field.name == "organisation":
            return list(found.filter(organisation=org).values())
    for field in model._meta.concrete_fields:
        target = field.related_model
        if field.is_relation and any(
            f.name == "organisation"
            # A relation's related_model is a model here, never the string "self".
            for f in target._meta.concrete_fields  # type: ignore[union-attr]
        ):
            return list(found.filter(**{f"{field.name}__organisation": org}).values())
    return list(found.values())


def _state(org: Organisation) -> dict[str, list[dict[str, Any]]]:
    """Every row of organisation A, and of the tables that belong to no one (but sessions:
    an outsider's own session changes as they browse)."""
    return {m._meta.label: _rows(m, org) for m in apps.get_models() if m is not Session}


def _changed(before: dict[str, list[dict[str, Any]]], org: Organisation) -> list[str]:
    after = _state(org)
    return [label for label, rows in before.items() if after[label] != rows]


def _leaks(answer: HttpResponse, records: dict[str, str]) -> list[str]:
    text = answer.content.decode(errors="replace")
    return [s for s in (TITLE, NAME, records["incident_id"], records["person_id"]) if s in text]


# send(user, method[, path]): one request as that user; the path is the real record's.
Send = Callable[..., HttpResponse]

# Record URLs whose accepted methods answer a record they cannot find with something else
# than 404, to the organisation's own members as to outsiders (and so the same to both).
NOT_404 = {
    # An unknown member is a message on the setup page: "No such member."
    "reports/setup/grant/<str:user_id>/",
}


def _walk_outsiders(
    pattern: str,
    entry: Entry,
    send: Send,
    records: dict[str, str],
    outsiders: list[User],
    personas: Personas,
) -> None:
    real, guess = fill(pattern, {**records, **FIXED}), fill(pattern, {**made_up(records), **FIXED})
    accepted = answers(entry)
    for outsider in outsiders:
        # In the table, their role's column: 403 there is a refusal by role, before any lookup.
        column = 0 if outsider.role == "admin" else 1
        for method in METHODS:
            answer, guessed = send(outsider, method, real), send(outsider, method, guess)
            where = (outsider.role, method, real)
            if not names_a_record(pattern, records):
                assert _leaks(answer, records) == [], where
            elif entry[0] == "staff":  # a public link (a referral's) is its own permission
                assert _same(answer, guessed), where
                if method in accepted and pattern not in NOT_404:
                    refused = accepted[method][column] == 403
                    assert answer.status_code in ({404, 403} if refused else {404}), where


def _walk_members(pattern: str, entry: Entry, send: Send, personas: Personas) -> None:
    accepted = answers(entry)
    # The refused first, so that a write which succeeds does not change what they get.
    for method in METHODS:
        for role, user in reversed(list(enumerate(members(personas)))):
            status = send(user, method).status_code
            where = f"{method} /{pattern} answers {status} to the {user.role}"
            if method in accepted:
                assert status == accepted[method][role], where
            else:
                assert status in unlisted_answers(entry, role), f"{where}: add it to the matrix"


@pytest.mark.parametrize("pattern", list(PAGES))
def test_each_role_gets_its_answer_to_every_method_and_outsiders_learn_nothing(
    pattern: str, personas: Personas, records: dict[str, str], outsiders: list[User]
) -> None:
    entry = PAGES[pattern]
    clients = {user.pk: verified_client(user) for user in [*outsiders, *members(personas)]}
    path = fill(pattern, {**records, **FIXED})

    def send(user: User, method: str, to: str = path) -> HttpResponse:
        # The test client's answer is typed as its own WSGI response class; it is an HttpResponse.
        return clients[user.pk].generic(method, to)  # type: ignore[return-value]

    before = _state(personas.org)
    _walk_outsiders(pattern, entry, send, records, outsiders, personas)
    if entry[0] == "staff":
        assert _changed(before, personas.org) == [], "an outsider changed these tables"

    for method in METHODS:
        anonymous = Client().generic(method, path)
        if entry[0] == "public":
            assert anonymous.status_code in (200, 302, 400, 405), method
        elif method in answers(entry) or anonymous.status_code != 405:
            # Staff pages send them to log in (405 only for a method no one may use).
            assert anonymous.status_code == 302, method
            assert anonymous["Location"].startswith("/login/"), method

    _walk_members(pattern, entry, send, personas)


def _body(**overrides: Any) -> dict[str, Any]:
    """A valid incident with a name of its own: an answer echoing it leaks nothing of A's."""
    text = json.dumps(incident_body(title="Written through the API", **overrides))
    return dict(json.loads(text.replace(NAME, "Aysel")))


# Valid bodies for the API's writes; other methods send an empty JSON object.
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("api/v1/incidents", "POST"): _body(),
    ("api/v1/incidents/<incident_id>", "PUT"): _body(),
    ("api/v1/persons", "POST"): _body()["targets"][0]["person"],
    **matrix_api.API_BODIES,
}


@pytest.mark.parametrize("pattern", list(API))
def test_each_role_gets_its_api_answer_to_every_method_and_outsiders_learn_nothing(
    pattern: str, personas: Personas, records: dict[str, str], outsiders: list[User]
) -> None:
    entry = API[pattern]
    tokens = {
        user.pk: bearer(api_token_create(user=user)) for user in [*outsiders, *members(personas)]
    }
    path = fill(pattern, {**records, **FIXED})

    def send(user: User | None, method: str, to: str = path) -> HttpResponse:
        body = json.dumps(API_BODIES.get((pattern, method), {}))
        headers = tokens[user.pk] if user else {}
        # As above: the test client's answer is an HttpResponse.
        return Client().generic(  # type: ignore[return-value]
            method, to, body, content_type="application/json", headers=headers
        )

    before = _state(personas.org)
    _walk_outsiders(pattern, entry, send, records, outsiders, personas)
    if entry[0] == "staff":
        assert _changed(before, personas.org) == [], "an outsider changed these tables"

    for method in METHODS:
        anonymous = send(None, method)
        accepted = answers(entry)
        if method not in accepted:
            assert anonymous.status_code == 405, method
            if method != "HEAD":  # which has no body
                assert json.loads(anonymous.content)["detail"] == "Method not allowed.", method
        elif entry[0] == "public":
            assert anonymous.status_code == accepted[method][0], method
        else:
            assert anonymous.status_code == 401, method

    _walk_members(pattern, entry, send, personas)


def test_analyst_and_viewer_see_the_incident_with_identities_withheld(
    personas: Personas, records: dict[str, str]
) -> None:
    for user in (personas.analyst, personas.viewer):
        page = verified_client(user).get(fill("incidents/<str:incident_id>/", records))
        html = page.content.decode()
        assert TITLE not in html and NAME not in html and "A-1234/5-2023" not in html
        assert "[withheld]" in html and "P-" in html
    page = verified_client(personas.case_worker).get(fill("incidents/<str:incident_id>/", records))
    assert TITLE in page.content.decode() and "Gulnara Tokhtieva" in page.content.decode()


def test_api_tokens_are_minted_per_user(personas: Personas) -> None:
    assert api_token_create(user=personas.analyst) != api_token_create(user=personas.analyst)
