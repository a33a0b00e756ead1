from __future__ import annotations

import pycountry
from django import template

from tnrwatch.vocab.loader import vocabulary

register = template.Library()


@register.filter
def label(code: str, vocab: str) -> str:
    """`{{ code|label:"tactics" }}`: the English label of a vocabulary code."""
    return vocabulary(vocab).label(code)


@register.filter
def country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return f"{found.name} ({code})" if found else code
