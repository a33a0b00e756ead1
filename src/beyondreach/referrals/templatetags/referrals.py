"""`{% incident_referrals incident %}`: the incident page's "Referrals" section, so the
incident page shows its referrals without the cases app depending on this one."""

from __future__ import annotations

from typing import Any

from django import template

from beyondreach.cases.models import Incident
from beyondreach.core.models import User
from beyondreach.referrals.selectors import referrals_of_incident

register = template.Library()


@register.inclusion_tag("referrals/_incident_referrals.html", takes_context=True)
def incident_referrals(context: template.Context, incident: Incident) -> dict[str, Any]:
    user = context["user"]
    assert isinstance(user, User)
    return {
        "incident": incident,
        "referrals": list(referrals_of_incident(user, incident)),
        "can_write": user.can_write,
        "sees_identities": user.sees_identities,
    }
