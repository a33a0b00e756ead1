"""What an alert says, decided here and nowhere else.

- A focal point (external) gets coded facts only: countries, tactics, dates, verification,
  marking, why it is urgent, and a link that needs a login. Never a title, a name, a
  narrative, a place or a reference; and never anything about a TLP:RED incident.
- A user (internal) gets what the role sees (`incident_snapshot(identities=...)`): the
  title for admins and case workers, `[withheld]` for analysts and viewers; targets only by
  pseudonym and target group. Mail leaves the system, so even for those who may see more,
  nothing else identifying goes into it (no narrative, place, names or sources), and a
  TLP:RED incident's title stays out of it too: the link opens the rest.
- A partner's user, of an incident shared with their organisation, gets the coded facts,
  who shared it and a link to the shared view; no title or targets, whatever the share's
  level (the view applies it). A partner's focal points get nothing of it.
- Subject lines carry coded facts only: they show on lock screens and in mail previews.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pycountry
from django.urls import reverse

from beyondreach.alerts.models import Subscription
from beyondreach.alerts.urgency import Urgency
from beyondreach.cases import models as cm
from beyondreach.cases.export import incident_snapshot
from beyondreach.outbox.services import site_link
from beyondreach.vocab.loader import vocabulary

RED_TITLE = "[withheld: TLP:RED]"


def incident_link(incident: cm.Incident) -> str:
    return site_link(reverse("incident-detail", args=[incident.uuid]))


def coded_facts(incident: cm.Incident, urgency: Urgency) -> dict[str, Any]:
    """The external allow-list: every value is a code, a date or our own link."""
    return {
        "id": str(incident.uuid),
        "link": incident_link(incident),
        "origin_states": sorted(o.country for o in incident.origins.all()),
        "host_countries": sorted(h.country for h in incident.hosts.all()),
        "host_reason": incident.host_reason,
        "tactics": sorted(t.tactic for t in incident.tactics.all()),
        "start_date": incident.start_date.isoformat() if incident.start_date else None,
        "start_precision": incident.start_precision,
        "verification": incident.verification,
        "tlp": incident.tlp,
        "urgent": urgency.urgent,
        "urgency_reasons": list(urgency.reasons),
        "deciding_date": urgency.soonest.isoformat() if urgency.soonest else None,
    }


def internal_facts(incident: cm.Incident, urgency: Urgency, *, identities: bool) -> dict[str, Any]:
    snapshot = incident_snapshot(incident, identities=identities)
    return {
        **coded_facts(incident, urgency),
        "title": RED_TITLE if incident.tlp == cm.Tlp.RED else snapshot["title"],
        "status": incident.status,
        "targets": [
            {"pseudonym": t["pseudonym"], "role": t["role"], "target_group": t["target_group"]}
            for t in snapshot["targets"]
        ],
    }


def partner_facts(incident: cm.Incident, urgency: Urgency) -> dict[str, Any]:
    """For a partner's user, of an incident shared with them: the coded facts, who shared
    it, and a link to the shared view, where the share's level and their role decide the
    rest. Mail leaves the system, and a share may be pseudonymised: no title, no targets."""
    return {
        **coded_facts(incident, urgency),
        "link": site_link(reverse("shared-detail", args=[incident.uuid])),
        "shared_by": incident.organisation.name,
    }


def facts_for(
    subscription: Subscription, incident: cm.Incident, urgency: Urgency
) -> dict[str, Any]:
    if subscription.organisation_id != incident.organisation_id:
        return partner_facts(incident, urgency)
    if subscription.user is None:
        return coded_facts(incident, urgency)
    return internal_facts(incident, urgency, identities=subscription.user.sees_identities)


def _country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return f"{found.name} ({code})" if found else code


def _tactics(codes: Sequence[str]) -> str:
    tactics = vocabulary("tactics")
    return "; ".join(tactics.label(c) for c in codes) or "—"


def _hosts(facts: dict[str, Any]) -> str:
    if facts["host_countries"]:
        return ", ".join(_country(c) for c in facts["host_countries"])
    return f"none ({dict(cm.HostReason.choices).get(facts['host_reason'], 'reason not given')})"


def subject_line(facts: dict[str, Any], labels: list[str]) -> str:
    where = ", ".join(facts["host_countries"]) or "no host country"
    if facts["urgent"]:
        return f"[Beyond Reach] Urgent: incident in {where} ({', '.join(labels)})"
    return f"[Beyond Reach] Incident in {where}"


def facts_text(facts: dict[str, Any], labels: list[str]) -> str:
    lines = []
    if "shared_by" in facts:
        lines.append(f"Shared with you by: {facts['shared_by']}")
    if "title" in facts:
        lines.append(f"Title: {facts['title']}")
    lines += [
        f"Origin state(s): {', '.join(_country(c) for c in facts['origin_states']) or '—'}",
        f"Host countries: {_hosts(facts)}",
        f"Tactics: {_tactics(facts['tactics'])}",
        f"Started: {facts['start_date']} ({facts['start_precision']})",
        f"Verification: {facts['verification']}",
        f"Marking: TLP:{facts['tlp'].upper()}",
    ]
    if facts["urgent"]:
        lines.append(f"Urgent: {', '.join(labels)}")
    if facts["deciding_date"]:
        lines.append(f"Deciding date: {facts['deciding_date']}")
    for target in facts.get("targets", []):
        group = target["target_group"] or "target group not coded"
        lines.append(f"Target: {target['pseudonym']} ({target['role']}, {group})")
    lines.append(f"Open it (login required): {facts['link']}")
    return "\n".join(lines)


def rule_text(subscription: Subscription) -> str:
    parts = [
        f"{label} {', '.join(values)}"
        for label, values in (
            ("origin", subscription.origin_states),
            ("host", subscription.host_countries),
            ("tactic", subscription.tactics),
            ("target group", subscription.target_groups),
        )
        if values
    ]
    if subscription.urgent_only:
        parts.append("urgent only")
    return "; ".join(parts) or "every incident"


def footer(subscription: Subscription, organisation_name: str) -> str:
    why = f"You receive this because of the alert rule: {rule_text(subscription)}."
    if subscription.user is not None:
        return f"{why}\nChange your alerts: {site_link(reverse('alert-list'))}"
    return f"{why}\nTo change or stop these alerts, contact {organisation_name}."
