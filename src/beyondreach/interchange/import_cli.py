"""`beyondreach import`: the same import as the page, run here and now (no worker).

A dry run prints what each row would do and every error; the real run prints the same
counts and writes the rejected rows, with their errors, to `--rejected` if given. Killed
midway, it leaves whole incidents only; run it again and it goes on (nothing twice).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="the organisation's name or UUID")
    p.add_argument(
        "--format",
        required=True,
        choices=["fh", "csv", "uwazi", "beyondreach"],
        dest="fmt",
        help="beyondreach: a transfer file encrypted to the organisation's transfer key",
    )
    p.add_argument(
        "--mapping",
        metavar="FILE",
        help='JSON {"columns": {their column: our field}, "values": {field: {word: code}}, '
        '"options": {"date_format": "DD/MM/YYYY"}} (default: proposed from the header)',
    )
    p.add_argument("--dry-run", action="store_true", help="say what would happen; write nothing")
    p.add_argument(
        "--as", dest="username", help="the user recorded as importing (default: an admin)"
    )
    p.add_argument("--rejected", metavar="FILE", help="write the rejected rows here (CSV)")
    p.add_argument(
        "--unknown-sender",
        action="store_true",
        help="beyondreach: import a file signed by a key this organisation does not know "
        "(check its fingerprint with the sender first)",
    )
    p.add_argument("file", metavar="FILE", help="CSV (UTF-8) or XLSX, or a transfer file")


def run(args: argparse.Namespace) -> int:
    from beyondreach.cli import _organisation
    from beyondreach.core.errors import ApplicationError
    from beyondreach.core.models import User
    from beyondreach.interchange.imports import (
        import_create,
        import_map,
        import_plan,
        import_run,
        import_start,
    )

    org = _organisation(args.org)
    users = User.objects.filter(organisation=org, is_active=True)
    actor = (
        users.filter(username=args.username).first()
        if args.username
        else users.filter(role="admin").order_by("pk").first()
    )
    if actor is None:
        raise ApplicationError("No such active user in the organisation: give --as USERNAME.")
    path = Path(args.file)
    job = import_create(actor=actor, fmt=args.fmt, filename=path.name, content=path.read_bytes())
    if args.mapping:
        given = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
        import_map(
            actor=actor,
            job=job,
            mapping=given.get("columns", job.mapping),
            values=given.get("values", {}),
            options=given.get("options"),
        )
    plan = import_plan(job)
    if args.fmt == "beyondreach":
        from beyondreach.interchange.transfer_import import transfer_sender

        sender = transfer_sender(job)
        known = f"{sender.name} ({sender.how})" if sender.known else "an UNKNOWN sender"
        print(f"Signed by {known}: the key {sender.verify_key}")
    print(f"Columns: {json.dumps(job.mapping, ensure_ascii=False)}")
    for column, rows in plan.ignored.items():
        print(f"Not imported: column {column!r} ({rows} rows with a value)", file=sys.stderr)
    for fld, words in plan.unmatched.items():
        print(f"Unmatched {fld}: {', '.join(sorted(words))}", file=sys.stderr)
    for line, errors in sorted(plan.errors_by_line().items()):
        for e in errors:
            print(f"row {line}: {e.column}: {e.why} {e.value!r}".rstrip(), file=sys.stderr)
    if args.dry_run:
        print(
            f"Dry run: {plan.count('create')} to create, {plan.count('update')} to update, "
            f"{plan.count('unchanged')} unchanged, {plan.rejected_rows()} rows rejected; "
            f"{plan.linked()} targets recorded already, {plan.flagged()} to review."
        )
        return 0
    import_start(actor=actor, job=job, unknown_sender=args.unknown_sender)
    job = import_run(job.pk)
    print(
        f"Imported: {job.created} created, {job.updated} updated, {job.unchanged} unchanged, "
        f"{job.rejected} rows rejected; {job.linked} targets recorded already, "
        f"{len(job.reviews)} new persons to review (on the import's page)."
    )
    if args.rejected and args.fmt != "beyondreach":  # a transfer's errors are printed above
        from beyondreach.interchange.imports import job_table
        from beyondreach.interchange.rows import rows_as_csv

        text = "".join(rows_as_csv(job_table(job), plan.errors_by_line()))
        Path(args.rejected).write_text(text, encoding="utf-8")
    return 0
