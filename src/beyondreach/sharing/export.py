"""What a partner reads of a shared incident: `cases.export.incident_snapshot` through the
allow-list `cases.export.PARTNER`, with
identities only when the share, the reader's role and every target's consent allow them, and
without what is the owner's internal business.

Left out even at the full level: the owner's assignee (a staff account of the owner), the
owner's internal ids of persons and sources (a partner has no page to open them with), the
record's history, and everything of a person beyond the incident (contact, risk notes, birth
date): the incident record is what is shared, not the person's file.
"""

from __future__ import annotations

from typing import Any

from beyondreach.cases.export import PARTNER, incident_snapshot, project
from beyondreach.sharing.selectors import SharedIncident


def shared_incident_view(shared: SharedIncident) -> dict[str, Any]:
    view = project(incident_snapshot(shared.incident, identities=shared.identities), PARTNER)
    share = shared.share
    view["shared"] = {
        "by": share.owner.name,
        "level": share.level,
        "since": share.shared_at,
        "identities": shared.identities,
        "withheld_because": shared.withheld_because,
    }
    return view
