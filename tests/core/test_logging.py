"""Logs carry no IP address and no query string.

An address ties a reporter to a place and a time; a query string carries what a case worker
searched for, often a name. Logs are copied to aggregators and kept for months, so neither
may reach them.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from beyondreach.core.logging import ScrubFilter, scrub


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            '"GET /incidents/?q=Gulnara+Tokhtieva&host=TR HTTP/1.1" 200 5120',
            '"GET /incidents/?[query] HTTP/1.1" 200 5120',
        ),
        (
            "Not Found: /persons/search?q=%D0%93%D1%83%D0%BB%D1%8C",
            "Not Found: /persons/search?[query]",
        ),
        (
            "redirect to 'https://example.org/login?next=/persons/'",
            "redirect to 'https://example.org/login?[query]'",
        ),
        ("login failed from 203.0.113.7", "login failed from [addr]"),
        ("forwarded for 198.51.100.23, 10.0.0.1", "forwarded for [addr], [addr]"),
        ("client 2001:db8:85a3:0:0:8a2e:370:7334 connected", "client [addr] connected"),
        ("client 2001:db8::1 connected", "client [addr] connected"),
        ("from ::1.", "from [addr]."),
        ("peer [2001:db8::42]:51000 closed", "peer [[addr]]:51000 closed"),
        ("mapped ::ffff:192.0.2.128 seen", "mapped [addr] seen"),
        ("link-local fe80::1ff:fe23:4567:890a%eth0", "link-local [addr]%eth0"),
    ],
)
def test_it_removes_query_strings_and_addresses(message: str, expected: str) -> None:
    assert scrub(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "Task finished at 12:30:45 in 0.8 s",
        "Incident 5f0c6d2e-0d7b-4a3c-9a51-8a2f3f1a9b10 updated, version 3",
        "Deadline 2025-03-01T10:00:00+00:00",
    ],
)
def test_it_leaves_times_and_uuids_readable(message: str) -> None:
    assert scrub(message) == message


def test_it_scrubs_the_arguments_of_a_log_record_and_drops_the_request() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (%s): %s",
        ("CSRF", "/persons/?q=Gulnara"),
        None,
    )
    record.request = object()  # what Django attaches
    assert ScrubFilter().filter(record)
    assert record.getMessage() == "Forbidden (CSRF): /persons/?[query]"
    assert record.request is None  # type: ignore[attr-defined]


def test_it_scrubs_the_traceback_of_a_logged_exception() -> None:
    # DisallowedHost and friends put the client's address into the exception's message.
    try:
        raise ValueError("Invalid HTTP_HOST header: '203.0.113.7:8000'")
    except ValueError:
        record = logging.LogRecord(
            "django.security", logging.ERROR, __file__, 1, "Bad host", (), sys.exc_info()
        )
    ScrubFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "203.0.113.7" not in text
    assert "Invalid HTTP_HOST header: [host]" in text


def test_it_does_not_break_the_caller_on_a_bad_format_string() -> None:
    record = logging.LogRecord(
        "beyondreach", logging.INFO, __file__, 1, "%s and %s", ("one",), None
    )
    assert ScrubFilter().filter(record)
    assert "unformattable" in record.getMessage()


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The configured console handler, writing into a buffer for the test."""
    handler = next(
        h
        for h in logging.getLogger("django.server").handlers
        if isinstance(h, logging.StreamHandler)
    )
    # Swapped directly, not with setStream(): that flushes the old stream, which may be a
    # capture file of an earlier test that is closed by now.
    buffer, previous = io.StringIO(), handler.stream
    handler.stream = buffer
    try:
        yield buffer
    finally:
        handler.stream = previous


def test_it_cuts_the_query_string_from_the_development_servers_request_line(
    console: io.StringIO,
) -> None:
    # The real handler method, with the settings' LOGGING: what `runserver` prints.
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = object()  # type: ignore[assignment]
    handler.log_message('"%s" %s %s', "GET /incidents/?q=Gulnara&origin=CN HTTP/1.1", "200", "5120")
    handler.log_message('"%s" %s %s', "GET /persons/?q=Tokhti HTTP/1.1", "404", "179")
    assert console.getvalue().splitlines() == [
        '"GET /incidents/?[query] HTTP/1.1" 200 5120',
        '"GET /persons/?[query] HTTP/1.1" 404 179',
    ]


def test_it_filters_every_configured_handler() -> None:
    loggers = [
        logging.getLogger(),
        logging.getLogger("django.server"),
        logging.getLogger("django.request"),
    ]
    handlers = {
        h for lg in loggers for h in lg.handlers if type(h).__module__.startswith("logging")
    }
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, ScrubFilter) for f in handler.filters), handler


@pytest.mark.django_db
def test_a_refused_host_header_is_withheld_and_cannot_forge_a_line(
    console: io.StringIO,
) -> None:
    from django.test import Client

    response = Client().get("/login/", headers={"host": "gulnara.example\nERROR forged"})
    assert response.status_code == 400
    logged = console.getvalue()
    assert "Invalid HTTP_HOST header: [host]" in logged
    assert "gulnara" not in logged and "\nERROR forged" not in logged
