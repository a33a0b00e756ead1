"""`beyondreach lists load FILE`: load a public list, then screen every organisation's
persons against the lists (here and now, no worker). Prints counts only: never a name."""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="lists_command", required=True)
    load = sub.add_parser("load", help="load or reload a FollowTheMoney JSON-lines list")
    load.add_argument("file", metavar="FILE", help="entities as JSON lines (OpenSanctions)")
    load.add_argument("--name", help="the list's name (default: from the file name)")
    load.add_argument(
        "--force", action="store_true", help="reload even if the file is the one loaded"
    )
    load.add_argument(
        "--no-screening", action="store_true", help="load only; do not screen persons now"
    )


def run(args: argparse.Namespace) -> int:
    from beyondreach.screening.lists import list_load
    from beyondreach.screening.services import screening_run_all

    started = time.monotonic()
    result = list_load(path=Path(args.file), name=args.name, force=args.force)
    listed = result.public_list
    if result.unchanged:
        print(f"List {listed.name}: this file is already loaded ({result.loaded} entities).")
    else:
        print(
            f"List {listed.name} (version {listed.version}): {result.loaded} entities loaded "
            f"in {time.monotonic() - started:.1f} s."
        )
    if args.no_screening:
        return 0
    runs = screening_run_all()
    persons = sum(r.persons for r in runs.values())
    matches = sum(len(r.new_matches) for r in runs.values())
    alerts = sum(r.alerts for r in runs.values())
    print(
        f"Screening: {persons} persons in {len(runs)} organisations, {matches} new matches, "
        f"{alerts} alerts queued."
    )
    return 0
