"""The perpetrators recorded for an incident, on the incident's page (the cases app does not
import this one: its template loads the tag)."""

from __future__ import annotations

from typing import Any

from django import template

from beyondreach.accountability.perpetrator_views import label
from beyondreach.accountability.perpetrators import incident_perpetrators
from beyondreach.cases.models import Incident

register = template.Library()


@register.inclusion_tag(
    "accountability/_incident_perpetrators.html", takes_context=True, name="incident_perpetrators"
)
def incident_perpetrators_tag(context: dict[str, Any], incident: Incident) -> dict[str, Any]:
    user = context["user"]
    return {
        "links": [(link, label(link.perpetrator, user)) for link in incident_perpetrators(incident)]
    }
