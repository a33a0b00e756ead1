"""The statistics page's section on INTERPOL cases and designations: their headline figures
and the link to their tables (statistics/accountability_views.py)."""

from __future__ import annotations

from typing import Any

from django import template

from beyondreach.statistics.accountability_views import headline

register = template.Library()


@register.inclusion_tag("statistics/_accountability_section.html", takes_context=True)
def accountability_section(context: dict[str, Any]) -> dict[str, Any]:
    return {"figures": headline(context["user"])}
