"""How a record's history reads on a page: each field by its form's label, each code by its
label, each part of a record (a target, a legal mechanism, a source) as one short line.

The versions keep `incident_snapshot` / `person_snapshot` as they were saved; this turns two
of them into what changed, for the roles that may see the values (see `record_history`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.forms.utils import pretty_name

from beyondreach.cases import models as m
from beyondreach.cases.templatetags.tnr import country
from beyondreach.vocab.loader import vocabulary

NONE = "—"
LONGEST = 300  # characters of one value or line; a narrative's whole text is on the page

# Where a form labels a field otherwise than its name read aloud (cases/forms.py).
LABELS = {
    "tlp": "Marking (TLP)",
    "place": "City or region",
    "verification": "Verification status",
    "verification_overridden": "Verification set by hand",
    "verification_reason": "Reason for overriding the derived status",
    "scope": "Transnational repression?",
    "scope_criteria": "Scope criteria met",
    "scope_reason": "Why it is or is not in scope",
    "contact": "Contact details",
    "host_reason": "No host country, because",
    "target_count": "Targets in all",
    "host_origin_confirmed": "A host country is also an origin state (confirmed)",
}
# In every version, but said by the version column or never changed.
UNSHOWN = frozenset({"id", "pseudonym", "version"})
ACTIONS = {
    "create": "Created",
    "update": "Edited",
    "merge": "Merged with a duplicate record",
    "merge_undo": "Merge undone",
}

IMPORTED = "imported."
Render = Callable[[Any], str]


@dataclass
class Change:
    label: str
    before: list[str]  # for a list, the items it lost; else the one former value
    after: list[str]  # for a list, the items it gained; else the new value


@dataclass
class HistoryEntry:
    version: m.RecordVersion
    # Empty for roles that do not see identities: the versions are sealed.
    changes: list[Change] = field(default_factory=list)

    @property
    def action(self) -> str:
        action = self.version.action
        # A version carried over from another organisation (interchange/transfer.py).
        if action.startswith(IMPORTED):
            done = self._label(action.removeprefix(IMPORTED))
            return f"{done} (imported from another organisation)"
        return self._label(action)

    @staticmethod
    def _label(action: str) -> str:
        return ACTIONS.get(action, pretty_name(action.replace(".", " ")))

    @property
    def fields(self) -> list[str]:
        """The labels of the fields an edit changed (a new record changed them all)."""
        if self.version.version == 1:
            return []
        return [field_label(f) for f in self.version.changed_fields if f not in UNSHOWN]


def field_label(name: str) -> str:
    return LABELS.get(name) or pretty_name(name)


def changes_between(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    fields: list[str],
    users: Mapping[str, str],
) -> list[Change]:
    """What changed in `fields` from one snapshot to the next, as a person reads it; `users`
    names the assignee by the user's UUID."""
    render = {**RENDER, "assignee": lambda uid: users.get(uid, "a former user")}
    changes = [
        _change(name, before.get(name), after.get(name), render.get(name, _text))
        for name in fields
        if name in after and name not in UNSHOWN
    ]
    # A part saved again as it was reads the same (its rows are new, with new ids).
    return [c for c in changes if c.before != c.after]


def _change(name: str, old: Any, new: Any, render: Render) -> Change:
    if isinstance(old, list) or isinstance(new, list):
        lost, gained = Counter(_lines(old, render)), Counter(_lines(new, render))
        return Change(
            field_label(name), list((lost - gained).elements()), list((gained - lost).elements())
        )
    return Change(field_label(name), [_value(old, render)], [_value(new, render)])


def _lines(items: Any, render: Render) -> list[str]:
    return [_cut(render(item)) for item in items or []]


def _value(value: Any, render: Render) -> str:
    if value is None or value == "":
        return NONE
    return _cut(render(value))


def _cut(text: str) -> str:
    return text if len(text) <= LONGEST else text[:LONGEST] + "…"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _choice(choices: type[TextChoices]) -> Render:
    labels = dict(choices.choices)
    return lambda code: str(labels.get(code, code))


def _vocab(name: str) -> Render:
    return lambda code: vocabulary(name).label(code)


def _joined(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)


def _target(t: Mapping[str, Any]) -> str:
    role = _choice(m.TargetRole)(t.get("role", ""))
    relation = _choice(m.TargetRelation)(t.get("relation") or "")
    group = t.get("target_group")
    return _joined(
        t.get("name") or t.get("pseudonym"),
        f"{role} ({relation})" if relation else role,
        _vocab("target_groups")(group) if group else None,
    )


def _group(g: Mapping[str, Any]) -> str:
    group = g.get("target_group")
    return _joined(
        f"{g.get('size')} people",
        _vocab("target_groups")(group) if group else None,
        country(g["country"]) if g.get("country") else None,
        g.get("description") or None,
    )


def _organisation(o: Mapping[str, Any]) -> str:
    return _joined(
        o.get("name") or None,
        _choice(m.OrganisationKind)(o.get("kind", "")),
        country(o["country"]) if o.get("country") else None,
    )


def _actor(a: Mapping[str, Any]) -> str:
    role = _choice(m.ActorRole)(a.get("role", ""))
    kind = _vocab("actor_types")(a.get("actor_type", ""))
    return _joined(f"{role}: {kind}", country(a.get("country") or ""), a.get("name"))


def _mechanism(x: Mapping[str, Any]) -> str:
    kind = _choice(m.MechanismKind)(x.get("kind", ""))
    status = _choice(m.MechanismStatus)(x.get("status", ""))
    reference, since = x.get("reference"), x.get("status_on")
    return _joined(
        f"{kind} {reference}" if reference else kind,
        f"issued by {country(x['issued_by'])}" if x.get("issued_by") else None,
        _dated(x.get("issued_on"), x.get("issued_precision")),
        f"{status} since {since}" if since else status,
    )


def _dated(day: str | None, precision: str | None) -> str | None:
    """A date with its precision when it is not to the day: "2024-03-01 (month)"."""
    if not day or precision in (None, "", m.DatePrecision.DAY):
        return day
    return f"{day} ({_choice(m.DatePrecision)(precision).lower()})"


def _source(s: Mapping[str, Any]) -> str:
    kind = _choice(m.SourceKind)(s.get("kind", ""))
    return _joined(
        f"{kind}: {s.get('reference') or NONE}",
        s.get("publisher"),
        s.get("published_on"),
        _choice(m.Reliability)(s.get("reliability", "")),
        "independent" if s.get("independent") else None,
    )


def _response(r: Mapping[str, Any]) -> str:
    kind = _choice(m.ResponseKind)(r.get("kind", ""))
    outcome = _choice(m.Outcome)(r.get("outcome", ""))
    description = r.get("description")
    return _joined(
        f"{kind}: {description}" if description else kind,
        f"started {_dated(r['started_on'], r.get('started_precision'))}"
        if r.get("started_on")
        else None,
        f"{outcome} ({r['outcome_on']})" if r.get("outcome_on") else outcome,
    )


def _name(n: Mapping[str, Any]) -> str:
    marks = _joined(n.get("script"), n.get("language"))
    return f"{n.get('value', '')} ({marks})" if marks else str(n.get("value", ""))


def _consent(c: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{who}: {_text(bool(c.get(key)))}"
        for key, who in (
            ("share_partners", "Partners"),
            ("share_authorities", "authorities"),
            ("public_statistics", "public statistics"),
        )
    )


RENDER: dict[str, Render] = {
    # incident
    "start_precision": _choice(m.DatePrecision),
    "end_precision": _choice(m.DatePrecision),
    "origin_states": country,
    "host_country": country,  # versions saved before an incident had several
    "host_countries": country,
    "host_reason": _choice(m.HostReason),
    "tactics": _vocab("tactics"),
    "targets": _target,
    "groups": _group,
    "organisations": _organisation,
    "actors": _actor,
    "legal_mechanisms": _mechanism,
    "sources": _source,
    "responses": _response,
    "verification": _choice(m.Verification),
    "scope": _choice(m.Scope),
    "scope_criteria": _choice(m.ScopeCriterion),
    "tlp": _choice(m.Tlp),
    "status": _choice(m.CaseStatus),
    # person
    "names": _name,
    "sex": _choice(m.Sex),
    "nationalities": country,
    "residence_country": country,
    "residence_status": _choice(m.ResidenceStatus),
    "statuses": _vocab("person_statuses"),
    "consent": _consent,
}
