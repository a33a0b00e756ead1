"""Referral fixtures: an incident whose targets consent (or not), and two bodies, one with
a public key (sealed delivery) and one without (secure link)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest

from beyondreach.cases.models import Incident
from beyondreach.cases.services import incident_create
from beyondreach.referrals.models import ProtectionBody
from beyondreach.referrals.services import BodyData, protection_body_create
from beyondreach.reports.keys import new_key_pair

from ..cases.factories import incident_data
from ..conftest import Personas

TITLE = "Red Notice against a Uyghur poet in Istanbul"  # the factory's title
SECRETS = (TITLE, "Gulnara", "Гульнара", "Tokhti", "A-1234/5-2023", "news.example.org", "Urumqi")
BODY_MAIL = "relocation@protect.example"


def consenting_incident(personas: Personas, *, consent: bool = True, **kw: object) -> Incident:
    data = incident_data(**kw)
    for target in data.targets:
        target.person.consent_share_authorities = consent
    return incident_create(actor=personas.case_worker, data=data)


@dataclass
class Bodies:
    link: ProtectionBody
    sealed: ProtectionBody
    private_key: bytes


@pytest.fixture
def bodies(personas: Personas) -> Bodies:
    return make_bodies(personas)


def make_bodies(personas: Personas) -> Bodies:
    private, public = new_key_pair()
    link = protection_body_create(
        actor=personas.admin,
        data=BodyData(kind="relocation", name="Shelter City", email=BODY_MAIL),
    )
    sealed = protection_body_create(
        actor=personas.admin,
        data=BodyData(
            kind="un_procedure",
            name="Special Rapporteur",
            email="urgent@ohchr.example",
            public_key=base64.b64encode(public).decode(),
        ),
    )
    return Bodies(link=link, sealed=sealed, private_key=private)
