"""Entries of the access matrix (tests/web/matrix.py) for the import pages, and the import
behind their parameter: admins and case workers import; analysts and viewers may not. The
trusted partners' pages (senders of transfer files) are for admins only."""

from __future__ import annotations

from nacl.public import PrivateKey
from nacl.signing import SigningKey

from beyondreach.cases.models import Incident
from beyondreach.interchange.imports import import_create
from beyondreach.interchange.models import TrustedSender
from beyondreach.interchange.transfer import public_key_text
from beyondreach.interchange.transfer_trust import trusted_sender_add

from ..conftest import Personas

PAGES: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    # An empty POST is a form without its file: 400 with the error.
    "imports/": ("staff", {"GET HEAD": (200, 200, 403, 403), "POST": (400, 400, 403, 403)}),
    "imports/<str:job_id>/": (
        "staff",
        {"GET HEAD": (200, 200, 403, 403), "POST": (302, 302, 403, 403)},
    ),
    "imports/<str:job_id>/progress/": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
    "imports/<str:job_id>/rejected.csv": ("staff", {"GET HEAD": (200, 200, 403, 403)}),
    # Trusted partners: admins only. An empty POST is a form without its fields (or, to
    # remove, without the box ticked): 400 with the errors.
    "imports/partners/": (
        "staff",
        {"GET HEAD": (200, 403, 403, 403), "POST": (400, 403, 403, 403)},
    ),
    "imports/partners/<str:partner_id>/": (
        "staff",
        {"GET HEAD": (200, 403, 403, 403), "POST": (400, 403, 403, 403)},
    ),
    "imports/partners/<str:partner_id>/remove/": ("staff", {"POST": (400, 403, 403, 403)}),
}
API: dict[str, tuple[str, dict[str, tuple[int, int, int, int]]]] = {
    # Without a file: 422 naming it, before the role is looked at (tests/interchange checks
    # that analysts and viewers get 403 with one).
    "api/v1/imports": ("staff", {"POST": (422, 422, 422, 422)}),
    "api/v1/imports/<job_id>": ("staff", {"GET": (200, 200, 403, 403)}),
}

SHEET = b"incident_id,year,origin_country,tactic\nM-1,2024,China,Detention\n"


def records(personas: Personas, incident: Incident) -> dict[str, str]:
    job = import_create(actor=personas.case_worker, fmt="fh", filename="m.csv", content=SHEET)
    return {"job_id": str(job.uuid), "partner_id": str(trusted_partner(personas).uuid)}


def partner_key() -> str:
    """A partner's transfer key as its admin gives it (`TransferKey.exchange`)."""
    public = bytes(PrivateKey.generate().public_key)
    verify = bytes(SigningKey.generate().verify_key)
    return f"{public_key_text(public)}:{public_key_text(verify)}"


def trusted_partner(personas: Personas) -> TrustedSender:
    return trusted_sender_add(actor=personas.admin, key=partner_key(), name="Matrix Partner")
