"""Security headers on every response, and session expiry (idle and absolute)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

Handler = Callable[[HttpRequest], HttpResponse]

# No inline script or style, nothing from another host, no framing.
CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def security_headers(get_response: Handler) -> Handler:
    """Outermost middleware, so error pages get the same headers."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response["X-Frame-Options"] = "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "same-origin"  # see settings.SECURE_REFERRER_POLICY
        response["Cross-Origin-Opener-Policy"] = "same-origin"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        if not request.path.startswith(settings.STATIC_URL):
            # Private pages must never be kept by a browser or a proxy.
            response["Cache-Control"] = "no-store, max-age=0"
            response["Pragma"] = "no-cache"
        return response

    return middleware


SESSION_STARTED = "tnr_started"
SESSION_SEEN = "tnr_seen"


def session_expiry(get_response: Handler) -> Handler:
    """Log out a session older than SESSION_ABSOLUTE_SECONDS, however active it is, and keep
    an active one from expiring when idle.

    The idle expiry (SESSION_COOKIE_AGE) slides forward each time the session is saved.
    Saving it on every request (Django's SESSION_SAVE_EVERY_REQUEST) would make every page
    view a database write; saving it when the last save is older than
    SESSION_IDLE_REFRESH_SECONDS keeps the idle limit to within that many seconds.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        # The API authenticates by token, never by session, so it is not redirected here.
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            started = request.session.get(SESSION_STARTED)
            now = time.time()
            if started is None or now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - request.session.get(SESSION_SEEN, 0) > settings.SESSION_IDLE_REFRESH_SECONDS:
                request.session[SESSION_SEEN] = now  # modified, so saved with a new expiry
        return get_response(request)

    return middleware
