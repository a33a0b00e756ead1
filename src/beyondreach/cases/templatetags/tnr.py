from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pycountry
from django import template
from django.db.models import TextChoices
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from beyondreach.cases import models as m
from beyondreach.vocab.loader import NAMES, vocabulary

if TYPE_CHECKING:
    from beyondreach.cases.views import ListRow

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


# One row of the incident list (cases/_incident_rows.html has the table around it). The
# list page is the most visited one: its 50 rows through the template's loop took about
# 5 ms of CPU of a 38 ms page (10,000 incidents, SQLite), written here about 1 ms
# (bench/README.md, "the list page's CPU"), like QuickSelect's options. data-label names
# each value when a phone shows the row as a card (site.css).
_ROW = (
    '<tr role="row">'
    '<td role="cell" data-label="Date" class="date">{}</td>'
    '<td role="cell" class="title"><a href="{}" dir="auto">{}</a></td>'
    '<td role="cell" data-label="Origin">{}</td>'
    '<td role="cell" data-label="Host">{}</td>'
    '<td role="cell" data-label="Tactics"><span>{}</span></td>'
    '<td role="cell" data-label="Targets" class="number">{}</td>'
    '<td role="cell" data-label="Status">{}</td>'
    '<td role="cell" data-label="Verification">{}</td>'
    '<td role="cell" data-label="Marking" class="tlp-{}">{}</td>'
    "</tr>"
)


@register.simple_tag
def incident_rows(rows: Sequence[ListRow]) -> SafeString:
    return format_html_join("\n", _ROW, (_row_values(r) for r in rows))


def _row_values(r: ListRow) -> tuple[object, ...]:
    tags = format_html_join("", '<span class="tag">{}</span> ', ((t,) for t in r.tactics))
    return (
        r.start_date.isoformat() if r.start_date else "Date not known",
        r.url,
        r.title,
        r.origins,
        r.hosts,
        tags,
        r.target_count,
        r.status,
        r.verification,
        r.tlp,
        r.tlp_label,
    )
