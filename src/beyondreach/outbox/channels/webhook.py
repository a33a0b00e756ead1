"""Signed webhooks: an HTTP POST of JSON, signed with the receiver's secret (signing.py).

Redirects are never followed (a redirect could send the body somewhere the admin did not
choose). Outside development, only https URLs to public addresses are accepted, so that a
webhook cannot be aimed at the server's own network (BEYONDREACH_WEBHOOK_ALLOW_LOCAL lifts it,
for a receiver inside the organisation's network and for tests).
"""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from beyondreach.outbox.channels import DeliveryError, Webhook
from beyondreach.outbox.signing import EVENT_HEADER, KEY_HEADER, SIGNATURE_HEADER, signature_header

# Answers after which the same request may succeed later; other 4xx mean "never".
RETRYABLE = frozenset({408, 425, 429})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(_NoRedirects())


def url_problem(url: str) -> str | None:
    """Why this URL may not receive webhooks, or None. Checked on the form and on sending."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - parsing the port raises ValueError on a bad one
    except ValueError:
        return "This is not a valid URL."
    allow_local = settings.WEBHOOK_ALLOW_LOCAL
    if parts.scheme not in ({"https", "http"} if allow_local else {"https"}):
        return "Use an https:// URL." if not allow_local else "Use an http(s):// URL."
    if not host:
        return "The URL has no host."
    if parts.username or parts.password:
        return "Put no user name or password in the URL; the signature authenticates us."
    if not allow_local and _is_local_literal(host):
        return "The URL points to a private or local address."
    return None


def _is_local_literal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")
    return not address.is_global


def _resolves_locally(host: str, port: int) -> bool:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return any(not ipaddress.ip_address(info[4][0]).is_global for info in infos)


def send_webhook(hook: Webhook, key: str) -> None:
    problem = url_problem(hook.url)
    if problem:
        raise DeliveryError("URL not allowed", permanent=True)
    body = json.dumps(hook.payload, ensure_ascii=False, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Beyond-Reach-Webhook/1",
        KEY_HEADER: key,
        EVENT_HEADER: hook.event,
        SIGNATURE_HEADER: signature_header(hook.secret, int(time.time()), key, body),
    }
    request = urllib.request.Request(hook.url, data=body, headers=headers, method="POST")  # noqa: S310 - the scheme is checked above
    try:
        if not settings.WEBHOOK_ALLOW_LOCAL:
            parts = urlsplit(hook.url)
            if _resolves_locally(parts.hostname or "", parts.port or 443):
                raise DeliveryError("URL resolves to a local address", permanent=True)
        with _opener.open(request, timeout=settings.OUTBOX_SEND_TIMEOUT) as answer:
            answer.read(4096)
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except TimeoutError as exc:
        raise DeliveryError("timeout") from exc
    except urllib.error.URLError as exc:
        raise _network_error(exc.reason) from exc
    except OSError as exc:
        raise _network_error(exc) from exc
    _check_status(status)


def _network_error(reason: object) -> DeliveryError:
    if isinstance(reason, TimeoutError):
        return DeliveryError("timeout")
    if isinstance(reason, ConnectionRefusedError):
        return DeliveryError("connection refused")
    if isinstance(reason, socket.gaierror):
        return DeliveryError("host not found")
    if isinstance(reason, ssl.SSLError):
        return DeliveryError("TLS error")
    return DeliveryError("network error")


def _check_status(status: int) -> None:
    if 200 <= status < 300:
        return
    permanent = (300 <= status < 500) and status not in RETRYABLE
    raise DeliveryError(f"HTTP {status}", permanent=permanent)
