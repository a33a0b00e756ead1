"""The sanctions-referral dossier for a perpetrator (issue 12, item 5): the sections the
published NGO templates for Global Magnitsky submissions ask for (legal basis, submitting
organisation and its link to the case, identification, narrative, evidence with sources,
impact, exculpatory information), filled from the perpetrator's incidents.

An incident goes into it only when every person it targeted agreed that their case be
shared with authorities (`Person.consent_share_authorities`): a sanctions submission goes
to a government. An incident with no person target (a group, an organisation) has nobody
who could agree, and is left out too. The dossier says how many incidents were left out,
never which. Only admins and case workers read it, and each reading is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from beyondreach.accountability.perpetrator_models import (
    LegalBasis,
    Perpetrator,
    PerpetratorLink,
    SanctionsDossier,
)
from beyondreach.accountability.perpetrators import link_sources, perpetrator_links
from beyondreach.accountability.sanctions import SanctionHit, perpetrator_sanctions
from beyondreach.cases import models as cm
from beyondreach.cases.inputs import FieldErrors
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import NotFoundError, PermissionDeniedError
from beyondreach.core.models import User

TEXT_MAX = 8000


def dossier_reader_check(user: User, perpetrator: Perpetrator) -> None:
    if user.organisation_id is None or perpetrator.organisation_id != user.organisation_id:
        raise NotFoundError("No such perpetrator.")
    if not (user.sees_identities and user.can_write):
        raise PermissionDeniedError("Only admins and case workers prepare sanctions dossiers.")


def consent_allows(incident: cm.Incident) -> bool:
    """Every person target agreed to share with authorities (and there is one)."""
    persons = [t.person for t in incident.targets.all()]
    return bool(persons) and all(p.consent_share_authorities for p in persons)


@dataclass
class DossierIncident:
    link: PerpetratorLink
    supporting: list[tuple[str, cm.Source | None]]

    @property
    def incident(self) -> cm.Incident:
        return self.link.incident

    @property
    def supporting_refs(self) -> set[str]:
        return {ref for ref, _ in self.supporting}


@dataclass
class Dossier:
    perpetrator: Perpetrator
    saved: SanctionsDossier | None
    incidents: list[DossierIncident] = field(default_factory=list)
    left_out: int = 0
    sanctions: list[SanctionHit] = field(default_factory=list)

    @property
    def legal_basis_label(self) -> str:
        if self.saved is None:
            return "Not chosen yet"
        return str(LegalBasis(self.saved.legal_basis).label)

    @property
    def targets(self) -> int:
        return sum(d.incident.target_count for d in self.incidents)


def dossier_of(user: User, perpetrator: Perpetrator, *, page: str) -> Dossier:
    """The dossier as it reads now, from the records; its reading audited."""
    dossier_reader_check(user, perpetrator)
    saved = SanctionsDossier.objects.filter(perpetrator=perpetrator).first()
    dossier = Dossier(perpetrator=perpetrator, saved=saved)
    for link in perpetrator_links(perpetrator):
        if consent_allows(link.incident):
            dossier.incidents.append(DossierIncident(link=link, supporting=link_sources(link)))
        else:
            dossier.left_out += 1
    dossier.sanctions = [
        h for h in perpetrator_sanctions(perpetrator) if h.sanctioned and not h.set_aside
    ]
    assert user.organisation is not None
    audit_record(
        organisation=user.organisation,
        actor=user,
        action="perpetrator.dossier_view",
        record_type="perpetrator",
        record_id=perpetrator.uuid,
        detail={
            "page": page,
            "incidents": sorted(str(d.incident.uuid) for d in dossier.incidents),
            "left_out": dossier.left_out,
        },
    )
    return dossier


@dataclass
class DossierData:
    legal_basis: str
    link_to_case: str = ""
    impact: str = ""
    exculpatory: str = ""


def dossier_save(*, actor: User, perpetrator: Perpetrator, data: DossierData) -> SanctionsDossier:
    """The case worker's part of the dossier: the legal basis, the organisation's link to
    the case, the impact, and what speaks for the perpetrator (exculpatory information)."""
    dossier_reader_check(actor, perpetrator)
    errors = FieldErrors()
    errors.choice(data.legal_basis, LegalBasis, "legal_basis")
    for name in ("link_to_case", "impact", "exculpatory"):
        value = getattr(data, name)
        errors.check(len(value) <= TEXT_MAX, name, f"At most {TEXT_MAX} characters.")
        errors.check("\x00" not in value, name, "Contains a NUL character.")
    errors.raise_found()
    with transaction.atomic():
        dossier = SanctionsDossier.objects.filter(perpetrator=perpetrator).first()
        dossier = dossier or SanctionsDossier(
            organisation_id=perpetrator.organisation_id, perpetrator=perpetrator
        )
        dossier.legal_basis, dossier.updated_by = data.legal_basis, actor
        dossier.link_to_case = data.link_to_case.strip()
        dossier.impact = data.impact.strip()
        dossier.exculpatory = data.exculpatory.strip()
        dossier.save()
        audit_record(
            organisation=perpetrator.organisation,
            actor=actor,
            action="perpetrator.dossier_save",
            record_type="perpetrator",
            record_id=perpetrator.uuid,
            detail={"legal_basis": data.legal_basis},
        )
    return dossier
