"""On a public host (the onion address, a reporting-only domain) only the reporting pages
exist: the staff pages, the login and the API answer 404 there, as if absent."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


def public_hosts_only_report(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        public = settings.REPORTS_PUBLIC_HOSTS  # read per request: a short list
        if public and request.get_host().split(":")[0].lower() in {h.lower() for h in public}:
            request.urlconf = "beyondreach.reports.public_urls"
        return get_response(request)

    return middleware
