"""The trusted partners' page (issue 11): an admin adds a sender of transfer files from the
string its admin gives, renames it, removes it; every write audited by fingerprint, every
bad input refused on its field, every other role refused. A partner removed is an unknown
sender again: its next file, through the real import, waits for an admin's check."""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from nacl.public import PrivateKey
from nacl.signing import SigningKey
from pytest_django import DjangoAssertNumQueries

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.core.services import user_create
from beyondreach.interchange.exports import export_incidents
from beyondreach.interchange.imports import import_create, import_run, import_start
from beyondreach.interchange.models import TrustedSender
from beyondreach.interchange.transfer import (
    decrypt,
    encrypt,
    public_key_text,
    transfer_key_create,
)
from beyondreach.interchange.transfer_import import private_keys
from beyondreach.interchange.transfer_trust import (
    access_trusted_sender,
    trusted_sender_add,
    trusted_sender_remove,
    trusted_sender_rename,
    trusted_senders_of,
)

from ..conftest import PASSWORD, Personas, verified_client
from .export_cases import rich_incident
from .matrix_imports import partner_key

LIST = "/imports/partners/"


@dataclass
class Partner:
    """An organisation on another server that sends transfer files to personas.org."""

    signing: SigningKey
    exchange: str  # its transfer key, as its admin gives it
    plain: bytes  # the records of a file it sends
    recipient: bytes  # personas.org's public key

    @property
    def fingerprint(self) -> str:
        return public_key_text(bytes(self.signing.verify_key))[:12]

    def file(self) -> bytes:
        return b"".join(encrypt([self.plain], self.recipient, self.signing))


@pytest.fixture
def partner(personas: Personas) -> Partner:
    """Its records are an honest export of the other organisation's, re-signed with a key
    that is no organisation's of this server, as if it were on another one."""
    sender = user_create(
        organisation=personas.other_org, username="sam_sender", password=PASSWORD, role="admin"
    )
    rich_incident(sender)
    key = transfer_key_create(actor=personas.admin, organisation=personas.org)
    found = export_incidents(
        viewer=sender, filters=IncidentFilters(), format="beyondreach", to=key.exchange
    )
    content = b"".join(found.chunks)
    plain = b"".join(decrypt(content, private_keys(personas.org.pk)))
    signing = SigningKey.generate()
    public = public_key_text(bytes(PrivateKey.generate().public_key))  # to receive: unused
    exchange = f"{public}:{public_key_text(bytes(signing.verify_key))}"
    return Partner(signing, exchange, plain, base64.b64decode(key.public_key))


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- Services -------------------------------------------------------------------------------


def test_an_admin_adds_a_partner_from_its_transfer_key(personas: Personas) -> None:
    exchange = partner_key()
    saved = trusted_sender_add(actor=personas.admin, key=f"  {exchange}\n", name=" Exile  Voice ")

    stored = TrustedSender.objects.get(organisation=personas.org)
    assert (stored.name, stored.verify_key) == ("Exile Voice", exchange.split(":")[1])
    assert stored.created_by == personas.admin and stored.uuid == saved.uuid
    [event] = _events("transfer_sender.trust")
    assert event.organisation_id == personas.org.pk and event.actor_id == personas.admin.pk
    assert event.detail == {"fingerprint": exchange.split(":")[1][:12]}
    assert "Exile" not in str(event.detail)  # the name stays sealed


def test_a_key_wrapped_across_lines_on_the_way_is_read_whole(personas: Personas) -> None:
    exchange = partner_key()
    wrapped = f"{exchange[:40]}\n{exchange[40:70]}\r\n {exchange[70:]}"
    saved = trusted_sender_add(actor=personas.admin, key=wrapped, name="Wrapped")
    assert saved.verify_key == exchange.split(":")[1]


def _refused(personas: Personas, key: str, name: str = "A partner") -> dict[str, list[str]]:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInputError) as refused:
        trusted_sender_add(actor=personas.admin, key=key, name=name)
    assert AuditEvent.objects.count() == events
    return refused.value.errors


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (" \n", "Paste the partner's transfer key"),
        ("not a key at all", "a key is 32 bytes"),
        ("not-a-key!", "not base64"),
        (f"{'A' * 43}=:{'A' * 20}", "a key is 32 bytes"),
        (f"{'A' * 43}=:{'B' * 43}=:{'C' * 43}=", "not base64"),
        (f"{'A' * 43}=", "This is one key"),
    ],
)
def test_a_malformed_key_is_refused_on_its_field(personas: Personas, key: str, why: str) -> None:
    errors = _refused(personas, key)
    assert list(errors) == ["key"] and why in errors["key"][0]
    assert not TrustedSender.objects.exists()


def test_the_organisations_own_key_is_refused_current_or_retired(personas: Personas) -> None:
    first = transfer_key_create(actor=personas.admin, organisation=personas.org)
    current = transfer_key_create(actor=personas.admin, organisation=personas.org)
    for own in (first.exchange, current.exchange, f"{current.public_key}:{partner_key()[45:]}"):
        assert "own transfer key" in _refused(personas, own)["key"][0]
    assert not TrustedSender.objects.exists()


def test_a_key_of_an_organisation_of_this_server_is_refused(personas: Personas) -> None:
    other = transfer_key_create(actor=None, organisation=personas.other_org)
    assert "organisation of this server" in _refused(personas, other.exchange)["key"][0]


def test_a_partner_trusted_already_is_named_not_added_twice(personas: Personas) -> None:
    exchange = partner_key()
    trusted_sender_add(actor=personas.admin, key=exchange, name="Exile Voice")
    why = _refused(personas, exchange, name="Again")["key"][0]
    assert "trusted already" in why and "Exile Voice" in why
    assert TrustedSender.objects.get().name == "Exile Voice"


def test_a_bad_name_and_a_bad_key_are_both_told(personas: Personas) -> None:
    assert "Name the partner" in _refused(personas, partner_key(), name="   ")["name"][0]
    assert "at most 100" in _refused(personas, partner_key(), name="x" * 101)["name"][0]
    assert set(_refused(personas, "nonsense", name="")) == {"key", "name"}


def test_only_an_admin_adds_renames_removes_or_lists(personas: Personas) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name="Exile Voice")
    for user in (personas.case_worker, personas.analyst, personas.viewer, personas.outsider):
        with pytest.raises(PermissionDeniedError):
            trusted_sender_add(actor=user, key=partner_key(), name="Anyone")
        with pytest.raises(PermissionDeniedError):
            trusted_sender_rename(actor=user, sender=saved, name="Anyone")
        with pytest.raises(PermissionDeniedError):
            trusted_sender_remove(actor=user, sender=saved)
        with pytest.raises(PermissionDeniedError):
            trusted_senders_of(user)
        with pytest.raises(PermissionDeniedError):
            access_trusted_sender(user, saved.uuid)
    assert TrustedSender.objects.get().name == "Exile Voice"
    assert len(_events("transfer_sender.trust")) == 1


def test_another_organisations_admin_finds_no_partner_of_ours(personas: Personas) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name="Exile Voice")
    theirs = user_create(
        organisation=personas.other_org, username="olga", password=PASSWORD, role="admin"
    )
    for sender_id in (saved.uuid, str(saved.uuid), "not-a-uuid"):
        with pytest.raises(NotFoundError):
            access_trusted_sender(theirs, sender_id)
    with pytest.raises(NotFoundError):
        trusted_sender_rename(actor=theirs, sender=saved, name="Mine now")
    with pytest.raises(NotFoundError):
        trusted_sender_remove(actor=theirs, sender=saved)
    assert trusted_senders_of(theirs) == []
    assert TrustedSender.objects.get().name == "Exile Voice"


def test_partners_are_listed_by_name_with_who_added_them(personas: Personas) -> None:
    for name in ("zeta Group", "Alpha Radio", "mid Network"):
        trusted_sender_add(actor=personas.admin, key=partner_key(), name=name)
    listed = trusted_senders_of(personas.admin)
    assert [p.name for p in listed] == ["Alpha Radio", "mid Network", "zeta Group"]
    assert all(p.created_by == personas.admin for p in listed)


def test_an_admin_renames_a_partner_and_it_is_audited(personas: Personas) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name="Exile Voice")
    with pytest.raises(InvalidInputError) as refused:
        trusted_sender_rename(actor=personas.admin, sender=saved, name=" \t ")
    assert list(refused.value.errors) == ["name"]

    trusted_sender_rename(actor=personas.admin, sender=saved, name="Exile  Voice Radio")
    assert TrustedSender.objects.get().name == "Exile Voice Radio"
    [event] = _events("transfer_sender.rename")
    assert str(event.record_id) == str(saved.uuid)
    assert event.detail == {"fingerprint": saved.verify_key[:12]}


def test_a_partner_removed_sends_as_an_unknown_sender_again(
    personas: Personas, partner: Partner
) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner.exchange, name="Exile Voice")
    # Trusted: its file is known by name, and a case worker imports it.
    job = import_create(
        actor=personas.case_worker, fmt="beyondreach", filename="a.brx", content=partner.file()
    )
    upload = _events("import.upload")[-1]
    assert (upload.detail["sender"], upload.detail["sender_known"]) == (
        partner.fingerprint,
        "partner",
    )
    import_start(actor=personas.case_worker, job=job)
    assert import_run(job.pk).created == 1

    trusted_sender_remove(actor=personas.admin, sender=saved)
    assert not TrustedSender.objects.exists()
    [removed] = _events("transfer_sender.remove")
    assert removed.detail == {"fingerprint": partner.fingerprint}

    # Its next file: unknown, so a case worker may not start it and an admin must confirm.
    again = import_create(
        actor=personas.case_worker, fmt="beyondreach", filename="b.brx", content=partner.file()
    )
    assert _events("import.upload")[-1].detail["sender_known"] == "unknown"
    with pytest.raises(PermissionDeniedError):
        import_start(actor=personas.case_worker, job=again)
    with pytest.raises(InvalidInputError) as refused:
        import_start(actor=personas.admin, job=again)
    assert partner.fingerprint in refused.value.errors["unknown_sender"][0]
    import_start(actor=personas.admin, job=again, unknown_sender=True)
    assert _events("import.start")[-1].detail["sender_known"] == "unknown, confirmed"
    assert import_run(again.pk).unchanged == 1


# --- Pages ----------------------------------------------------------------------------------


def test_the_page_lists_partners_with_fingerprint_date_and_adder(personas: Personas) -> None:
    client = verified_client(personas.admin)
    assert "No partner is trusted yet" in client.get(LIST).content.decode()
    exchange = partner_key()
    added = client.post(LIST, {"key": exchange, "name": "Exile Voice"}, follow=True)
    page = added.content.decode()
    assert added.redirect_chain == [(LIST, 302)] and "Exile Voice is trusted now" in page
    assert f"<code>{exchange.split(':')[1][:12]}</code>" in page
    assert "by ada_admin" in page
    saved = TrustedSender.objects.get()
    assert f"/imports/partners/{saved.uuid}/" in page


def test_the_import_page_links_to_the_partners_for_admins_only(personas: Personas) -> None:
    admin_page = verified_client(personas.admin).get("/imports/").content.decode()
    assert f'href="{LIST}"' in admin_page  # no transfer key yet: the link is there already
    worker_page = verified_client(personas.case_worker).get("/imports/").content.decode()
    assert LIST not in worker_page and "Transfer keys" not in worker_page


@pytest.mark.parametrize(
    ("key", "name", "field", "why"),
    [
        ("not a key", "Exile Voice", "key", "not base64"),
        (f"{'A' * 43}=", "Exile Voice", "key", "This is one key"),
        ("", "Exile Voice", "key", "This field is required"),
        (None, "", "name", "This field is required"),
        (None, "x" * 101, "name", "at most 100 characters"),
        (None, "bad\x00byte", "name", "Null characters are not allowed"),
        (None, "bad \ufffd text", "name", "could not be read"),
        ("x" * 401, "Exile Voice", "key", "at most 400 characters"),
    ],
)
def test_bad_input_is_shown_on_its_field(
    personas: Personas, key: str | None, name: str, field: str, why: str
) -> None:
    client = verified_client(personas.admin)
    answer = client.post(LIST, {"key": partner_key() if key is None else key, "name": name})
    page = answer.content.decode()
    assert answer.status_code == 400 and "Not added" in page
    # The message in the field's own error list, which the input names as describing it.
    shown = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert shown is not None and why in html.unescape(shown.group(1))
    assert re.search(rf'<[^>]*aria-describedby="[^"]*id_{field}_error[^>]*>', page)
    assert not TrustedSender.objects.exists()


def test_the_own_key_is_refused_on_the_page(personas: Personas) -> None:
    own = transfer_key_create(actor=personas.admin, organisation=personas.org)
    client = verified_client(personas.admin)
    answer = client.post(LIST, {"key": own.exchange, "name": "Ourselves"})
    assert answer.status_code == 400 and "own transfer key" in answer.content.decode()
    assert not TrustedSender.objects.exists()


def test_an_admin_renames_and_removes_on_the_partners_page(personas: Personas) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name="Exile Voice")
    client = verified_client(personas.admin)
    path = f"/imports/partners/{saved.uuid}/"
    page = client.get(path).content.decode()
    assert saved.verify_key in page and "Exile Voice" in page

    assert client.post(path, {"name": ""}).status_code == 400
    assert client.post(path, {"name": "Exile Voice Radio"}).status_code == 302
    assert TrustedSender.objects.get().name == "Exile Voice Radio"

    unconfirmed = client.post(f"{path}remove/", {})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in unconfirmed.content.decode()
    assert TrustedSender.objects.exists()
    removed = client.post(f"{path}remove/", {"confirm": "on"}, follow=True)
    assert "Exile Voice Radio is no longer trusted" in removed.content.decode()
    assert not TrustedSender.objects.exists()
    assert client.get(path).status_code == 404


def test_removing_needs_the_csrf_token(personas: Personas) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name="Exile Voice")
    client = verified_client(personas.admin)
    client.handler.enforce_csrf_checks = True
    answer = client.post(f"/imports/partners/{saved.uuid}/remove/", {"confirm": "on"})
    assert answer.status_code == 403
    assert TrustedSender.objects.exists()


def test_other_roles_are_refused_and_outsiders_find_nothing(personas: Personas) -> None:
    saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name="Exile Voice")
    path = f"/imports/partners/{saved.uuid}/"
    for user in (personas.case_worker, personas.analyst, personas.viewer):
        client = verified_client(user)
        assert client.get(LIST).status_code == 403
        assert client.get(path).status_code == 403
        assert client.post(f"{path}remove/", {"confirm": "on"}).status_code == 403
    theirs = user_create(
        organisation=personas.other_org, username="olga", password=PASSWORD, role="admin"
    )
    outsider = verified_client(theirs)
    assert "Exile Voice" not in outsider.get(LIST).content.decode()
    assert outsider.get(path).status_code == 404
    assert outsider.post(path, {"name": "Mine"}).status_code == 404
    assert outsider.post(f"{path}remove/", {"confirm": "on"}).status_code == 404
    assert Client().get(LIST).status_code == 302
    assert TrustedSender.objects.get().name == "Exile Voice"


def test_the_pages_make_a_bounded_number_of_queries(
    personas: Personas, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(5):
        saved = trusted_sender_add(actor=personas.admin, key=partner_key(), name=f"P {n}")
    client = verified_client(personas.admin)
    client.get(LIST)  # the session's first request loads what later ones keep
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/imports/partners/{saved.uuid}/").status_code == 200
