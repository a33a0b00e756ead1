"""Encrypted model attributes.

A model declares the ciphertext column and a descriptor that reads and writes it:

    narrative_sealed = models.BinaryField(default=b"")
    narrative = Sealed()

The descriptor seals with the data key of the row's organisation (``organisation_id``) and
binds the ciphertext to the model, field and row UUID as associated data, so a ciphertext
copied into another row or column is refused rather than misread.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

from django.db import models

from beyondreach.core import crypto
from beyondreach.core.errors import DecryptionError, StaleKeyError

T = TypeVar("T", bound=models.Model)


def org_keys(organisation_id: int) -> crypto.OrgKeys:
    wrapped = _wrapped_cache.get(organisation_id)
    if wrapped is None:
        wrapped = _wrapped_in_database(organisation_id)
        _wrapped_cache[organisation_id] = wrapped
    return crypto.keys_from_wrapped(wrapped)


def _wrapped_in_database(organisation_id: int) -> bytes:
    from beyondreach.core.models import Organisation

    return bytes(
        Organisation.objects.values_list("wrapped_data_key", flat=True).get(pk=organisation_id)
    )


# Wrapped data keys by organisation id, read once per request or task. Another process may
# rotate a data key (beyondreach rotate-data-key) or restore a backup at any time, so the cache
# is emptied when a request starts (core.apps), a value that fails to open is tried again
# with the key read afresh, and a write whose key changed meanwhile is refused (audit.py).
_wrapped_cache: dict[int, bytes] = {}


def forget_wrapped_keys(**signal_arguments: object) -> None:
    _wrapped_cache.clear()


def forget_if_changed(organisation_id: int) -> bool:
    """Whether the organisation's data key changed since this process read it (then it is
    forgotten, so the next use reads the new one)."""
    held = _wrapped_cache.get(organisation_id)
    if held is None or held == _wrapped_in_database(organisation_id):
        return False
    del _wrapped_cache[organisation_id]
    return True


def lock_current_key(organisation_id: int) -> None:
    """Lock the organisation's row until the transaction ends, and refuse the write if this
    process sealed with a data key that is no longer the organisation's.

    A rotation (core.rotation) holds the same lock until it commits, so a write either
    commits before it (and is re-sealed by it) or checks the key after it.
    """
    from beyondreach.core.models import Organisation

    wrapped_now = (
        Organisation.objects.select_for_update()
        .filter(pk=organisation_id)
        .values_list("wrapped_data_key", flat=True)
        .first()
    )
    held = _wrapped_cache.get(organisation_id)
    if held is None and wrapped_now is not None:
        # Read under the lock, so current: the request's next seal or open needs no query.
        _wrapped_cache[organisation_id] = bytes(wrapped_now)
    elif held is not None and wrapped_now is not None and held != bytes(wrapped_now):
        del _wrapped_cache[organisation_id]
        raise StaleKeyError(
            "The organisation's encryption key was changed while this was being saved. "
            "Nothing was saved: please send it again."
        )


def aad_for(instance: models.Model, field: str) -> bytes:
    return f"{instance._meta.label_lower}.{field}:{instance.uuid}".encode()  # type: ignore[attr-defined]


class Sealed(Generic[T]):
    """A str attribute stored encrypted in the ``<name>_sealed`` BinaryField."""

    def __set_name__(self, owner: type[T], name: str) -> None:
        self.name = name
        self.column = f"{name}_sealed"
        self.cache = f"_plain_{name}"

    @overload
    def __get__(self, instance: None, owner: type[T]) -> Sealed[T]: ...
    @overload
    def __get__(self, instance: T, owner: type[T]) -> str: ...
    def __get__(self, instance: T | None, owner: type[T]) -> Sealed[T] | str:
        if instance is None:
            return self
        # The plaintext is cached with the very column object it came from: when the column
        # is replaced (refresh_from_db, a queryset, a direct assignment), it is opened again,
        # so a stale or tampered value is never served from the cache.
        stored = getattr(instance, self.column)
        cached: tuple[object, str] | None = instance.__dict__.get(self.cache)
        if cached is None or cached[0] is not stored:
            blob = bytes(stored or b"")
            cached = (stored, self._open(instance, blob) if blob else "")
            instance.__dict__[self.cache] = cached
        return cached[1]

    def __set__(self, instance: T, value: str | None) -> None:
        text = value or ""
        blob = self._seal(instance, text) if text else b""
        setattr(instance, self.column, blob)
        instance.__dict__[self.cache] = (blob, text)

    def _keys(self, instance: Any) -> crypto.OrgKeys:
        return org_keys(instance.organisation_id)

    def _seal(self, instance: T, text: str) -> bytes:
        return crypto.seal(self._keys(instance).data, text.encode(), aad_for(instance, self.name))

    def _open(self, instance: T, blob: bytes) -> str:
        aad = aad_for(instance, self.name)
        try:
            try:
                plain = crypto.unseal(self._keys(instance).data, blob, aad)
            except DecryptionError:
                if not forget_if_changed(instance.organisation_id):  # type: ignore[attr-defined]
                    raise
                plain = crypto.unseal(self._keys(instance).data, blob, aad)  # the new key
        except DecryptionError as exc:
            # Name the column and row (never the value) so an operator can find the damage.
            where = f"{instance._meta.label_lower}.{self.name} of {instance.uuid}"  # type: ignore[attr-defined]
            raise DecryptionError(f"Cannot read {where}: {exc.message}") from exc
        return plain.decode()
