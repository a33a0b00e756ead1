"""Typed domain errors. Views and the API turn them into clear 4xx answers."""

from __future__ import annotations

import uuid


class ApplicationError(Exception):
    """A request that cannot be carried out, with a message safe to show the user."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInputError(ApplicationError):
    """Field errors, keyed by a dotted path such as ``targets.1.names.0.value``, of any
    app's input (incidents, alerts, referrals, reports)."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("Some fields are not valid: " + ", ".join(sorted(errors)))
        self.errors = errors


class PermissionDeniedError(ApplicationError):
    status = 403


class NotFoundError(ApplicationError):
    status = 404


class StaleKeyError(ApplicationError):
    """This process sealed values with an organisation data key that was rotated meanwhile.

    Raised before the write commits, so nothing is kept; sending it again works.
    """

    status = 409


class DecryptionError(ApplicationError):
    """Ciphertext failed authentication: it was altered, cut, or sealed with another key."""

    status = 500


class MasterKeyError(ApplicationError):
    status = 500


def parse_record_id(value: str | uuid.UUID, missing: str = "Not found.") -> uuid.UUID:
    """The UUID of a record as a URL or request gave it; a malformed one is simply not found
    (`missing`), like a record of another organisation, rather than a 400 that tells them apart."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFoundError(missing) from exc
