"""Merging a person or a targeted organisation recorded twice into one, and undoing it
(issue 9, item 3).

The survivor takes the merged person's incidents and a copy of its names; the merged person
is kept, marked `merged_into`, out of lists and of the name search, so that the merge can be
undone from the survivor's history. Both writes keep a version of each person and an audit
event, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.export import person_snapshot
from beyondreach.cases.services import _index_names, _version, incident_recount
from beyondreach.cases.signals import send_person_saved
from beyondreach.core.access import writer_org
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, NotFoundError
from beyondreach.core.models import User


def person_merge(*, actor: User, survivor: m.Person, merged: m.Person) -> m.PersonMerge:
    """Merge `merged` into `survivor`: the same person, recorded twice."""
    org = writer_org(actor)
    if {survivor.organisation_id, merged.organisation_id} != {org.pk}:
        raise NotFoundError("No such person.")
    if survivor.pk == merged.pk:
        raise InvalidInputError({"person": ["A person cannot be merged into themselves."]})
    if survivor.merged_into_id or merged.merged_into_id:
        raise InvalidInputError({"person": ["This person was merged already: undo that first."]})
    with transaction.atomic():
        befores = person_snapshot(survivor), person_snapshot(merged)
        theirs = set(
            m.IncidentTarget.objects.filter(person=survivor).values_list("incident_id", flat=True)
        )
        moved: list[int] = []
        dropped: list[dict[str, Any]] = []
        for target in m.IncidentTarget.objects.filter(person=merged):
            if target.incident_id in theirs:
                dropped.append(_dropped(target))
                target.delete()
            else:
                moved.append(target.incident_id)
        m.IncidentTarget.objects.filter(person=merged).update(person=survivor)
        copied = _copy_names(merged, survivor)
        merged.merged_into = survivor
        record = m.PersonMerge.objects.create(
            organisation=org,
            survivor=survivor,
            merged=merged,
            moved_incidents=moved,
            copied_names=copied,
            dropped_targets=dropped,
            actor=actor,
        )
        _after(actor, survivor, merged, befores, "merge", record)
        for incident_id in {d["incident"] for d in dropped}:
            incident_recount(incident_id)
    return record


def person_merge_undo(*, actor: User, merge: m.PersonMerge) -> m.PersonMerge:
    """Split the merged person off again, as it was; nothing when it was undone already."""
    org = writer_org(actor)
    if merge.organisation_id != org.pk:
        raise NotFoundError("No such merge.")
    if merge.undone_at is not None:
        return merge
    with transaction.atomic():
        survivor, merged = merge.survivor, merge.merged
        befores = person_snapshot(survivor), person_snapshot(merged)
        m.IncidentTarget.objects.filter(
            person=survivor, incident_id__in=merge.moved_incidents
        ).update(person=merged)
        for dropped in merge.dropped_targets:
            m.IncidentTarget.objects.create(
                organisation=org,
                person=merged,
                incident_id=dropped["incident"],
                role=dropped["role"],
                target_group=dropped["target_group"],
                relation=dropped["relation"],
            )
        # Names edited on the survivor since are its own now; the copies still there go.
        m.PersonName.objects.filter(person=survivor, pk__in=merge.copied_names).delete()
        merged.merged_into = None
        merge.undone_at, merge.undone_by = timezone.now(), actor
        merge.save()
        _after(actor, survivor, merged, befores, "merge_undo", merge)
        for incident_id in {d["incident"] for d in merge.dropped_targets}:
            incident_recount(incident_id)
    return merge


def _dropped(target: m.IncidentTarget) -> dict[str, Any]:
    return {
        "incident": target.incident_id,
        "role": target.role,
        "target_group": target.target_group,
        "relation": target.relation,
    }


def _copy_names(source: m.Person, to: m.Person) -> list[int]:
    start = (to.names.aggregate(last=Max("position"))["last"] or 0) + 1
    copied = []
    for offset, name in enumerate(source.names.all()):
        copy = m.PersonName(
            organisation_id=to.organisation_id,
            person=to,
            script=name.script,
            language=name.language,
            position=start + offset,
        )
        copy.value = name.value
        copy.save()
        copied.append(copy.pk)
    return copied


def _after(
    actor: User,
    survivor: m.Person,
    merged: m.Person,
    befores: tuple[dict[str, object], dict[str, object]],
    action: str,
    record: m.PersonMerge,
) -> None:
    """Both persons' versions, names indexed again, and the audit event."""
    for person, before in zip((survivor, merged), befores, strict=True):
        person.version += 1
        person.save()
        # A merged person is found by no name: its names are the survivor's now.
        found_by = [] if person.merged_into_id else [n.value for n in person.names.all()]
        _index_names(person, found_by)
        _version(person, actor, action, "person", person_snapshot(person), before)
        send_person_saved(person_id=person.pk)
    audit_record(
        organisation=survivor.organisation,
        actor=actor,
        action=f"person.{action}",
        record_type="person",
        record_id=survivor.uuid,
        detail={"merged": str(merged.uuid), "merge": str(record.uuid)},
    )


def organisation_merge(
    *, actor: User, survivor: m.TargetedOrganisation, merged: m.TargetedOrganisation
) -> m.OrganisationMerge:
    """Merge `merged` into `survivor`: one targeted organisation recorded twice. Its incidents
    move; the merged record keeps its name, unlisted, for the undo."""
    org = writer_org(actor)
    if {survivor.organisation_id, merged.organisation_id} != {org.pk}:
        raise NotFoundError("No such organisation.")
    if survivor.pk == merged.pk:
        raise InvalidInputError({"organisation": ["An organisation cannot be merged into itself."]})
    if survivor.merged_into_id or merged.merged_into_id:
        raise InvalidInputError(
            {"organisation": ["This organisation was merged already: undo that first."]}
        )
    with transaction.atomic():
        rows = m.IncidentOrganisation.objects.filter(target=merged)
        theirs = set(
            m.IncidentOrganisation.objects.filter(target=survivor).values_list(
                "incident_id", flat=True
            )
        )
        dropped = sorted(r.incident_id for r in rows if r.incident_id in theirs)
        moved = sorted(r.incident_id for r in rows if r.incident_id not in theirs)
        rows.filter(incident_id__in=dropped).delete()
        rows.filter(incident_id__in=moved).update(target=survivor)
        merged.merged_into = survivor
        merged.save(update_fields=["merged_into"])
        record = m.OrganisationMerge.objects.create(
            organisation=org,
            survivor=survivor,
            merged=merged,
            moved_incidents=moved,
            dropped_incidents=dropped,
            actor=actor,
        )
        _audit_organisation_merge(actor, record, "merge")
        for incident_id in dropped:
            incident_recount(incident_id)
    return record


def organisation_merge_undo(*, actor: User, merge: m.OrganisationMerge) -> m.OrganisationMerge:
    """Split the merged organisation off again; nothing when it was undone already."""
    org = writer_org(actor)
    if merge.organisation_id != org.pk:
        raise NotFoundError("No such merge.")
    if merge.undone_at is not None:
        return merge
    with transaction.atomic():
        survivor, merged = merge.survivor, merge.merged
        m.IncidentOrganisation.objects.filter(
            target=survivor, incident_id__in=merge.moved_incidents
        ).update(target=merged)
        for incident_id in merge.dropped_incidents:
            m.IncidentOrganisation.objects.create(
                organisation=org, incident_id=incident_id, target=merged
            )
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        merge.undone_at, merge.undone_by = timezone.now(), actor
        merge.save()
        _audit_organisation_merge(actor, merge, "merge_undo")
        for incident_id in merge.dropped_incidents:
            incident_recount(incident_id)
    return merge


def _audit_organisation_merge(actor: User, merge: m.OrganisationMerge, action: str) -> None:
    audit_record(
        organisation=merge.survivor.organisation,
        actor=actor,
        action=f"targeted_organisation.{action}",
        record_type="targeted_organisation",
        record_id=merge.survivor.uuid,
        detail={"merged": str(merge.merged.uuid), "merge": str(merge.uuid)},
    )
