"""Records of referrals for the access matrix (tests/web/test_access_matrix.py)."""

from __future__ import annotations

from beyondreach.cases.models import Incident
from beyondreach.referrals.services import BodyData, protection_body_create, referral_send

from ..conftest import Personas
from .helpers import link_token


def referrals_records(personas: Personas, incident: Incident) -> dict[str, str]:
    body = protection_body_create(
        actor=personas.admin,
        data=BodyData(kind="relocation", name="Matrix relocation", email="m@reloc.example"),
    )
    referral = referral_send(actor=personas.case_worker, incident=incident, body=body)
    return {
        "body_id": str(body.uuid),
        "referral_id": str(referral.uuid),
        "token": link_token(referral),
    }
