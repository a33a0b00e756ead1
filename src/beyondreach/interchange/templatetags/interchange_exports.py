"""`{% export_link form %}`: the incident list's link to the export page, carrying its filters."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("interchange/_export_link.html")
def export_link(form: forms.Form) -> dict[str, Any]:
    """The list's coded filters as a query string; a searched name is left out (a name never
    goes in a URL) and the link says so."""
    given: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = {
        k: v.isoformat() if isinstance(v, date) else v
        for k, v in given.items()
        if v and k not in ("q", "page")
    }
    href = reverse("export") + (f"?{urlencode(query)}" if query else "")
    return {"href": href, "name_left_out": bool(given.get("q"))}
