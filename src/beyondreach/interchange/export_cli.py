"""`beyondreach export`: an organisation's incidents as a file, on the server.

The operator reads as a role, as `beyondreach statistics` does: as an admin for the owner's
audience (names and free text), as an analyst for a pseudonymised file. The export is audited
like any other, with no actor.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import BinaryIO

FORMATS = ("csv", "xlsx", "fh", "dyads", "sdg16101", "ftm", "esf", "uwazi", "beyondreach")


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="the organisation's name or UUID")
    p.add_argument("--format", required=True, dest="fmt", metavar="FORMAT", help=", ".join(FORMATS))
    p.add_argument(
        "--audience",
        choices=["owner", "pseudonymised"],
        default="pseudonymised",
        help="owner: with names and free text; pseudonymised (default): naming nobody",
    )
    p.add_argument(
        "--to",
        default="",
        metavar="KEY",
        help="beyondreach only: the receiving organisation's public transfer key, or the name "
        "of an organisation of this server (the file is encrypted to it; always with names)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a filter of the incident list, e.g. origin=CN, started=2024 (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from beyondreach.cases.api import IncidentFiltersIn
    from beyondreach.cases.selectors import IncidentFilters
    from beyondreach.cli import _organisation
    from beyondreach.core.errors import ApplicationError
    from beyondreach.core.models import User
    from beyondreach.interchange.exports import Audience, export_incidents

    org = _organisation(args.org)
    given = dict(item.partition("=")[::2] for item in args.filter)
    try:
        chosen = IncidentFiltersIn(**given)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise ApplicationError(f"Filters not valid: {fields}.") from exc
    filters = IncidentFilters(**{k: v for k, v in chosen.model_dump().items() if v is not None})
    # Not saved: the operator holds the server's keys, and reads as the role the audience needs.
    # A transfer file holds everything, encrypted to its recipient: the owner's audience.
    audience: Audience = "owner" if args.fmt == "beyondreach" else args.audience
    role = "admin" if audience == "owner" else "analyst"
    reader = User(organisation=org, role=role)
    found = export_incidents(
        viewer=reader, filters=filters, format=args.fmt, audience=audience, to=args.to
    )
    with ExitStack() as stack:
        out: BinaryIO = (
            stack.enter_context(open(args.output, "wb")) if args.output else sys.stdout.buffer
        )
        for chunk in found.chunks:
            out.write(chunk)
    if args.output:
        print(f"{found.count} incidents written to {args.output} ({found.format.code}).")
    return 0
