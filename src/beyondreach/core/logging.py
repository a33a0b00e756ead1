"""A log filter that keeps identifying data out of every log line.

Django's development server logs the request line, which carries query strings such as a
name search (`?q=...`); the filter cuts every query string. IP addresses and user agents are
not logged by our handlers; any IPv4/IPv6 address that slips into a message or a traceback
is masked. A refused Host header is withheld, and control characters are escaped, so that no
client can write a line of its own into the log.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import traceback

_QUERY = re.compile(r"\?[^\s\"']*")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# A whole run of hex digits, colons and dots with at least two colons is a candidate IPv6
# address ("2001:db8::1", "::1", "::ffff:192.0.2.1"); it is masked only if it parses as one,
# so that clock times such as 12:30:45 stay readable. The look-behind makes a match start
# only where a run starts, which keeps the scan linear on long hex strings.
_IPV6_CANDIDATE = re.compile(r"(?<![0-9A-Fa-f:.])[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*")


def _mask_ipv6(match: re.Match[str]) -> str:
    text = match.group()
    for candidate in (text, text.rstrip(".")):
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        return "[addr]" + text[len(candidate) :]
    return text


# Django's DisallowedHost names the Host header as sent, twice: whatever a client typed
# (control characters that forge log lines, an address, a name) would reach the log as is.
_HOST_HEADER = re.compile(r"(Invalid HTTP_HOST header: |You may need to add )'(?:[^'\\]|\\.)*'")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029]")


def scrub(text: str) -> str:
    text = _HOST_HEADER.sub(r"\1[host]", text)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    text = _QUERY.sub("?[query]", text)
    return _IPV4.sub("[addr]", _IPV6_CANDIDATE.sub(_mask_ipv6, text))


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A bad format string must not break the request that logged it.
            message = f"{record.msg!s} (unformattable arguments withheld)"
        record.msg = scrub(message)
        record.args = ()
        # A traceback repeats the exception's message (DisallowedHost names the address):
        # format it here, scrubbed, so the handler's formatter uses this text.
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        # Django attaches the request object; drop it so no handler formats its META.
        if hasattr(record, "request"):
            record.request = None
        return True
