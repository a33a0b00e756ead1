"""Reads of agreements and shares. Every record named in a URL comes through an `access_*`
function that checks organisation and role and raises NotFoundError (404) outside them: a user
of a third organisation, or of the partner after a revocation, gets the answer a made-up id
gets.

Whether a partner may read an incident is decided here, on every request, from the live rows:
the share not revoked, the agreement still active, the reader named when the share names
people, and the incident's *current* marking and targets' *current* consent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from beyondreach.cases import models as cm
from beyondreach.cases.selectors import incident_detail_queryset
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.indexes import newest_first
from beyondreach.core.models import Organisation, Role, User
from beyondreach.sharing.models import Agreement, AgreementStatus, Share, ShareLevel, ShareReader

# One message for every refusal, so the answer never tells "revoked" from "never existed".
NO_SUCH_INCIDENT = "No such incident."


def _admin_org_id(user: User) -> int:
    org = member_org_id(user)
    if user.role != Role.ADMIN:
        raise PermissionDeniedError("Only an admin manages sharing agreements.")
    return org


# --- Agreements -------------------------------------------------------------------------


def _of_org(org_id: int) -> Q:
    return Q(proposer_id=org_id) | Q(partner_id=org_id)


def agreement_list_for(user: User) -> list[Agreement]:
    """The admin's organisation's agreements, live ones first, newest first."""
    org = _admin_org_id(user)
    rows = Agreement.objects.filter(_of_org(org)).select_related(
        "proposer", "partner", "proposed_by", "accepted_by", "ended_by"
    )
    return sorted(
        rows, key=lambda a: (a.status == AgreementStatus.ENDED, -a.proposed_at.timestamp())
    )


def access_agreement(user: User, agreement_id: str | uuid.UUID) -> Agreement:
    org = _admin_org_id(user)
    found = (
        Agreement.objects.select_related("proposer", "partner")
        .filter(_of_org(org), uuid=parse_record_id(agreement_id))
        .first()
    )
    if found is None:
        raise NotFoundError("No such agreement.")
    return found


def active_agreement(org_id: int, partner_id: int) -> Agreement | None:
    return (
        Agreement.objects.filter(
            Q(proposer_id=org_id, partner_id=partner_id)
            | Q(proposer_id=partner_id, partner_id=org_id),
            status=AgreementStatus.ACTIVE,
        )
        .select_related("proposer", "partner")
        .first()
    )


def active_partners(user: User) -> list[Organisation]:
    """Organisations the user's organisation has an active agreement with, by name."""
    org = member_org_id(user)
    partners = [
        a.other(org)
        for a in Agreement.objects.filter(
            _of_org(org), status=AgreementStatus.ACTIVE
        ).select_related("proposer", "partner")
    ]
    return sorted(partners, key=lambda o: o.name)


def partner_people(partners: list[Organisation]) -> dict[int, list[User]]:
    """Active users of each partner, who may be named as readers of a share."""
    people: dict[int, list[User]] = {p.pk: [] for p in partners}
    for person in User.objects.filter(organisation__in=partners, is_active=True).order_by(
        "username"
    ):
        assert person.organisation_id is not None
        people[person.organisation_id].append(person)
    return people


# --- The owner's side -------------------------------------------------------------------


def shares_of_incident(user: User, incident: cm.Incident) -> list[Share]:
    """Live shares of one of the user's organisation's incidents, for its owner's pages."""
    if incident.organisation_id != member_org_id(user):
        raise NotFoundError(NO_SUCH_INCIDENT)
    return list(
        Share.objects.filter(incident=incident, revoked_at__isnull=True)
        .select_related("recipient", "shared_by")
        .prefetch_related("readers__user")
        .order_by("shared_at")
    )


def access_outgoing_share(user: User, incident: cm.Incident, share_id: str | uuid.UUID) -> Share:
    """A live share of the owner's incident (the incident itself came through access_incident)."""
    found = (
        Share.objects.select_related("recipient", "owner", "incident")
        .filter(
            incident=incident,
            owner_id=member_org_id(user),
            uuid=parse_record_id(share_id),
            revoked_at__isnull=True,
        )
        .first()
    )
    if found is None:
        raise NotFoundError("No such share.")
    return found


# --- The partner's side -----------------------------------------------------------------


def _live() -> QuerySet[Share]:
    return Share.objects.filter(revoked_at__isnull=True, agreement__status=AgreementStatus.ACTIVE)


def _readable_by(user: User) -> QuerySet[Share]:
    """Live shares with the user's organisation that the user may open as a record.

    Counted-only shares have no record to open. A share naming people is for them only, and a
    TLP:RED incident is for named people only, whatever the share said when it was made (the
    owner may have raised the marking since).
    """
    named = ShareReader.objects.filter(share=OuterRef("pk"))
    return (
        _live()
        .filter(recipient_id=member_org_id(user))
        .exclude(level=ShareLevel.COUNTED)
        .annotate(has_readers=Exists(named), user_named=Exists(named.filter(user_id=user.pk)))
        .filter(Q(has_readers=False) | Q(user_named=True))
        .exclude(incident__tlp=cm.Tlp.RED, has_readers=False)
    )


def incident_readable_by(user: User, incident: cm.Incident) -> bool:
    """Whether a partner's user may open this incident now, by the rules of _readable_by."""
    return _readable_by(user).filter(incident=incident).exists()


def incident_shared_with(incident: cm.Incident | int) -> set[int]:
    """The organisations that may open the incident (or the incident of that row id) as a
    record through a live share."""
    live = _live().filter(incident=incident).exclude(level=ShareLevel.COUNTED)
    return set(live.values_list("recipient_id", flat=True))


def shared_incident_list_visible_to(user: User) -> QuerySet[Share]:
    """The records shared with the user's organisation that the user may open, newest first."""
    return (
        _readable_by(user)
        .select_related("incident", "owner")
        .prefetch_related("incident__origins", "incident__hosts", "incident__tactics")
        .order_by(newest_first("incident__start_date"), "-pk")
    )


@dataclass(frozen=True)
class SharedIncident:
    """An incident as the partner may read it, and why identities are withheld, if they are."""

    share: Share
    incident: cm.Incident
    identities: bool
    withheld_because: str  # empty when identities are shown


def access_shared_incident(user: User, incident_id: str | uuid.UUID) -> SharedIncident:
    share = (
        _readable_by(user)
        .select_related("owner", "recipient")
        .filter(incident__uuid=parse_record_id(incident_id))
        .first()
    )
    if share is None:
        raise NotFoundError(NO_SUCH_INCIDENT)
    incident = incident_detail_queryset().get(pk=share.incident_id)
    share.incident = incident
    identities, because = True, ""
    if share.level != ShareLevel.FULL:
        identities, because = False, "it was shared pseudonymised"
    elif not user.sees_identities:
        identities, because = False, "your role does not see identities"
    elif not targets_all_consent(incident):
        # Consent is read now, not when the share was made: a withdrawn consent, or a target
        # added since without it, closes the names at once.
        identities, because = False, "a target has not agreed to sharing with partners"
    return SharedIncident(share, incident, identities, because)


def targets_without_consent(incident: cm.Incident) -> list[cm.Person]:
    return [t.person for t in incident.targets.all() if not t.person.consent_share_partners]


def targets_all_consent(incident: cm.Incident) -> bool:
    return not targets_without_consent(incident)


# --- Statistics -------------------------------------------------------------------------


def _counted_with(org_id: int) -> QuerySet[Share]:
    """Live shares with `org_id` that enter its organisation-wide figures: not TLP:RED, and
    not naming people. Both say "these people only", and a figure the whole organisation
    sees would carry the record's facts beyond them."""
    named = ShareReader.objects.filter(share=OuterRef("pk"))
    return (
        _live().filter(recipient_id=org_id).exclude(incident__tlp=cm.Tlp.RED).exclude(Exists(named))
    )


def shared_incidents_counted_for(org: Organisation | int) -> QuerySet[cm.Incident]:
    """Other organisations' incidents that count in `org`'s statistics: every live share at
    any level (a record readable in full also counts), except TLP:RED ones and shares naming
    people (see `_counted_with`).

    Read coded columns only (dates, countries, tactics, target groups, verification): the
    rows belong to their owners, and decrypting a sealed field here would bypass the share's
    level. A figure that is *published* must also honour `Person.consent_public_statistics`.
    """
    org_id = org if isinstance(org, int) else org.pk
    counted = _counted_with(org_id).filter(incident=OuterRef("pk"))
    return cm.Incident.objects.filter(Exists(counted))


@dataclass(frozen=True)
class CountedFrom:
    organisation: str
    counted: int  # every incident of theirs that counts in our statistics
    counted_only: int  # of which: shared as counted only, with no record to open


def counted_summary_for(user: User) -> list[CountedFrom]:
    """How many of each partner's incidents count in the user's organisation's statistics."""
    org = member_org_id(user)
    rows = (
        _counted_with(org)
        .values("owner__name")
        .annotate(counted=Count("pk"), counted_only=Count("pk", filter=Q(level=ShareLevel.COUNTED)))
        .order_by("owner__name")
    )
    return [CountedFrom(r["owner__name"], r["counted"], r["counted_only"]) for r in rows]
