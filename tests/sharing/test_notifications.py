"""The partner hears of a share by e-mail, through the outbox and a real SMTP server: who
shared, the level and a link behind the login, and nothing of the incident."""

from __future__ import annotations

from beyondreach.alerts.services import user_email_set
from beyondreach.core.models import AuditEvent
from beyondreach.outbox.services import outbox_deliver_due

from ..cases.factories import incident_data
from ..outbox.receivers import MailBox
from .conftest import TITLE, Partners, consenting, record, share


def _addresses(partners: Partners) -> None:
    for user, address in (
        (partners.b_admin, "bea@partner.example"),
        (partners.b_case_worker, "otto@partner.example"),
        (partners.b_analyst, "bob@partner.example"),
        (partners.c_admin, "cid@third.example"),
    ):
        user_email_set(actor=user, email=address)


def test_the_partners_admins_and_case_workers_hear_of_a_share(
    partners: Partners, mailbox: MailBox
) -> None:
    _addresses(partners)
    incident = record(partners)
    share(partners, incident, level="pseudonymised")
    assert outbox_deliver_due().sent == 2
    mails = mailbox.wait_for(2)
    assert sorted(m["To"] for m in mails) == ["bea@partner.example", "otto@partner.example"]
    for mail in mails:
        assert mail["Subject"] == "[Beyond Reach] Safeguard Exiles shared an incident with you"
        body = mail.get_content()
        assert f"/shared/{incident.uuid}/" in body and "(pseudonymised)" in body
        # Nothing of the incident: not its title, narrative, people or places.
        for secret in (TITLE, "Gulnara", "Tokhti", "Istanbul", "Urumqi", "Red Notice"):
            assert secret not in body
    event = AuditEvent.objects.get(organisation=partners.b, action="incident.share")
    assert event.detail["notified"] == 2


def test_a_share_for_named_people_tells_them_only(partners: Partners, mailbox: MailBox) -> None:
    _addresses(partners)
    incident = record(partners, consenting(incident_data(tlp="red")))
    share(partners, incident, level="full", readers=[partners.b_analyst])
    assert outbox_deliver_due().sent == 1
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "bob@partner.example"


def test_a_counted_only_share_tells_no_one(partners: Partners, mailbox: MailBox) -> None:
    _addresses(partners)
    share(partners, record(partners), level="counted")
    assert outbox_deliver_due().sent == 0
    assert mailbox.messages == []
