"""The `beyondreach` command line: setup, users, demo data, keys, audit and backups.

Run `beyondreach --help`, or `beyondreach COMMAND --help`. Each subcommand is a small function
calling one service; see docs/cli.md. Exit status: 0 success, 1 failure (one line on
stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from beyondreach.core.errors import ApplicationError

if TYPE_CHECKING:
    from beyondreach.core.models import Organisation


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondreach.settings")
    import django

    django.setup()


def _write_key_file(path: Path, key: bytes) -> None:
    """Write a key readable by its owner only; never replace an existing file."""
    from beyondreach.core import crypto
    from beyondreach.core.owner_only import owner_only_create

    if not owner_only_create(path, crypto.encode_key(key) + "\n"):
        raise ApplicationError(f"{path} exists: it is never overwritten.")


def cmd_init(args: argparse.Namespace) -> int:
    """Create the secret key and master key files where there are none, and the SQLite
    database file readable by its owner only (development and single-machine use)."""
    _django()
    from django.conf import settings

    from beyondreach.core import crypto
    from beyondreach.core.database_files import sqlite_file_create
    from beyondreach.core.secret_key import secret_key_create

    if not os.environ.get("BEYONDREACH_SECRET_KEY") and not os.environ.get(
        "BEYONDREACH_SECRET_KEY_FILE"
    ):
        made = secret_key_create()
        print(f"Secret key created: {made}" if made else "Secret key: in place.")
    sqlite_file_create()
    if settings.MASTER_KEY:
        print("Master key: from BEYONDREACH_MASTER_KEY.")
        return 0
    path = Path(settings.MASTER_KEY_PATH)
    if path.exists():
        print(f"Master key: {path}")
        return 0
    _write_key_file(path, crypto.new_key())
    print(f"Master key created: {path} (keep it off the database server's backups).")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print("Database migrated.")
    return 0


def cmd_create_org(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.core.services import organisation_create

    org = organisation_create(name=args.name)
    print(f"Organisation {org.name} created: {org.uuid}")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.core.models import Organisation
    from beyondreach.core.services import user_create

    org = Organisation.objects.filter(name=args.org).first()
    if org is None:
        raise ApplicationError(f"No organisation named {args.org!r}.")
    password = os.environ.get("BEYONDREACH_NEW_PASSWORD") or getpass.getpass("Password: ")
    user = user_create(organisation=org, username=args.username, password=password, role=args.role)
    print(f"User {user.username} ({user.role}) created in {org.name}.")
    return 0


def cmd_create_token(args: argparse.Namespace) -> int:
    """Print a new API token on stdout, once; only its digest is stored."""
    _django()
    from beyondreach.core.models import User
    from beyondreach.core.services import api_token_create

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise ApplicationError(f"No user named {args.username!r}.")
    if user.organisation is None or not user.is_active:
        raise ApplicationError(f"{args.username!r} is inactive or in no organisation.")
    print(api_token_create(user=user, label=args.label))
    print(
        f"API token for {user.username} ({user.role}): shown once, store it now.", file=sys.stderr
    )
    return 0


def _current_key_file() -> Path | None:
    """The file the master key was read from, or None when it came from the environment."""
    from django.conf import settings

    named = os.environ.get("BEYONDREACH_MASTER_KEY_FILE")
    if named:
        return Path(named)
    return None if settings.MASTER_KEY else Path(settings.MASTER_KEY_PATH)


def cmd_rotate_master_key(args: argparse.Namespace) -> int:
    """Re-wrap every organisation's data key under a new master key.

    The new key is on disk (fsynced) before the database depends on it. Without
    --new-key-file it is written beside the current key file, which it then replaces.
    """
    _django()
    from beyondreach.core import crypto
    from beyondreach.core.services import master_key_rotate

    old = crypto.load_master_key()
    current = _current_key_file()
    if args.new_key_file:
        target = Path(args.new_key_file)
    elif current is None:
        raise ApplicationError(
            "The master key comes from BEYONDREACH_MASTER_KEY: give "
            "--new-key-file PATH for the new one."
        )
    else:
        target = current.with_name(current.name + ".new")
        if target.exists():
            raise ApplicationError(
                f"{target} exists: an earlier rotation did not finish. If "
                f"the data opens with it, move it to {current}; else delete it."
            )
    if current is not None and target.resolve() == current.resolve():
        raise ApplicationError("The new key file must differ from the current one.")
    generated = not target.exists()
    if generated:
        new = crypto.new_key()
        _write_key_file(target, new)
    else:
        new = crypto.decode_key(target.read_text())
    if new == old:
        raise ApplicationError(f"{target} holds the current master key: nothing to rotate.")
    try:
        count = master_key_rotate(old_key=old, new_key=new)
    except BaseException:
        if generated:  # the rotation is all or nothing: the data still opens with the old key
            target.unlink()
        raise
    print(f"Master key rotated: {count} organisation data keys re-wrapped.")
    if not args.new_key_file and current is not None:
        os.replace(target, current)
        print(f"{current} now holds the new key.")
    else:
        print(
            f"The data now opens only with the key in {target}: point "
            "BEYONDREACH_MASTER_KEY_FILE at it (or set BEYONDREACH_MASTER_KEY)."
        )
    print(
        "Restart the server and worker. Backups made before now need the old key: make a "
        "new backup, then destroy the old key and its copies."
    )
    return 0


def _organisation(ref: str) -> Organisation:
    """An organisation by its name, as `create-user --org` takes it, or by its UUID."""
    from beyondreach.core.models import Organisation

    org = Organisation.objects.filter(name=ref).first()
    with contextlib.suppress(ValueError):  # not a UUID: then it was the name
        org = org or Organisation.objects.filter(uuid=uuid.UUID(ref)).first()
    if org is None:
        raise ApplicationError(f"No organisation named {ref!r} or with that UUID.")
    return org


def cmd_rotate_data_key(args: argparse.Namespace) -> int:
    """Re-seal one organisation's records under a new data key (see docs/security.md)."""
    _django()
    from beyondreach.core.rotation import data_key_rotate

    org = _organisation(args.org)
    rotation = data_key_rotate(organisation=org)
    print(
        f"Data key of {org.name} rotated: {rotation.values} sealed values in "
        f"{sum(rotation.records.values())} records re-sealed."
    )
    for label, count in rotation.records.items():
        print(f"  {label}: {count}")
    print(f"  name index entries recomputed: {rotation.name_tokens}")
    print(
        "The pseudonyms of this organisation's persons have changed. Backups made before "
        "now still open with the old key: make a new backup, then destroy the old ones."
    )
    return 0


def cmd_verify_audit(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.core.audit import audit_verify
    from beyondreach.core.models import AuditEvent

    broken = audit_verify()
    for link in broken:
        print(
            f"audit chain broken: organisation {link.organisation!r}, seq {link.seq}: "
            f"{link.reason}",
            file=sys.stderr,
        )
    if broken:
        return 1
    print(f"audit chain intact: {AuditEvent.objects.count()} events")
    return 0


def _backup_passphrase(*, confirm: bool) -> str:
    """BEYONDREACH_BACKUP_PASSPHRASE (or the file named by ..._FILE), else a prompt."""
    from beyondreach.settings import envstr

    passphrase = envstr("BACKUP_PASSPHRASE")
    if passphrase:
        return passphrase
    if not sys.stdin.isatty():
        raise ApplicationError(
            "Set BEYONDREACH_BACKUP_PASSPHRASE or BEYONDREACH_BACKUP_PASSPHRASE_FILE,"
            " or run in a terminal to be asked for the passphrase."
        )
    passphrase = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Repeat the passphrase: ") != passphrase:
        raise ApplicationError("The two passphrases differ.")
    return passphrase


def cmd_backup(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.core.backup import backup_write

    path = Path(args.output)
    summary = backup_write(path=path, passphrase=_backup_passphrase(confirm=True))
    print(
        f"Backup written: {path} ({summary.total} records). Reading it takes the passphrase "
        "and the master key: keep them apart from the file and from each other."
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.core.audit import audit_verify
    from beyondreach.core.backup import backup_restore

    summary = backup_restore(path=Path(args.input), passphrase=_backup_passphrase(confirm=False))
    print(f"Restored {summary.total} records from {args.input}.")
    broken = audit_verify()
    for link in broken:
        print(
            f"warning: audit chain broken in the backup: organisation {link.organisation!r}, "
            f"seq {link.seq}: {link.reason}",
            file=sys.stderr,
        )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.demo.generate import DEMO_PASSWORD, DEMO_USERS, demo_load

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-9)
        print(f"demo: {done}/{total} incidents ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    loaded = demo_load(
        incidents=args.incidents,
        if_empty=args.if_empty,
        seed=args.seed,
        mode=args.mode,
        batch_size=args.batch_size,
        workers=args.workers,
        progress=progress,
    )
    if loaded is None:
        print("Demo data: skipped, an organisation exists.")
        return 0
    seconds = time.monotonic() - started
    print(
        f"Demo data: {loaded} fictional incidents in {seconds:.1f} s "
        f"({loaded / max(seconds, 1e-9):,.0f}/s)."
    )
    for org, users in DEMO_USERS.items():
        names = ", ".join(f"{username} ({role})" for username, role in users)
        print(f"  {org}: {names}")
    from beyondreach.demo.flows import demo_flows
    from beyondreach.demo.reports import DEMO_SLUG

    flows = demo_flows()
    if flows is not None:
        print(
            f"Flows to try: {flows.incidents} more incidents, shared both ways with the partner, "
            "referred to protection bodies, with deadlines from today (README.md, "
            '"Demo logins and flows").'
        )
        if flows.link:
            print(f"A protection body's secure link, waiting for its acknowledgement: {flows.link}")
    print(
        f"Reporting channel: /r/{DEMO_SLUG}/ (the public form); case workers unlock reports "
        f"with the same demo password as their reporting passphrase."
    )
    print(
        f"Demo login: demo_caseworker / {DEMO_PASSWORD} (every demo user has this password; "
        "admins and case workers enrol two-factor authentication at first login: scan the "
        "code, or get the current one with `.venv/bin/python -m beyondreach.demo.totp USERNAME`)."
    )
    return 0


def waitress_options() -> dict[str, object]:
    """Waitress settings. Waitress spools a request body over `inbuf_overflow` (512 KB by
    default) to a temporary file, in plaintext: reports' uploads must stay in memory, so the
    threshold sits above the largest body accepted, and larger bodies are refused."""
    from beyondreach.core.attachments import REPORT_MAX_BYTES

    headroom = 1024 * 1024  # the form's text fields and multipart boundaries
    return {
        "threads": 8,
        "ident": "beyondreach",
        "inbuf_overflow": REPORT_MAX_BYTES + 2 * headroom,
        "max_request_body_size": REPORT_MAX_BYTES + headroom,
    }


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with waitress and run the background worker beside it."""
    _django()
    from waitress import serve

    from beyondreach.core.secret_key import require_secret_key

    require_secret_key()  # before the worker starts too: neither runs with a public key

    from beyondreach.alerts.tasks import schedule_alert_jobs
    from beyondreach.interchange.imports import imports_resume_stale
    from beyondreach.outbox.tasks import schedule_delivery
    from beyondreach.reports.tasks import schedule_retention
    from beyondreach.wsgi import application

    schedule_retention()  # the daily retention job queues its own next run
    schedule_delivery()  # the outbox: sends what a stopped server left queued, then sweeps
    schedule_alert_jobs()  # daily digests and hourly reminders, each queueing its next run
    imports_resume_stale()  # an import whose worker died goes on where it stopped
    worker = subprocess.Popen(  # our own interpreter and module, no shell
        [sys.executable, "-m", "django", "db_worker"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "beyondreach.settings"},
    )
    print(f"Beyond Reach on http://{args.host}:{args.port}/ (background worker pid {worker.pid})")

    def stop(signum: int, frame: object) -> None:
        # SIGTERM (a service manager's stop) ends serve() like Ctrl+C, so `finally` below
        # stops the worker too instead of leaving it running.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        serve(application, host=args.host, port=args.port, **waitress_options())
    except KeyboardInterrupt:
        print("Beyond Reach stopped.")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return 0


def cmd_verify_proof(args: argparse.Namespace) -> int:
    """Check a reporter's proof of submission against the organisation's published key."""
    from beyondreach.reports.proof import ProofError, proof_verify

    text = Path(args.proof).read_text(encoding="utf-8")
    try:
        proof = proof_verify(text, args.key)
    except ProofError as exc:
        print(f"NOT VALID: {exc}", file=sys.stderr)
        return 1
    print(
        f"VALID: {proof.organisation} received a report on {proof.received} "
        f"(report SHA-256 {proof.report_sha256})."
    )
    return 0


def cmd_destroy_expired_reports(args: argparse.Namespace) -> int:
    """Destroy reports past their channel's retention (the worker also does it daily)."""
    _django()
    from beyondreach.reports.services import reports_destroy_expired

    print(f"Destroyed {reports_destroy_expired()} expired reports.")
    return 0


def cmd_statistics(args: argparse.Namespace) -> int:
    """Counts of an organisation's incidents, as the statistics page and API give them."""
    _django()
    import json

    from pydantic import ValidationError

    from beyondreach.cases.api import IncidentFiltersIn
    from beyondreach.core.models import User
    from beyondreach.statistics.api import filters_from
    from beyondreach.statistics.flows import flows_csv, flows_json, statistics_flows
    from beyondreach.statistics.selectors import statistics_table
    from beyondreach.statistics.tables import table_csv, table_json

    org = _organisation(args.org)
    given = dict(item.partition("=")[::2] for item in args.filter)
    try:
        filters = filters_from(IncidentFiltersIn(**given))
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise ApplicationError(f"Filters not valid: {fields}.") from exc
    # The operator of the server counts for the organisation with an analyst's view, which
    # is counts only; the user is not saved.
    reader = User(organisation=org, role="analyst")
    if args.flows:
        flows = statistics_flows(reader, filters, measure=args.measure, source=args.source)
        if args.format == "json":
            print(json.dumps(flows_json(flows), indent=2))
        else:
            sys.stdout.write(flows_csv(flows))
        return 0
    if not args.rows:
        raise ApplicationError("Give --rows (a dimension), or --flows.")
    table = statistics_table(
        reader, filters, rows=args.rows, cols=args.cols, measure=args.measure, source=args.source
    )
    if args.format == "json":
        print(json.dumps(table_json(table), indent=2))
    else:
        sys.stdout.write(table_csv(table))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.interchange import import_cli

    return import_cli.run(args)


def cmd_export(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.interchange import export_cli

    return export_cli.run(args)


def cmd_transfer_key(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.interchange import transfer_cli

    return transfer_cli.run(args)


def _transfer_key_arguments(p: argparse.ArgumentParser) -> None:
    from beyondreach.interchange import transfer_cli

    transfer_cli.arguments(p)


def cmd_lists(args: argparse.Namespace) -> int:
    _django()
    from beyondreach.screening import cli as lists_cli

    return lists_cli.run(args)


def _lists_arguments(p: argparse.ArgumentParser) -> None:
    from beyondreach.screening import cli as lists_cli

    lists_cli.arguments(p)


def _import_arguments(p: argparse.ArgumentParser) -> None:
    from beyondreach.interchange import import_cli

    import_cli.arguments(p)


def _export_arguments(p: argparse.ArgumentParser) -> None:
    from beyondreach.interchange import export_cli

    export_cli.arguments(p)


def _no_arguments(p: argparse.ArgumentParser) -> None:
    return None


def _org_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name")


def _user_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True)
    p.add_argument("--role", required=True, choices=["admin", "case_worker", "analyst", "viewer"])
    p.add_argument("username")


def _token_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--username", required=True)
    p.add_argument("--label", default="", help="what the token is for, e.g. 'export script'")


def _rotate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--new-key-file",
        metavar="PATH",
        help="the new key: read from PATH if it exists, else generated into it "
        "(default: generated beside the current key file, then replacing it)",
    )


def _rotate_data_key_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="the organisation's name or UUID")


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", required=True, metavar="FILE", help="a new file (never replaced)")


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", required=True, metavar="FILE")


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--incidents", type=int, default=200)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--if-empty", action="store_true", help="do nothing if an organisation exists")
    p.add_argument(
        "--mode",
        choices=["auto", "services", "bulk"],
        default="auto",
        help="services: full history and audit per record; bulk: fast batches "
        "(auto: services up to 2,000 incidents)",
    )
    p.add_argument("--batch-size", type=int, default=1000, help="incidents per bulk transaction")
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processes sharing a bulk load (default: one per CPU, up to 4, from 20,000 "
        "incidents on; else 1)",
    )


def _proof_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("proof", metavar="FILE", help="the proof-of-submission.txt file")
    p.add_argument(
        "--key",
        required=True,
        help="the organisation's published proof-verification key (from /r/<channel>/key/)",
    )


def _statistics_arguments(p: argparse.ArgumentParser) -> None:
    from beyondreach.statistics.codes import DIMENSION_CODES

    p.add_argument("--org", required=True, help="the organisation's name or UUID")
    p.add_argument("--rows", choices=DIMENSION_CODES, help="a dimension (or give --flows)")
    p.add_argument("--cols", choices=DIMENSION_CODES)
    p.add_argument("--measure", choices=["incidents", "targets"], default="incidents")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument(
        "--source",
        choices=["own", "partners", "all"],
        default="own",
        help="the organisation's incidents, those partners shared with it, or both",
    )
    p.add_argument(
        "--flows",
        action="store_true",
        help="the origin-host-year flows instead of a table",
    )
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a filter of the incident list, e.g. origin=CN, date_from=2020-01-01 (repeatable)",
    )


def _serve_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)


@dataclass(frozen=True)
class Command:
    run: Callable[[argparse.Namespace], int]
    help: str
    arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments


COMMANDS: dict[str, Command] = {
    "init": Command(cmd_init, "create the master key file if missing"),
    "migrate": Command(cmd_migrate, "create or upgrade the database"),
    "create-org": Command(cmd_create_org, "create an organisation", _org_arguments),
    "create-user": Command(
        cmd_create_user,
        "create a user (password from BEYONDREACH_NEW_PASSWORD or a prompt)",
        _user_arguments,
    ),
    "create-token": Command(
        cmd_create_token, "print a new API token for a user, once", _token_arguments
    ),
    "rotate-master-key": Command(
        cmd_rotate_master_key, "re-wrap every data key under a new master key", _rotate_arguments
    ),
    "rotate-data-key": Command(
        cmd_rotate_data_key,
        "re-seal one organisation's records under a new data key",
        _rotate_data_key_arguments,
    ),
    "verify-audit": Command(cmd_verify_audit, "recompute every organisation's audit chain"),
    "backup": Command(cmd_backup, "write an encrypted backup of every record", _backup_arguments),
    "restore": Command(cmd_restore, "restore a backup into an empty database", _restore_arguments),
    "demo": Command(cmd_demo, "load fictional demo data", _demo_arguments),
    "verify-proof": Command(
        cmd_verify_proof, "check a proof of submission against a published key", _proof_arguments
    ),
    "destroy-expired-reports": Command(
        cmd_destroy_expired_reports, "destroy reports past their retention time"
    ),
    "statistics": Command(
        cmd_statistics,
        "print counts of an organisation's incidents by one or two dimensions",
        _statistics_arguments,
    ),
    "import": Command(
        cmd_import, "import incidents from a file (a dry run first)", _import_arguments
    ),
    "export": Command(cmd_export, "export an organisation's incidents", _export_arguments),
    "transfer-key": Command(
        cmd_transfer_key,
        "print (or make) the key other servers encrypt transfer files to",
        _transfer_key_arguments,
    ),
    "lists": Command(
        cmd_lists, "load a public list (sanctions, notices) and screen persons", _lists_arguments
    ),
    "serve": Command(
        cmd_serve, "serve the web UI and API, with the background worker", _serve_arguments
    ),
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="beyondreach",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)
    for name, command in COMMANDS.items():
        command.arguments(sub.add_parser(name, help=command.help, description=command.help))
    return p


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from django.db import DatabaseError

    try:
        return COMMANDS[args.command].run(args)
    except ApplicationError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
    except OSError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
    except DatabaseError as exc:
        print(f"error: database: {_one_line(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
