"""Rotation of one organisation's data key, for when that key may have leaked.

Everything sealed with the old key or derived from it is redone under a new one, in one
transaction with the organisation's row locked: all of it or, on the first value that does
not open, none of it.

- Sealed columns: every `Sealed` attribute of every model, found by walking the models (so
  a sealed field added later is never forgotten), and the values sealed directly with
  `crypto.seal`, which their apps register (`register_direct`, from `AppConfig.ready`): an
  incident's files, the reporting channel's signing key. Each value is opened with the old
  key and sealed with the new one under the same associated data, so it stays bound to its
  row and column.
- The blind name indexes, keyed by the index subkey, which their apps register too
  (`register_blind_index`: persons', perpetrators'): recomputed from the decrypted names with
  the digest function the services use. The registries keep `core` from importing the
  feature apps (issue 9, item 7).
- Pseudonyms are derived from the pseudonym subkey when shown, so they change by themselves.

What is sealed to other keys is left alone: reports, their files and messages (sealed to the
channel's X25519 key) and the channel's key grants (members' keys, recovery key).

Rows are read in keyset pages (`pk > last`, `BATCH_ROWS` at a time), each page read whole
before it is written back, rather than with `QuerySet.iterator()`: on SQLite an iterator sees
writes made to its table while it runs, and pages keep 100,000 records out of memory too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction

from beyondreach.core import crypto
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import DecryptionError
from beyondreach.core.models import Organisation
from beyondreach.core.sealed import Sealed, aad_for, forget_wrapped_keys

BATCH_ROWS = 500
# Rows holding files (up to 2 x 10 MB each, in memory twice: old and new ciphertext).
BATCH_FILES = 4


@dataclass(frozen=True)
class SealedColumn:
    """A BinaryField sealed with the organisation's data key, and its associated data."""

    model: type[models.Model]
    field: str  # the name in error messages: "title" of cases.incident.title
    column: str  # the BinaryField: "title_sealed"
    aad: Callable[[Any], bytes]
    holds_files: bool = False  # read in smaller pages


@dataclass(frozen=True)
class BlindIndex:
    """A blind name index: the owners' names (a sealed `value` each) and their digests.

    `owner` is the field naming the owner on both the names' and the tokens' model
    ("person"); `digests` is the function the services index names with."""

    owner_model: type[models.Model]
    names: type[models.Model]
    tokens: type[models.Model]
    owner: str
    digests: Callable[[bytes, list[str]], set[str]]


# Filled by the apps' AppConfig.ready(), before any request or command runs.
DIRECT: list[SealedColumn] = []
BLIND_INDEXES: list[BlindIndex] = []


def register_direct(*columns: SealedColumn) -> None:
    """Columns sealed with `crypto.seal` rather than a `Sealed` attribute."""
    DIRECT.extend(c for c in columns if c not in DIRECT)


def register_blind_index(index: BlindIndex) -> None:
    if index not in BLIND_INDEXES:
        BLIND_INDEXES.append(index)


@dataclass(frozen=True)
class DataKeyRotation:
    """What a rotation redid: counts only, as the audit event records them."""

    records: dict[str, int]  # the organisation's rows per model: {"cases.incident": 12, ...}
    values: int  # non-empty sealed values re-sealed
    name_tokens: int  # rows of the blind name index recomputed

    def detail(self) -> dict[str, Any]:
        return {"records": self.records, "values": self.values, "name_tokens": self.name_tokens}


def _field_aad(field: str) -> Callable[[Any], bytes]:
    return lambda row: aad_for(row, field)


def _descriptor_columns(model: type[models.Model]) -> Iterator[SealedColumn]:
    seen: set[str] = set()
    for klass in model.__mro__:
        for value in vars(klass).values():
            if isinstance(value, Sealed) and value.name not in seen:
                seen.add(value.name)
                yield SealedColumn(model, value.name, value.column, _field_aad(value.name))


def sealed_columns() -> dict[type[models.Model], list[SealedColumn]]:
    """Every column sealed with a data key, grouped by model (each row is written once)."""
    found: dict[type[models.Model], list[SealedColumn]] = {}
    for model in apps.get_models():
        for column in _descriptor_columns(model):
            found.setdefault(model, []).append(column)
    for column in DIRECT:
        found.setdefault(column.model, []).append(column)
    return found


def _pages(
    model: type[models.Model], organisation_id: int, fields: list[str], size: int
) -> Iterator[list[Any]]:
    """The organisation's rows of `model`, a page at a time, by ascending primary key."""
    rows = model._default_manager.filter(organisation_id=organisation_id).order_by("pk")
    rows = rows.only("pk", "uuid", *fields)
    last = 0
    while page := list(rows.filter(pk__gt=last)[:size]):
        yield page
        last = page[-1].pk


def _reseal(row: Any, column: SealedColumn, old: bytes, new: bytes) -> bool:
    blob = bytes(getattr(row, column.column) or b"")
    if not blob:
        return False  # an empty value is stored empty, not sealed
    aad = column.aad(row)
    try:
        plain = crypto.unseal(old, blob, aad)
    except DecryptionError as exc:
        # Name the column and row (never the value) so an operator can find the damage.
        where = f"{row._meta.label_lower}.{column.field} of {row.uuid}"
        raise DecryptionError(f"Cannot read {where}: {exc.message}") from exc
    setattr(row, column.column, crypto.seal(new, plain, aad))
    return True


def _reseal_model(
    model: type[models.Model], columns: list[SealedColumn], org_id: int, old: bytes, new: bytes
) -> tuple[int, int]:
    """Re-seal every sealed value of the organisation's rows; (rows, values)."""
    fields = [c.column for c in columns]
    rows = values = 0
    size = BATCH_FILES if any(c.holds_files for c in columns) else BATCH_ROWS
    for page in _pages(model, org_id, fields, size):
        values += sum(_reseal(row, c, old, new) for row in page for c in columns)
        model._default_manager.bulk_update(page, fields)
        rows += len(page)
    return rows, values


def _reindex(index: BlindIndex, org_id: int, keys: crypto.OrgKeys) -> int:
    """Recompute a blind index from the names, read under the new key (already re-sealed)."""
    count = 0
    owner_id = f"{index.owner}_id"
    for owners in _pages(index.owner_model, org_id, [], BATCH_ROWS):
        ids = [o.pk for o in owners]
        digests: dict[int, set[str]] = {pk: set() for pk in ids}
        names = index.names._default_manager.filter(
            organisation_id=org_id, **{f"{owner_id}__in": ids}
        )
        for name in names.only("pk", "uuid", owner_id, "value_sealed"):
            blob = bytes(getattr(name, "value_sealed") or b"")  # noqa: B009 (any names' model)
            value = crypto.unseal(keys.data, blob, aad_for(name, "value")) if blob else b""
            digests[getattr(name, owner_id)] |= index.digests(keys.index, [value.decode()])
        tokens = index.tokens._default_manager
        tokens.filter(organisation_id=org_id, **{f"{owner_id}__in": ids}).delete()
        made = tokens.bulk_create(
            index.tokens(organisation_id=org_id, digest=d, **{owner_id: pk})
            for pk, found in digests.items()
            for d in sorted(found)
        )
        count += len(made)
    return count


def _redo_everything(org_id: int, old: crypto.OrgKeys, new: crypto.OrgKeys) -> DataKeyRotation:
    records: dict[str, int] = {}
    values = 0
    for model, columns in sealed_columns().items():
        rows, sealed = _reseal_model(model, columns, org_id, old.data, new.data)
        records[model._meta.label_lower] = rows
        values += sealed
    tokens = sum(_reindex(index, org_id, new) for index in BLIND_INDEXES)
    return DataKeyRotation(records=records, values=values, name_tokens=tokens)


def data_key_rotate(*, organisation: Organisation) -> DataKeyRotation:
    """Give the organisation a new data key and redo everything made with the old one.

    All or nothing: a value that does not open (DecryptionError, naming the row) leaves
    every row and the wrapped key as they were. The server and worker may keep running:
    they read the key afresh for each request, open a value that fails with the key read
    again, and a write that sealed with the old key while this ran is refused when it takes
    the organisation's row (core.sealed, core.audit).
    """
    master = crypto.load_master_key()
    try:
        with transaction.atomic():
            org = Organisation.objects.select_for_update().get(pk=organisation.pk)
            old = crypto.keys_from_wrapped(bytes(org.wrapped_data_key))
            wrapped = crypto.wrap_key(master, crypto.new_key())
            rotation = _redo_everything(org.pk, old, crypto.keys_from_wrapped(wrapped))
            org.wrapped_data_key = wrapped
            org.save(update_fields=["wrapped_data_key"])
            forget_wrapped_keys()  # this process's own writes from here on use the new key
            audit_record(
                organisation=org,
                actor=None,
                action="data_key.rotate",
                record_type="organisation",
                record_id=org.uuid,
                detail=rotation.detail(),
            )
    finally:
        forget_wrapped_keys()
    organisation.wrapped_data_key = wrapped
    return rotation
