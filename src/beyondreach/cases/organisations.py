"""Reading targeted organisations (media outlets, NGOs, companies targeted by incidents):
every one fetched through `access_targeted_organisation`, scoped to the caller's
organisation. Their names are sealed; the pages show them to roles that see identities."""

from __future__ import annotations

import uuid

from django.db.models import Count, QuerySet

from beyondreach.cases import models as m
from beyondreach.cases.names import blind, name_tokens, token_keys
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, parse_record_id
from beyondreach.core.indexes import newest_first
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys


def organisation_alias(target: m.TargetedOrganisation) -> str:
    """A stable alias, as a person's pseudonym: the same organisation reads the same on every
    page, yet names nothing, for roles that see no identities."""
    return "O-" + blind(org_keys(target.organisation_id).pseudonym, str(target.uuid))[:10].upper()


# Read at most this many to offer a match: an organisation records tens or hundreds.
CANDIDATES_READ = 2000


def organisation_candidates(user: User, name: str) -> list[m.TargetedOrganisation]:
    """Recorded organisations whose name holds every word of `name`, in any script or
    spelling ("Радио Свобода" and "Radio Svoboda"), to ask before recording one twice.

    Organisations have no blind index: their names are opened in memory here, a few hundred
    at most per organisation, and never leave this function but as the records."""
    if not user.sees_identities:
        return []
    wanted = [token_keys(t) for t in name_tokens(name)]
    if not wanted:
        return []
    found = []
    for target in targeted_organisations_of(user)[:CANDIDATES_READ]:
        have = set().union(*(token_keys(t) for t in name_tokens(target.name)))
        if all(keys & have for keys in wanted):
            found.append(target)
    return found


def targeted_organisations_of(user: User) -> QuerySet[m.TargetedOrganisation]:
    """Those listed: not merged into another, with their number of incidents."""
    return (
        m.TargetedOrganisation.objects.filter(organisation_id=member_org_id(user), merged_into=None)
        .annotate(incident_count=Count("targetings"))
        .order_by("-incident_count", "-id")
    )


def access_targeted_organisation(user: User, target_id: str | uuid.UUID) -> m.TargetedOrganisation:
    target = (
        m.TargetedOrganisation.objects.select_related("merged_into")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(target_id))
        .first()
    )
    if target is None:
        raise NotFoundError("No such organisation.")
    return target


def access_organisation_merge(user: User, merge_id: str | uuid.UUID) -> m.OrganisationMerge:
    merge = (
        m.OrganisationMerge.objects.select_related("survivor", "merged")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(merge_id))
        .first()
    )
    if merge is None:
        raise NotFoundError("No such merge.")
    return merge


def targeted_organisation_incidents(target: m.TargetedOrganisation) -> list[m.Incident]:
    return list(
        m.Incident.objects.filter(organisation_targets__target=target).order_by(
            newest_first("start_date")
        )
    )


def organisation_merges(target: m.TargetedOrganisation) -> list[m.OrganisationMerge]:
    """The merges into this organisation, newest first, for its page (and their undo)."""
    return list(
        m.OrganisationMerge.objects.filter(survivor=target)
        .select_related("merged", "actor", "undone_by")
        .order_by("-at")
    )
