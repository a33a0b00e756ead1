from __future__ import annotations

import pycountry
from django import template
from django.db.models import TextChoices

from beyondreach.cases import models as m
from beyondreach.vocab.loader import NAMES, vocabulary

register = template.Library()

# The choices a page shows as values of its own (an incident's view, a referral packet),
# by the name a template asks for, beside the vocabularies' names.
CHOICES: dict[str, type[TextChoices]] = {
    "actor_roles": m.ActorRole,
    "target_roles": m.TargetRole,
    "target_relations": m.TargetRelation,
    "mechanism_kinds": m.MechanismKind,
    "mechanism_statuses": m.MechanismStatus,
    "reliabilities": m.Reliability,
    "source_kinds": m.SourceKind,
    "response_kinds": m.ResponseKind,
    "outcomes": m.Outcome,
    "date_precisions": m.DatePrecision,
    "case_statuses": m.CaseStatus,
    "verifications": m.Verification,
    "scopes": m.Scope,
    "scope_criteria": m.ScopeCriterion,
    "host_reasons": m.HostReason,
    "organisation_kinds": m.OrganisationKind,
}


@register.filter
def label(code: str, vocab: str) -> str:
    """`{{ code|label:"tactics" }}`, `{{ code|label:"reliabilities" }}`: the English label of
    a code of a vocabulary or of one of CHOICES; a code it does not know stays as it is."""
    if vocab in CHOICES:
        return str(dict(CHOICES[vocab].choices).get(code, code))
    if vocab not in NAMES:
        raise template.TemplateSyntaxError(f"label: no vocabulary or choices {vocab!r}")
    return vocabulary(vocab).label(code)


@register.filter
def country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code) if code else None
    return f"{found.name} ({code})" if found else code
