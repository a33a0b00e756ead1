"""`{% incident_shares incident %}`: the owner's "Shared with partners" section, so the
incident page shows its shares without the cases app depending on this one."""

from __future__ import annotations

from typing import Any

from django import template

from beyondreach.cases.models import Incident
from beyondreach.core.models import User
from beyondreach.sharing.selectors import shares_of_incident

register = template.Library()


@register.inclusion_tag("sharing/_incident_shares.html", takes_context=True)
def incident_shares(
    context: template.Context, incident: Incident, show_link: bool = True
) -> dict[str, Any]:
    user = context["user"]
    assert isinstance(user, User)
    return {
        "incident": incident,
        "shares": shares_of_incident(user, incident),
        "can_write": user.can_write,
        "show_link": show_link,
        "csrf_token": context.get("csrf_token"),  # for the revoke buttons
    }
