"""Publishing statistics: what is counted, the admin's service, and the public selector.

What is counted (docs/statistics.md, "Published statistics"): the organisation's own
incidents (never a partner's), in scope or borderline (never out of scope), TLP:GREEN or
TLP:CLEAR (never RED or AMBER), and only where every person targeted consented to public
statistics. An incident whose targets are only groups or organisations, with no person
recorded, counts: there is nobody to ask, and a group counts by its size, naming nobody.
A person recorded as a known member of a group is a person target and must consent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.selectors import IncidentFilters
from beyondreach.core.access import member_org_id
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import ApplicationError, PermissionDeniedError
from beyondreach.core.models import Organisation, Role, User
from beyondreach.reports.models import ReportingChannel
from beyondreach.statistics.models import PrivacyLoss, Publication
from beyondreach.statistics.publish_charts import item_svg
from beyondreach.statistics.publish_tables import DP, ItemSpec, publication_items
from beyondreach.statistics.selectors import counted_filters, counted_incidents

PUBLIC_TLP = (m.Tlp.GREEN, m.Tlp.CLEAR)


class PublishInputError(ApplicationError):
    status = 422


def _admin(actor: User) -> None:
    if actor.role != Role.ADMIN or actor.organisation_id is None or not actor.is_active:
        raise PermissionDeniedError("Only an admin publishes statistics.")


def published_incidents(actor: User) -> QuerySet[m.Incident]:
    """The incidents published statistics count (see the module's docstring)."""
    counted = counted_incidents(actor, counted_filters(IncidentFilters()), "own")
    refused = m.IncidentTarget.objects.filter(person__consent_public_statistics=False)
    return counted.filter(tlp__in=PUBLIC_TLP).exclude(pk__in=refused.values("incident_id"))


def publication_of(user: User) -> Publication | None:
    if user.organisation_id is None:
        return None
    return Publication.objects.filter(organisation_id=user.organisation_id).first()


def publication_at(address: str) -> Publication | None:
    """The public pages' one read: the stored figures, nothing counted."""
    return Publication.objects.select_related("organisation").filter(address=address).first()


def suggested_address(user: User) -> str:
    org = user.organisation_id
    channel = ReportingChannel.objects.filter(organisation_id=org).first() if org else None
    return channel.slug if channel else ""


def _check_address(actor: User, address: str) -> None:
    org = actor.organisation_id
    assert org is not None  # an admin of an organisation (_admin)
    taken = Publication.objects.filter(address=address).exclude(organisation_id=org)
    # Nor another organisation's reporting address: a look-alike page under its name.
    channel = ReportingChannel.objects.filter(slug=address).exclude(organisation_id=org)
    if taken.exists() or channel.exists():
        raise PublishInputError("This address is taken; choose another.", field="address")


def epsilon_spent(user: User) -> float:
    """The privacy loss the organisation's publications have spent so far, in all."""
    spent = PrivacyLoss.objects.filter(organisation_id=member_org_id(user))
    return float(spent.aggregate(total=Sum("epsilon"))["total"] or 0.0)


def epsilon_budget() -> float:
    return float(settings.STATISTICS_EPSILON_BUDGET)


def _epsilon_of(specs: list[ItemSpec]) -> float:
    return sum(s.epsilon for s in specs if s.method == DP)


def _check_budget(actor: User, specs: list[ItemSpec]) -> float:
    """The epsilon this publication spends, refused if it would pass the budget."""
    wanted, left = _epsilon_of(specs), epsilon_budget() - epsilon_spent(actor)
    if wanted > left + 1e-9:
        raise PublishInputError(
            f"These tables would spend epsilon {wanted:g} and {max(left, 0):g} is left of the "
            f"organisation's privacy budget of {epsilon_budget():g}. Publish fewer tables with "
            "differential privacy, smaller epsilons, or small-cell suppression.",
            field="items",
        )
    return wanted


def statistics_publish(*, actor: User, address: str, specs: list[ItemSpec]) -> Publication:
    """Count and protect the chosen tables once, and store them as the organisation's
    published statistics, replacing any earlier ones. Tables with differential privacy
    spend the organisation's privacy budget, for good."""
    _admin(actor)
    if not specs:
        raise PublishInputError("Choose at least one table to publish.", field="items")
    _check_address(actor, address)
    # Refused before the counting and the suppression audit (seconds), not after them; the
    # check under the lock below is the one that holds against a concurrent publication.
    _check_budget(actor, specs)
    items = publication_items(published_incidents(actor), specs)
    charts = {str(i): svg for i, item in enumerate(items) if (svg := item_svg(item))}
    assert actor.organisation is not None
    with transaction.atomic():
        # Checked under the organisation's row lock: two admins publishing at once cannot
        # both spend the last of the budget.
        Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
        spends = _check_budget(actor, specs)
        publication, _created = Publication.objects.update_or_create(
            organisation=actor.organisation,
            defaults={
                "address": address,
                "published_at": timezone.now(),
                "published_by": actor,
                "items": items,
                "charts": charts,
            },
        )
        if spends:
            PrivacyLoss.objects.create(
                organisation=actor.organisation,
                publication=publication.uuid,
                epsilon=spends,
                spent_at=publication.published_at,
            )
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action="statistics.publish",
            record_type="publication",
            record_id=publication.uuid,
            detail={
                "address": address,
                "items": [_described(i) for i in items],
                "epsilon_spent": spends,
            },
        )
    return publication


def _described(item: dict[str, Any]) -> dict[str, Any]:
    """What the audit keeps of an item: what was asked and how, never a figure."""
    return {**item["spec"], "params": item["params"]}


def statistics_unpublish(*, actor: User) -> None:
    """Take the organisation's published statistics down: its public pages answer 404."""
    _admin(actor)
    assert actor.organisation is not None
    with transaction.atomic():
        publication = publication_of(actor)
        if publication is None:
            return
        publication.delete()
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action="statistics.unpublish",
            record_type="publication",
            record_id=publication.uuid,
        )
