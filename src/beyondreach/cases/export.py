"""Explicit, allow-listed representations of records.

`incident_snapshot` is the full record (identities included) kept sealed in its history and
in backups. `incident_view` is what one user may see: for a role that does not see
identities, names, contacts, narratives, places and references are withheld and persons
appear under a stable pseudonym.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from beyondreach.cases import models as m
from beyondreach.cases.names import blind
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys
from beyondreach.vocab.loader import vocabulary

WITHHELD = "[withheld]"


def pseudonym(person: m.Person) -> str:
    """A stable alias: the same person reads the same across incidents, yet names nothing."""
    return "P-" + blind(org_keys(person.organisation_id).pseudonym, str(person.uuid))[:10].upper()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def person_snapshot(person: m.Person, *, identities: bool = True) -> dict[str, Any]:
    def hide(value: str) -> str:
        return value if identities else (WITHHELD if value else "")

    return {
        "id": str(person.uuid),
        "pseudonym": pseudonym(person),
        "names": [
            {"value": hide(n.value), "script": n.script, "language": n.language}
            for n in person.names.all()
        ]
        if identities
        else [],
        "birth_date": hide(person.birth_date),
        "sex": person.sex,
        "nationalities": person.nationalities,
        "residence_country": person.residence_country,
        "residence_status": person.residence_status,
        "statuses": person.statuses,
        "contact": hide(person.contact),
        "risk_notes": hide(person.risk_notes),
        "consent": {
            "share_partners": person.consent_share_partners,
            "share_authorities": person.consent_share_authorities,
            "public_statistics": person.consent_public_statistics,
        },
        "version": person.version,
    }


def incident_snapshot(
    incident: m.Incident,
    *,
    identities: bool = True,
    written: Mapping[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """The incident whole, as its history keeps it. `written`: part rows the caller has
    just saved, by related name (cases.rows.incident_part_rows, and "targets" and
    "organisation_targets" when the save knows there are none), read from there instead of
    back from the database (a save's snapshot then costs at most two queries, not ten)."""

    def hide(value: str) -> str:
        return value if identities else (WITHHELD if value else "")

    def rows(name: str) -> list[Any]:
        if written is not None and name in written:
            return written[name]
        return list(getattr(incident, name).all())

    groups = rows("groups")
    group_index = {group.pk: index for index, group in enumerate(groups)}
    return {
        "id": str(incident.uuid),
        "title": hide(incident.title),
        "narrative": hide(incident.narrative),
        "start_date": _iso(incident.start_date),
        "start_precision": incident.start_precision,
        "end_date": _iso(incident.end_date),
        "end_precision": incident.end_precision,
        "ongoing": incident.ongoing,
        "origin_states": sorted(o.country for o in rows("origins")),
        "host_countries": sorted(h.country for h in rows("hosts")),
        "host_reason": incident.host_reason,
        "host_origin_confirmed": incident.host_origin_confirmed,
        "place": hide(incident.place),
        "coordinates": hide(incident.coordinates),
        "tactics": sorted(t.tactic for t in rows("tactics")),
        "targets": [
            {
                "person": str(t.person.uuid),
                "pseudonym": pseudonym(t.person),
                "name": hide(_first_name(t.person)),
                "role": t.role,
                "target_group": t.target_group,
                "relation": t.relation,
                "member_of": group_index.get(t.group_id) if t.group_id else None,
            }
            for t in rows("targets")
        ],
        "groups": [
            {
                "target_group": g.target_group,
                "size": g.size,
                "country": g.country,
                "description": hide(g.description),
            }
            for g in groups
        ],
        "organisations": [
            {
                "organisation": str(o.target.uuid),
                "name": hide(o.target.name),
                "kind": o.target.kind,
                "country": o.target.country,
            }
            for o in rows("organisation_targets")
        ],
        "target_count": incident.target_count,
        "actors": [
            {"role": a.role, "actor_type": a.actor_type, "country": a.country, "name": hide(a.name)}
            for a in rows("actors")
        ],
        "legal_mechanisms": [
            {
                "kind": x.kind,
                "reference": hide(x.reference),
                "issued_by": x.issued_by,
                "issued_on": _iso(x.issued_on),
                "issued_precision": x.issued_precision,
                "status": x.status,
                "status_on": _iso(x.status_on),
            }
            for x in rows("mechanisms")
        ],
        "sources": [
            {
                "id": str(s.uuid),
                "kind": s.kind,
                "reference": hide(s.reference),
                "publisher": hide(s.publisher),
                "published_on": _iso(s.published_on),
                "reliability": s.reliability,
                "independent": s.independent,
            }
            for s in rows("sources")
        ],
        "verification": incident.verification,
        "verification_overridden": incident.verification_overridden,
        "verification_reason": hide(incident.verification_reason),
        "scope": incident.scope,
        "scope_criteria": list(incident.scope_criteria),
        "scope_reason": hide(incident.scope_reason),
        "tlp": incident.tlp,
        "status": incident.status,
        "assignee": str(incident.assignee.uuid) if incident.assignee else None,
        "due_date": _iso(incident.due_date),
        "responses": [
            {
                "kind": r.kind,
                "description": hide(r.description),
                "started_on": _iso(r.started_on),
                "started_precision": r.started_precision,
                "outcome": r.outcome,
                "outcome_on": _iso(r.outcome_on),
            }
            for r in rows("responses")
        ],
        "version": incident.version,
    }


def _first_name(person: m.Person) -> str:
    names = list(person.names.all())
    return names[0].value if names else ""


def incident_view(incident: m.Incident, viewer: User) -> dict[str, Any]:
    view = incident_snapshot(incident, identities=viewer.sees_identities)
    view["freedom_house_physical"] = meets_freedom_house_definition(view["tactics"])
    return view


def meets_freedom_house_definition(tactics: list[str]) -> bool:
    """Whether an incident counts under Freedom House's narrower definition: at least one
    direct, physical tactic (the vocabulary's "physical" category). Derived, never stored,
    so it follows the vocabulary; both counts can then be given."""
    return bool(set(tactics) & physical_tactics())


def physical_tactics() -> frozenset[str]:
    terms = vocabulary("tactics").terms.values()
    return frozenset(t.code for t in terms if t.category == "physical")


def person_view(person: m.Person, viewer: User) -> dict[str, Any]:
    return person_snapshot(person, identities=viewer.sees_identities)


# What an audience outside the organisation reads of `incident_snapshot`: allow-lists, so a
# field added to the snapshot reaches nobody outside until it is added here on purpose. A
# key maps to None (its value as it is) or to the keys kept of each item of its list.
Projection = Mapping[str, "frozenset[str] | None"]

_PARTS: Projection = {
    "actors": frozenset({"role", "actor_type", "country", "name"}),
    "legal_mechanisms": frozenset(
        {
            "kind",
            "reference",
            "issued_by",
            "issued_on",
            "issued_precision",
            "status",
            "status_on",
        }
    ),
    "sources": frozenset(
        {"kind", "reference", "publisher", "published_on", "reliability", "independent"}
    ),
    "responses": frozenset(
        {"kind", "description", "started_on", "started_precision", "outcome", "outcome_on"}
    ),
    # A person or organisation by the pseudonym or name, never the owner's internal id: with
    # it, packets or shares could be joined into a file on one person.
    "targets": frozenset({"pseudonym", "name", "role", "target_group", "relation", "member_of"}),
    "groups": frozenset({"target_group", "size", "country", "description"}),
    "organisations": frozenset({"name", "kind", "country"}),
}
_FACTS = (
    "id",
    "title",
    "narrative",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "ongoing",
    "origin_states",
    "host_countries",
    "host_reason",
    "host_origin_confirmed",
    "place",
    "coordinates",
    "tactics",
    "target_count",
    "verification",
    "verification_overridden",
    "verification_reason",
    "tlp",
    "status",
)
# A partner organisation (docs/sharing.md): the record, with the owner's judgement of scope
# so pooled counts leave out what the owner did not count, its version to see an update, and
# its deadline; not whom the owner assigned, nor why it judged the scope so.
PARTNER: Projection = {
    **dict.fromkeys(_FACTS),
    "scope": None,
    "scope_criteria": None,
    "due_date": None,
    "version": None,
    **_PARTS,
}
# A protection body (docs/referrals.md): the record as facts; nothing of the organisation's
# case management (assignee, deadline, version) nor of its judgement of scope.
PROTECTION_BODY: Projection = {**dict.fromkeys(_FACTS), **_PARTS}


def project(snapshot: Mapping[str, Any], projection: Projection) -> dict[str, Any]:
    """The snapshot's allowed keys only, and of each part's items their allowed keys."""
    return {
        key: snapshot[key]
        if keep is None
        else [{k: v for k, v in item.items() if k in keep} for item in snapshot[key]]
        for key, keep in projection.items()
        if key in snapshot
    }
