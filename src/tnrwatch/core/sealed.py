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

from tnrwatch.core import crypto
from tnrwatch.core.errors import DecryptionError

T = TypeVar("T", bound=models.Model)


def org_keys(organisation_id: int) -> crypto.OrgKeys:
    from tnrwatch.core.models import Organisation

    wrapped = _wrapped_cache.get(organisation_id)
    if wrapped is None:
        wrapped = bytes(
            Organisation.objects.values_list("wrapped_data_key", flat=True).get(pk=organisation_id)
        )
        _wrapped_cache[organisation_id] = wrapped
    return crypto.keys_from_wrapped(wrapped)


# Wrapped data keys by organisation id; cleared when a key is re-wrapped (rotation, restore).
_wrapped_cache: dict[int, bytes] = {}


def forget_wrapped_keys() -> None:
    _wrapped_cache.clear()


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
        try:
            plain = crypto.unseal(self._keys(instance).data, blob, aad_for(instance, self.name))
        except DecryptionError as exc:
            # Name the column and row (never the value) so an operator can find the damage.
            where = f"{instance._meta.label_lower}.{self.name} of {instance.uuid}"  # type: ignore[attr-defined]
            raise DecryptionError(f"Cannot read {where}: {exc.message}") from exc
        return plain.decode()
