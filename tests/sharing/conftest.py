"""Three organisations: A (the personas' organisation, which owns the incidents), B (the
outsider's organisation, A's partner under an active agreement) and C, a third organisation
with no agreement, which must learn nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from beyondreach.cases.inputs import IncidentData
from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_create
from beyondreach.core.models import Organisation, User
from beyondreach.core.services import organisation_create, user_create
from beyondreach.sharing.models import Agreement, Share
from beyondreach.sharing.services import agreement_accept, agreement_propose, incident_share

from ..cases.factories import incident_data
from ..conftest import PASSWORD, Personas
from ..outbox.receivers import mailbox  # noqa: F401  (a fixture: the real SMTP server)

TITLE = "Red Notice against a Uyghur poet in Istanbul"  # the factory's title


@dataclass
class Partners:
    personas: Personas
    b_admin: User
    b_case_worker: User  # the personas' outsider
    b_analyst: User
    b_viewer: User
    c_org: Organisation
    c_admin: User
    c_case_worker: User
    agreement: Agreement

    @property
    def a(self) -> Organisation:
        return self.personas.org

    @property
    def b(self) -> Organisation:
        return self.personas.other_org

    @property
    def a_case_worker(self) -> User:
        return self.personas.case_worker


def _user(org: Organisation, name: str, role: str) -> User:
    return user_create(organisation=org, username=name, password=PASSWORD, role=role)


@pytest.fixture
def partners(personas: Personas) -> Partners:
    b = personas.other_org
    c = organisation_create(name="Third Circle")
    b_admin = _user(b, "bea_admin", "admin")
    agreement = agreement_propose(actor=personas.admin, partner_code=b.uuid)
    agreement = agreement_accept(actor=b_admin, agreement=agreement)
    return Partners(
        personas=personas,
        b_admin=b_admin,
        b_case_worker=personas.outsider,
        b_analyst=_user(b, "bob_analyst", "analyst"),
        b_viewer=_user(b, "bianca_viewer", "viewer"),
        c_org=c,
        c_admin=_user(c, "cid_admin", "admin"),
        c_case_worker=_user(c, "cem_caseworker", "case_worker"),
        agreement=agreement,
    )


def consenting(data: IncidentData | None = None) -> IncidentData:
    """The factory's incident with every target's consent to sharing with partners."""
    data = data or incident_data()
    for target in data.targets:
        assert target.person is not None
        target.person.consent_share_partners = True
    return data


def record(partners: Partners, data: IncidentData | None = None, **overrides: object) -> Incident:
    return incident_create(actor=partners.a_case_worker, data=data or incident_data(**overrides))


def share(
    partners: Partners,
    incident: Incident,
    level: str = "pseudonymised",
    readers: list[User] | None = None,
) -> Share:
    return incident_share(
        actor=partners.a_case_worker,
        incident=incident,
        partner_id=partners.b.uuid,
        level=level,
        reader_ids=[u.uuid for u in readers or []],
    )
