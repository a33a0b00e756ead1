"""The public page of an organisation's published statistics, on the public host beside
the reporting pages and with their headers (core.middleware.security_headers: the CSP with
no inline script, no framing, no-store). No JavaScript, no form, no cookie: nothing here
touches the session or a CSRF token. Every figure is read as stored, never counted."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beyondreach.statistics.models import Publication
from beyondreach.statistics.publish import publication_at
from beyondreach.statistics.publish_read import (
    publication_csv,
    publication_json,
    published_tables,
)


def _publication(slug: str) -> Publication:
    found = publication_at(slug)
    if found is None:
        raise Http404("No statistics are published at this address.")
    return found


@require_safe
def public_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _publication(slug)
    context = {
        "publication": publication,
        "organisation": publication.organisation.name,
        "tables": published_tables(publication.items),
    }
    response = render(request, "statistics/public.html", context)
    response["Content-Language"] = "en"
    return response


@require_safe
def public_statistics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _publication(slug)
    response = HttpResponse(publication_csv(publication.items), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{slug}-statistics.csv"'
    return response


@require_safe
def public_statistics_json(request: HttpRequest, slug: str) -> HttpResponse:
    publication = _publication(slug)
    body = publication_json(
        publication.items,
        organisation=publication.organisation.name,
        published_at=publication.published_at.isoformat(),
    )
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


@require_safe
def public_statistics_chart(request: HttpRequest, slug: str, index: str) -> HttpResponse:
    svg = _publication(slug).charts.get(index)
    if svg is None:
        raise Http404("No such chart.")
    return HttpResponse(svg, content_type="image/svg+xml")
