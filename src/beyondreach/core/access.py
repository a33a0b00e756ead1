"""The two checks every app's `access_*` selectors and services start from: the caller's
organisation, and whether the caller may change its records. One definition, so that a
change of what a member or a writer is happens once (issue 9, item 7)."""

from __future__ import annotations

from beyondreach.core.errors import NotFoundError, PermissionDeniedError
from beyondreach.core.models import Organisation, User


def member_org_id(user: User) -> int:
    """The caller's organisation; anyone else is told "Not found", as for another
    organisation's record, so that nothing says whether a record exists."""
    if not user.is_authenticated or user.organisation_id is None:
        raise NotFoundError("Not found.")
    return user.organisation_id


def writer_org(actor: User, refusal: str = "Your role cannot change records.") -> Organisation:
    """The organisation whose records an active admin or case worker may change."""
    if not actor.can_write or actor.organisation is None or not actor.is_active:
        raise PermissionDeniedError(refusal)
    return actor.organisation
