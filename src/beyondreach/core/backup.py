"""Encrypted backups of every record, and their restore into an empty database.

What a backup holds: the raw rows of every Beyond Reach table and of the two-factor devices,
serialised with Django's JSON serialiser. Sealed columns stay ciphertext and the data keys
stay wrapped by the master key, which is *not* in the backup: reading a record from a
stolen backup takes both the backup passphrase and the master key. The passphrase still
matters on its own, because password hashes, TOTP secrets and token digests are in it.

File layout (integers big-endian)::

    magic "TNRWBKUP" | version (1 byte) | Argon2id salt (16) | opslimit (8) | memlimit (8)
    | secretstream header (24) | frames: length (4) + ciphertext, the last tagged FINAL

The stream is libsodium's crypto_secretstream (XChaCha20-Poly1305) under a key derived
from the passphrase with Argon2id. The first frame authenticates the whole header as
associated data, so a changed byte anywhere, a reordered, cut or appended frame, or a
wrong passphrase all fail authentication; nothing is restored from an unauthenticated
byte, and the restore runs in one transaction that rolls back on the first failure.

The plaintext is UTF-8 JSON lines: a manifest object, then arrays of rows (one model per
line, in foreign-key order), then a trailer object with the row counts.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import IO, Any

import nacl.exceptions
import nacl.pwhash
import nacl.utils
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.sql.subqueries import InsertQuery
from django.utils import timezone
from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES,
    crypto_secretstream_xchacha20poly1305_HEADERBYTES,
    crypto_secretstream_xchacha20poly1305_init_pull,
    crypto_secretstream_xchacha20poly1305_init_push,
    crypto_secretstream_xchacha20poly1305_pull,
    crypto_secretstream_xchacha20poly1305_push,
    crypto_secretstream_xchacha20poly1305_state,
    crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
)

from beyondreach.core import crypto, legacy
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError, DecryptionError
from beyondreach.core.models import Organisation
from beyondreach.core.sealed import forget_wrapped_keys

MAGIC = b"TNRWBKUP"
VERSION = 1
FORMAT = "beyondreach-backup"
_FIXED = struct.Struct(">8sB16sQQ")
HEADER_BYTES = _FIXED.size + crypto_secretstream_xchacha20poly1305_HEADERBYTES
CHUNK = 64 * 1024
_FRAME = struct.Struct(">I")
MIN_PASSPHRASE = 12
ROWS_PER_LINE = 1000

# Backups are rare, so the moderate Argon2id cost (256 MiB, ~1 s) is affordable. A restore
# accepts at most the "sensitive" cost, so an altered header cannot ask for any amount of
# memory or time before authentication has had a chance to fail.
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE
_OPS_RANGE = (nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.OPSLIMIT_SENSITIVE)
_MEM_RANGE = (nacl.pwhash.argon2id.MEMLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE)

# Apps whose rows are the system's records. Sessions, content types, permissions and the
# task queue are rebuilt by `beyondreach migrate` or are transient, and stay out.
_THIRD_PARTY_APPS = ("auth",)
_OTP_PREFIX = "django_otp.plugins."


class BackupError(ApplicationError):
    """A backup that cannot be written or restored; the message says why."""


class BackupAuthenticationError(BackupError):
    """Wrong passphrase, or a backup altered, cut or damaged: the two cannot be told apart."""


@dataclass
class BackupSummary:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; audit hashes cover microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[models.Model]]:
    """Every model a backup holds, parents before children."""
    chosen = [
        model
        for model in apps.get_models()
        if _backed_up_app(model._meta.app_config.name)
        and model._meta.managed
        and not model._meta.proxy
    ]
    chosen = [m for m in chosen if m._meta.app_label != "auth" or m._meta.model_name == "group"]
    return _parents_first(chosen)


def _backed_up_app(name: str) -> bool:
    return (
        name.startswith("beyondreach.")
        or name.startswith(_OTP_PREFIX)
        or name.rsplit(".", 1)[-1] in _THIRD_PARTY_APPS
    )


def _parents_first(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    ordered: list[type[models.Model]] = []
    pending = sorted(chosen, key=lambda m: m._meta.label)
    while pending:
        ready = [m for m in pending if not _parents(m) & (set(pending) - {m})]
        if not ready:  # a cycle: foreign keys are checked at commit, so any order works
            ready = pending[:1]
        ordered.extend(ready)
        pending = [m for m in pending if m not in ready]
    return ordered


def _parents(model: type[models.Model]) -> set[type[models.Model]]:
    return {
        f.related_model
        for f in model._meta.concrete_fields
        if f.is_relation and isinstance(f.related_model, type)
    }


# Writing


def backup_write(
    *, path: Path, passphrase: str, opslimit: int = OPSLIMIT, memlimit: int = MEMLIMIT
) -> BackupSummary:
    """Write every record to `path`, encrypted under `passphrase`; never overwrite a file.

    The rows are read in one transaction, so the backup is a consistent snapshot. The file
    appears only when complete: it is written under a temporary name, then renamed.
    """
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"The backup passphrase must have at least {MIN_PASSPHRASE} characters.")
    if path.exists():
        raise BackupError(f"{path} exists: choose a new file name.")
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    key = nacl.pwhash.argon2id.kdf(
        32, passphrase.encode(), salt, opslimit=opslimit, memlimit=memlimit
    )
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".beyondreach-backup-")
    try:
        with os.fdopen(fd, "wb") as fh:
            writer = _EncryptingWriter(
                fh, key, _FIXED.pack(MAGIC, VERSION, salt, opslimit, memlimit)
            )
            summary = _write_rows(writer)
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    for org in Organisation.objects.order_by("pk"):
        audit_record(
            organisation=org,
            actor=None,
            action="backup.create",
            record_type="backup",
            detail={"records": summary.total},
        )
    return summary


def _write_rows(writer: _EncryptingWriter) -> BackupSummary:
    summary = BackupSummary()
    chosen = backup_models()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table. (SQLite: the transaction holds the database lock.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        writer.write_line(json.dumps(_manifest(chosen)))
        for model in chosen:
            summary.counts[model._meta.label_lower] = _write_model(writer, model)
    writer.write_line(json.dumps({"end": True, "counts": summary.counts}))
    return summary


def _manifest(chosen: list[type[models.Model]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "models": [m._meta.label_lower for m in chosen],
        "migrations": sorted(f"{app}.{name}" for app, name in _applied_migrations()),
    }


def _applied_migrations() -> set[tuple[str, str]]:
    labels = {m._meta.app_label for m in backup_models()}
    applied = MigrationRecorder(connection).applied_migrations()
    return {key for key in applied if key[0] in labels}


def _write_model(writer: _EncryptingWriter, model: type[models.Model]) -> int:
    # Natural keys only where many-to-many rows point at ids that differ between databases
    # (a user's groups and permissions); plain ids everywhere else keep restores fast.
    natural = bool(model._meta.many_to_many)
    count = 0
    batch: list[models.Model] = []
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=ROWS_PER_LINE):
        batch.append(obj)
        if len(batch) == ROWS_PER_LINE:
            count += _write_batch(writer, batch, natural)
            batch = []
    if batch:
        count += _write_batch(writer, batch, natural)
    return count


def _write_batch(writer: _EncryptingWriter, batch: list[models.Model], natural: bool) -> int:
    # What the "json" serialiser does (python serialiser + JSON), in one C-encoded call
    # instead of thousands of small writes, and at full datetime precision.
    rows = serializers.serialize("python", batch, use_natural_foreign_keys=natural)
    writer.write_line(json.dumps(rows, cls=_FullPrecisionEncoder, ensure_ascii=False))
    return len(batch)


class _EncryptingWriter:
    """A text stream that encrypts what is written to it in authenticated chunks."""

    def __init__(self, fh: IO[bytes], key: bytes, fixed_header: bytes) -> None:
        self.fh = fh
        self.state = crypto_secretstream_xchacha20poly1305_state()
        stream_header = crypto_secretstream_xchacha20poly1305_init_push(self.state, key)
        self.header = fixed_header + stream_header
        fh.write(self.header)
        self.buffer = bytearray()
        self.first = True

    def write(self, text: str) -> int:
        self.buffer += text.encode()
        while len(self.buffer) >= CHUNK:
            self._push(
                bytes(self.buffer[:CHUNK]), crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
            )
            del self.buffer[:CHUNK]
        return len(text)

    def write_line(self, text: str) -> None:
        self.write(text + "\n")

    def close(self) -> None:
        self._push(bytes(self.buffer), crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        self.buffer.clear()

    def _push(self, chunk: bytes, tag: int) -> None:
        ad = self.header if self.first else None
        self.first = False
        sealed = crypto_secretstream_xchacha20poly1305_push(self.state, chunk, ad, tag)
        self.fh.write(_FRAME.pack(len(sealed)) + sealed)


# Reading


def backup_restore(*, path: Path, passphrase: str) -> BackupSummary:
    """Restore a backup into an empty database, all or nothing.

    Refuses a database that holds any record, a backup made by a newer schema, and a
    backup whose data keys do not open with the current master key.
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}.") from exc
    with fh:
        lines = _plaintext_lines(fh, passphrase)
        manifest = _read_manifest(next(lines, b""))
        _check_schema(manifest)
        _check_empty()
        try:
            with transaction.atomic():
                summary = _insert_all(lines)
                _after_insert()
        except IntegrityError as exc:
            raise BackupError(f"The backup's rows do not fit together: {exc}") from exc
    return summary


def _plaintext_lines(fh: IO[bytes], passphrase: str) -> Iterator[bytes]:
    pending = bytearray()
    for chunk in _plaintext_chunks(fh, passphrase):
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            pending += chunk[start:end]
            if pending:
                yield bytes(pending)
            pending.clear()
            start = end + 1
        pending += chunk[start:]
    if pending:
        yield bytes(pending)


def _plaintext_chunks(fh: IO[bytes], passphrase: str) -> Iterator[bytes]:
    header = fh.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or header[: len(MAGIC)] != MAGIC:
        raise BackupError("This is not a Beyond Reach backup file.")
    _, version, salt, opslimit, memlimit = _FIXED.unpack(header[: _FIXED.size])
    if version != VERSION:
        raise BackupError(f"Backup format version {version} is not supported (expected {VERSION}).")
    if not (
        _OPS_RANGE[0] <= opslimit <= _OPS_RANGE[1] and _MEM_RANGE[0] <= memlimit <= _MEM_RANGE[1]
    ):
        raise BackupAuthenticationError("The backup header was altered (key-derivation limits).")
    key = nacl.pwhash.argon2id.kdf(
        32, passphrase.encode(), salt, opslimit=opslimit, memlimit=memlimit
    )
    state = crypto_secretstream_xchacha20poly1305_state()
    crypto_secretstream_xchacha20poly1305_init_pull(state, header[_FIXED.size :], key)
    index, final = 0, False
    while not final:
        sealed = _read_frame(fh)
        try:
            chunk, tag = crypto_secretstream_xchacha20poly1305_pull(
                state, sealed, header if index == 0 else None
            )
        except nacl.exceptions.CryptoError as exc:
            if index == 0:
                raise BackupAuthenticationError(
                    "The backup could not be decrypted: wrong passphrase, or the file was altered."
                ) from exc
            raise BackupAuthenticationError(
                f"The backup is damaged or was altered (chunk {index + 1})."
            ) from exc
        final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL
        index += 1
        yield chunk
    if fh.read(1):
        raise BackupAuthenticationError("The backup has data after its end: it was altered.")


def _read_frame(fh: IO[bytes]) -> bytes:
    raw = fh.read(_FRAME.size)
    if len(raw) < _FRAME.size:
        raise BackupAuthenticationError("The backup is incomplete: it was cut short.")
    (length,) = _FRAME.unpack(raw)
    if length > CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES:
        raise BackupAuthenticationError("The backup is damaged or was altered (frame length).")
    sealed = fh.read(length)
    if len(sealed) < length:
        raise BackupAuthenticationError("The backup is incomplete: it was cut short.")
    return sealed


def _read_manifest(line: bytes) -> dict[str, Any]:
    manifest = json.loads(line) if line else {}
    if not isinstance(manifest, dict) or manifest.get("format") not in (
        FORMAT,
        legacy.OLD_BACKUP_FORMAT,
    ):
        raise BackupError("The backup has no manifest: it is not a Beyond Reach backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Backup version {manifest.get('version')} is not supported.")
    return manifest


def _check_schema(manifest: dict[str, Any]) -> None:
    here = {f"{app}.{name}" for app, name in _applied_migrations()}
    missing = sorted(set(manifest.get("migrations", [])) - here)
    if missing:
        raise BackupError(
            f"The backup comes from a newer database schema ({missing[0]} is not applied "
            "here): upgrade Beyond Reach and run `beyondreach migrate` first."
        )
    unknown = sorted(set(manifest.get("models", [])) - _labels())
    if unknown:
        raise BackupError(f"The backup holds records this version does not know: {unknown[0]}.")


def _labels() -> set[str]:
    return {m._meta.label_lower for m in backup_models()}


def _check_empty() -> None:
    try:
        filled = [m._meta.label_lower for m in backup_models() if m._base_manager.exists()]
    except DatabaseError as exc:
        raise BackupError(f"The database is not ready ({exc}): run `beyondreach migrate`.") from exc
    if filled:
        raise BackupError(
            f"The database is not empty ({filled[0]} has rows): restore only into a freshly "
            "migrated, empty database."
        )


def _insert_all(lines: Iterator[bytes]) -> BackupSummary:
    allowed, summary = _labels(), BackupSummary()
    trailer: dict[str, Any] | None = None
    for line in lines:
        if trailer is not None:
            raise BackupError("The backup has rows after its trailer.")
        if line.startswith(b"{"):
            trailer = json.loads(line)
            continue
        objects = list(serializers.deserialize("json", line.decode()))
        if not objects:
            continue
        label = objects[0].object._meta.label_lower
        if label not in allowed or any(o.object._meta.label_lower != label for o in objects):
            raise BackupError(f"The backup holds rows of an unexpected kind ({label}).")
        _insert(objects)
        summary.counts[label] = summary.counts.get(label, 0) + len(objects)
    if trailer is None or not trailer.get("end"):
        raise BackupError("The backup has no trailer: it is incomplete.")
    expected = {k: v for k, v in trailer.get("counts", {}).items() if v}
    if expected != summary.counts:
        raise BackupError("The backup's row counts do not match its trailer.")
    return summary


def _insert(objects: list[DeserializedObject]) -> None:
    """Insert rows as they were: `raw` keeps ids and the auto_now dates of the backup."""
    model = type(objects[0].object)
    fields = list(model._meta.local_concrete_fields)
    rows = [o.object for o in objects]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        query = InsertQuery(model)
        query.insert_values(fields, rows[start : start + size], raw=True)
        query.get_compiler(connection=connection).execute_sql()
    for obj in objects:
        for name, values in (obj.m2m_data or {}).items():
            if values:
                getattr(obj.object, name).set(values)


def _after_insert() -> None:
    chosen = backup_models()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), chosen):
            cursor.execute(sql)
    connection.check_constraints(table_names=[m._meta.db_table for m in chosen])
    forget_wrapped_keys()
    master = crypto.load_master_key()
    for org in Organisation.objects.order_by("pk"):
        try:
            crypto.unwrap_key(master, bytes(org.wrapped_data_key))
        except DecryptionError as exc:
            raise BackupError(
                f"The data key of {org.name!r} does not open with this master key: restore "
                "with the master key that was in use when the backup was made."
            ) from exc
        audit_record(organisation=org, actor=None, action="backup.restore", record_type="backup")
