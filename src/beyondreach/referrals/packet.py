"""What a protection body receives: decided here, and nowhere else.

Identities travel only when the referral was made with them *and* every target of the
incident still consents to sharing with authorities (`consent_share_authorities`), read
again each time the packet is built; otherwise the body gets `incident_snapshot(
identities=False)`. As for partner shares (docs/sharing.md), one target without consent
withholds every name: free text names people, and no program can redact it reliably.
"""

from __future__ import annotations

from typing import Any

from beyondreach.cases import models as cm
from beyondreach.cases.export import PROTECTION_BODY, incident_snapshot, project
from beyondreach.cases.selectors import incident_detail_queryset
from beyondreach.referrals.models import Level, Referral


def targets_consent(incident: cm.Incident) -> bool:
    """Every target agreed to sharing with authorities. No target: nobody agreed."""
    targets = list(incident.targets.all())
    return bool(targets) and all(t.person.consent_share_authorities for t in targets)


def targets_without_consent(incident: cm.Incident) -> list[cm.Person]:
    return [t.person for t in incident.targets.all() if not t.person.consent_share_authorities]


def referral_packet(referral: Referral) -> dict[str, Any]:
    """The packet as it may be read now (the incident and the consent are read live)."""
    incident = incident_detail_queryset().get(pk=referral.incident_id)
    identities = referral.level == Level.IDENTITIES and targets_consent(incident)
    # The allow-list of what a body reads (cases.export.PROTECTION_BODY): nothing of the
    # organisation's case management, judgement of scope or internal ids.
    snapshot = project(incident_snapshot(incident, identities=identities), PROTECTION_BODY)
    return {
        "referral": str(referral.uuid),
        "from": incident.organisation.name,
        "to": referral.body.name,
        "sent_on": referral.sent_on.isoformat(),
        "identities": identities,
        "incident": snapshot,
    }
