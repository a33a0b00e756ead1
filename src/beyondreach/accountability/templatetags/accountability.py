"""A person's INTERPOL cases, on the person's page (the cases app does not import this one)."""

from __future__ import annotations

from typing import Any

from django import template

from beyondreach.accountability.selectors import person_interpol_cases
from beyondreach.cases.models import Person

register = template.Library()


@register.inclusion_tag(
    "accountability/_person_cases.html", takes_context=True, name="person_interpol_cases"
)
def person_cases(context: dict[str, Any], person: Person) -> dict[str, Any]:
    return {
        "cases": person_interpol_cases(person),
        "designations": list(person.designations.order_by("-created_at")),
        "person": person,
        "user": context["user"],
    }
