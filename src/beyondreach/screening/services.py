"""Screening the persons an organisation protects against the loaded lists, and deciding
on the matches found.

Names are opened only in this process's memory, one person at a time, and compared with
the local lists: no request leaves the server, and nothing of the person is written but
the sealed match. A match already recorded for a person and an entity, whatever its
decision, is never recorded or alerted again: "not a match" stays decided across reloads
of the list and new runs. The alert is mail through the outbox, like the reminders, and
says only coded facts; the entity (whose name is the person's) is on the screening page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from beyondreach.cases import models as cm
from beyondreach.cases.export import pseudonym
from beyondreach.core.audit import audit_record
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import Organisation, Role, User
from beyondreach.core.sealed import lock_current_key
from beyondreach.outbox.channels import Email
from beyondreach.outbox.services import message_key, outbox_enqueue, site_link
from beyondreach.screening.index import Found, search
from beyondreach.screening.matching import Subject, birth_value
from beyondreach.screening.models import ListEntity, MatchStatus, ScreeningMatch

logger = logging.getLogger(__name__)

THRESHOLD = 0.85  # see bench/README.md: recall and precision at this threshold
PAGE = 200


@dataclass
class ScreeningRun:
    persons: int = 0
    new_matches: list[ScreeningMatch] = field(default_factory=list)
    alerts: int = 0


def _persons(org: Organisation) -> Iterator[cm.Person]:
    """The organisation's persons with their names, in keyset pages."""
    last = 0
    while True:
        page = list(
            cm.Person.objects.filter(organisation=org, merged_into=None, pk__gt=last)
            .prefetch_related("names")
            .order_by("pk")[:PAGE]
        )
        if not page:
            return
        yield from page
        last = page[-1].pk


def subject_of(person: cm.Person) -> Subject:
    """The person as the matcher sees it; the names exist only in this object."""
    return Subject(
        names=tuple(n.value for n in person.names.all() if n.value.strip()),
        birth_date=birth_value(person.birth_date),
        countries=frozenset(c.lower() for c in person.nationalities),
    )


def screening_run(*, organisation: Organisation, threshold: float = THRESHOLD) -> ScreeningRun:
    """Screen every person of the organisation; record and alert the new matches."""
    run = ScreeningRun()
    for person in _persons(organisation):
        _screen(organisation, person, threshold, run)
    return run


def screening_person(*, person_id: int, threshold: float = THRESHOLD) -> ScreeningRun:
    """Screen one person just saved (cases.signals.person_saved, through the worker): a
    person recorded after the lists were loaded is screened too, not only at the next load.
    Nothing when no list is loaded, or when the person was merged into another since."""
    run = ScreeningRun()
    person = (
        cm.Person.objects.filter(pk=person_id, merged_into=None)
        .select_related("organisation")
        .prefetch_related("names")
        .first()
    )
    if person is not None and lists_loaded():
        _screen(person.organisation, person, threshold, run)
    return run


def lists_loaded() -> bool:
    return ListEntity.objects.exists()


def _screen(org: Organisation, person: cm.Person, threshold: float, run: ScreeningRun) -> None:
    run.persons += 1
    subject = subject_of(person)
    if not subject.names:
        return
    found = search(subject, threshold=threshold)
    if found:
        new, alerts = _record(org, person, found)
        run.new_matches += new
        run.alerts += alerts


def screening_run_all(*, threshold: float = THRESHOLD) -> dict[str, ScreeningRun]:
    return {
        str(org.uuid): screening_run(organisation=org, threshold=threshold)
        for org in Organisation.objects.order_by("pk")
    }


def _record(
    org: Organisation, person: cm.Person, found: list[Found]
) -> tuple[list[ScreeningMatch], int]:
    with transaction.atomic():
        lock_current_key(org.pk)  # orders concurrent runs, and the seal with a rotation
        known = {m.entity_ref for m in ScreeningMatch.objects.filter(person=person)}
        new: list[ScreeningMatch] = []
        for hit in found:
            if hit.ftm_id in known:
                continue
            known.add(hit.ftm_id)  # the same entity in two lists: one match
            new.append(_match_create(org, person, hit))
        alerts = _alert(org, person, new) if new else 0
    return new, alerts


def _match_create(org: Organisation, person: cm.Person, hit: Found) -> ScreeningMatch:
    match = ScreeningMatch(
        organisation=org,
        person=person,
        list_name=hit.list_name,
        topics=list(hit.topics),
        score=hit.score.score,
    )
    match.entity_ref = hit.ftm_id
    match.entity_caption = hit.caption
    match.reason = hit.score.reason
    match.save()
    audit_record(
        organisation=org,
        actor=None,
        action="screening_match.create",
        record_type="screening_match",
        record_id=match.uuid,
        detail={"list": hit.list_name, "topics": list(hit.topics), "score": match.score},
    )
    return match


def assignees_of(person: cm.Person) -> list[User]:
    """Who is alerted: the assignees of the person's incidents, or, when none is
    assigned, the organisation's admins, so that a match is never silent."""
    users = User.objects.filter(organisation_id=person.organisation_id, is_active=True)
    assigned = users.filter(
        pk__in=cm.Incident.objects.filter(targets__person=person).values("assignee")
    ).filter(role__in=[Role.ADMIN, Role.CASE_WORKER])
    return list(assigned.order_by("pk")) or list(users.filter(role=Role.ADMIN).order_by("pk"))


def _alert(org: Organisation, person: cm.Person, matches: list[ScreeningMatch]) -> int:
    subject = "[Beyond Reach] Urgent: a person you protect may be on a public list"
    lines = [
        f"Person {pseudonym(person)} may appear on a public list loaded on this server:",
        *(
            f"- list {m.list_name} ({', '.join(m.topics) or 'no topic'}), score {m.score:.2f}"
            for m in matches
        ),
        "Which entity, and why it matched, is on the screening page (login required): "
        + site_link("/screening/"),
        "Decide there whether it is the person: a match marked 'not a match' is not raised "
        "again. You receive this because you are assigned to this person's incidents.",
    ]
    sent = 0
    for user in assignees_of(person):
        if not user.email:
            continue
        key = message_key("screening", user.pk, *(m.uuid for m in matches))
        envelope = Email(to=(user.email,), subject=subject, body="\n".join(lines))
        if outbox_enqueue(organisation=org, key=key, kind="alert.urgent", envelope=envelope):
            sent += 1
            audit_record(
                organisation=org,
                actor=None,
                action="screening.alert",
                record_type="screening_match",
                record_id=matches[0].uuid,
                detail={"matches": [str(m.uuid) for m in matches], "to": str(user.uuid)},
            )
    return sent


def screening_matches_viewed(*, actor: User, matches: list[ScreeningMatch]) -> None:
    """The page shows each match's person by name: a view of those persons, audited."""
    if matches and actor.organisation is not None:
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action="screening_match.list",
            record_type="screening_match",
            detail={"records": sorted(str(m.uuid) for m in matches)},
        )


def screening_match_decide(*, actor: User, match: ScreeningMatch, decision: str) -> ScreeningMatch:
    """Record whether the list entity is the person ("match") or not ("not_match")."""
    if actor.organisation_id is None or match.organisation_id != actor.organisation_id:
        raise NotFoundError("No such match.")
    if not actor.is_active or not actor.sees_identities or not actor.can_write:
        raise PermissionDeniedError("Only admins and case workers decide on matches.")
    if decision not in (MatchStatus.CONFIRMED, MatchStatus.DISMISSED):
        raise InvalidInputError({"decision": ["Choose 'match' or 'not a match'."]})
    with transaction.atomic():
        match.status, match.decided_by, match.decided_at = decision, actor, timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at"])
        assert actor.organisation is not None
        audit_record(
            organisation=actor.organisation,
            actor=actor,
            action="screening_match.decide",
            record_type="screening_match",
            record_id=match.uuid,
            detail={"decision": decision, "list": match.list_name},
        )
    return match
