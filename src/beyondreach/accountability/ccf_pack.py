"""The CCF request pack (issue 12, item 5): what a request to the Commission for the Control
of INTERPOL's Files needs, assembled from one INTERPOL case of a defended person.

- the requesting person's identification as recorded (names in every script, birth date,
  nationalities, residence): sealed data, so the pack is for roles that see identities only;
- the notice or diffusion (kind, issuing state, number, dates, the charge as stated, public
  or not, its status);
- the request asked for (access, or correction or deletion) and the grounds the case worker
  chose (the codes of `CcfGround`);
- the facts in date order, and the case's incidents that show the notice's political
  character, with their tactics, dates, countries and sources;
- the steps in host countries (arrests, extradition decisions, asylum) as supporting
  decisions, and the requests already made to the CCF.

Consent: an incident goes into the pack only when every person it targeted consented to
sharing with authorities (the referrals' rule, `referrals.packet.targets_consent`), read
again each time the pack is made; the pack says how many incidents it left out, never which.
Every look at a pack is audited (`interpol_case.ccf_pack`), with its choices, never its text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pycountry

from beyondreach.accountability import models as am
from beyondreach.cases import models as cm
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import PermissionDeniedError
from beyondreach.core.models import User
from beyondreach.referrals.packet import targets_consent

# What each ground asks the CCF to weigh, in a sentence the pack prints under its name.
GROUND_ARGUMENTS: dict[str, str] = {
    am.CcfGround.ARTICLE_3: (
        "INTERPOL's Constitution forbids any intervention or activity of a political, "
        "military, religious or racial character (Article 3)."
    ),
    am.CcfGround.ARTICLE_2: (
        "INTERPOL acts in the spirit of the Universal Declaration of Human Rights (Article 2); "
        "the notice serves the persecution of the person."
    ),
    am.CcfGround.ARTICLE_83: (
        "The conditions for a Red Notice are not met (Article 83 of the Rules on the "
        "Processing of Data): the facts, the charge or the minimum penalty are not established."
    ),
    am.CcfGround.REFUGEE_STATUS: (
        "The person is a recognised refugee or asylum seeker, protected from the state that "
        "seeks them (INTERPOL's policy on refugees)."
    ),
    am.CcfGround.DUE_PROCESS: (
        "A fair trial in the issuing state is in doubt: the proceedings behind the notice do "
        "not respect due process."
    ),
    am.CcfGround.OTHER: "Other grounds, set out in the facts.",
}


@dataclass(frozen=True)
class PackIncident:
    incident: cm.Incident
    tactics: list[str]  # codes of vocabulary "tactics"
    origins: list[str]
    hosts: list[str]
    sources: list[cm.Source]


@dataclass(frozen=True)
class Fact:
    on: dt.date | None
    text: str


@dataclass(frozen=True)
class Ground:
    code: str
    label: str
    argument: str


@dataclass(frozen=True)
class CcfPack:
    case: am.InterpolCase
    names: list[cm.PersonName]
    birth_date: str
    nationalities: list[str]
    residence_country: str
    residence_status: str  # its label
    request_kind: str  # a CcfRequestKind code
    request_label: str
    grounds: list[Ground]
    facts: list[Fact]
    incidents: list[PackIncident]
    left_out: int  # the case's incidents whose targets did not all consent
    steps: list[am.NationalStep]
    requests: list[am.CcfRequest]  # those already made, with their outcome


def _incidents(case: am.InterpolCase) -> list[cm.Incident]:
    found = case.incidents.filter(organisation_id=case.organisation_id).prefetch_related(
        "targets__person", "tactics", "origins", "hosts", "sources"
    )
    return sorted(found, key=lambda i: (i.start_date is None, i.start_date or dt.date.min, i.pk))


def _facts(
    case: am.InterpolCase, incidents: list[PackIncident], steps: list[am.NationalStep]
) -> list[Fact]:
    """The chronology: the notice, each incident the pack holds, each step in a host country
    and each request already made, oldest first; undated ones last."""
    facts = [
        Fact(
            case.issued_on,
            f"{case.get_kind_display()} issued at the request of {_country(case.issuing_state)}.",
        )
    ]
    facts += [Fact(p.incident.start_date, p.incident.title) for p in incidents]
    facts += [Fact(s.on, f"{_country(s.country)}: {s.get_kind_display()}.") for s in steps]
    for r in case.ccf_requests.all():
        facts.append(Fact(r.filed_on, f"Request to the CCF: {r.get_kind_display()}."))
        if r.decided_on:
            facts.append(Fact(r.decided_on, f"The CCF decided: {r.get_outcome_display()}."))
    return sorted(facts, key=lambda f: (f.on is None, f.on or dt.date.min))


def _country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(found.name) if found else code


def ccf_pack(
    user: User, case: am.InterpolCase, *, request_kind: str, grounds: list[str]
) -> CcfPack:
    """The pack of `case` as `user` may read it now (an admin or a case worker of the case's
    organisation: `case` comes from `access_interpol_case`)."""
    if not user.sees_identities or user.organisation_id != case.organisation_id:
        raise PermissionDeniedError("Only admins and case workers make a CCF request pack.")
    person = case.person
    included, left_out = [], 0
    for incident in _incidents(case):
        if not targets_consent(incident):
            left_out += 1
            continue
        included.append(
            PackIncident(
                incident=incident,
                tactics=sorted(t.tactic for t in incident.tactics.all()),
                origins=sorted(o.country for o in incident.origins.all()),
                hosts=sorted(h.country for h in incident.hosts.all()),
                sources=list(incident.sources.all()),
            )
        )
    steps = list(case.steps.all())
    chosen = set(grounds)
    return CcfPack(
        case=case,
        names=list(person.names.all()),
        birth_date=person.birth_date,
        nationalities=list(person.nationalities),
        residence_country=person.residence_country,
        residence_status=str(cm.ResidenceStatus(person.residence_status).label)
        if person.residence_status in cm.ResidenceStatus.values
        else person.residence_status,
        request_kind=request_kind,
        request_label=str(am.CcfRequestKind(request_kind).label),
        grounds=[
            Ground(code, str(label), GROUND_ARGUMENTS[code])
            for code, label in am.CcfGround.choices
            if code in chosen
        ],
        facts=_facts(case, included, steps),
        incidents=included,
        left_out=left_out,
        steps=steps,
        requests=list(case.ccf_requests.all()),
    )


def ccf_pack_viewed(*, actor: User, pack: CcfPack, printable: bool) -> None:
    """Audit one look at a pack: who, which case, what was chosen and how many incidents were
    in and out. Codes and counts only: the pack's text stays out of the log."""
    assert actor.organisation is not None
    audit_record(
        organisation=actor.organisation,
        actor=actor,
        action="interpol_case.ccf_pack",
        record_type="interpol_case",
        record_id=pack.case.uuid,
        detail={
            "printable": printable,
            "request": pack.request_kind,
            "grounds": [g.code for g in pack.grounds],
            "incidents": len(pack.incidents),
            "left_out": pack.left_out,
        },
    )
