"""Reads. A record named in a URL is fetched only through `access_*`, which checks the
caller's organisation and role and answers 404 for anything outside it, so an outsider
cannot even learn that a record exists."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import Combinable

from beyondreach.cases import models as m
from beyondreach.cases.export import physical_tactics
from beyondreach.cases.history import HistoryEntry, changes_between
from beyondreach.cases.names import blind, query_alternatives
from beyondreach.cases.services import records_listed
from beyondreach.core.access import member_org_id
from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.indexes import newest_first
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys
from beyondreach.vocab.loader import vocabulary

Row = TypeVar("Row", bound=Model)


def incident_detail_queryset() -> QuerySet[m.Incident]:
    return m.Incident.objects.select_related("assignee", "organisation").prefetch_related(
        "origins",
        "hosts",
        "tactics",
        "actors",
        "mechanisms",
        "sources",
        "responses",
        "groups",
        Prefetch("organisation_targets", m.IncidentOrganisation.objects.select_related("target")),
        Prefetch(
            "targets",
            m.IncidentTarget.objects.select_related("person").prefetch_related("person__names"),
        ),
    )


def access_incident(user: User, incident_id: str | uuid.UUID) -> m.Incident:
    incident = (
        incident_detail_queryset()
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(incident_id))
        .first()
    )
    if incident is None:
        raise NotFoundError("No such incident.")
    return incident


def access_person(user: User, person_id: str | uuid.UUID) -> m.Person:
    person = (
        m.Person.objects.prefetch_related("names")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(person_id))
        .first()
    )
    if person is None:
        raise NotFoundError("No such person.")
    return person


NO_HOST = "none"  # the host filter's value for "no host country, whatever the reason"


@dataclass
class IncidentFilters:
    origin: str = ""
    host: str = ""  # a country code; NO_HOST; or a reason for no host (m.HostReason)
    tactic: str = ""
    target_group: str = ""
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    verification: str = ""
    tlp: str = ""
    scope: str = ""  # a Scope, or COUNTED: every incident but those out of scope
    definition: str = ""  # "freedom_house": a direct, physical tactic (cases.export); "other"
    q: str = ""  # a target's name, in any script
    # Filters the statistics drill down with (statistics/dimensions.py).
    tactic_category: str = ""  # a category of vocabulary "tactics"
    actor_type: str = ""
    mechanism_kind: str = ""
    started: str = ""  # "2024" or "2024-03": the start date in that year or month


# The scope filter's value for what analyses count by default (issue 9): in scope and borderline.
COUNTED = "counted"


def incident_list_visible_to(user: User, filters: IncidentFilters) -> QuerySet[m.Incident]:
    """Incidents of the user's organisation matching the filters, newest first.

    With an origin state, a tactic, a host country or a target group chosen, the incidents
    are read through the first such child table's (organisation, code, start date, incident)
    index, which holds them already
    newest first: a page reads its 50 rows and stops, however many incidents match. The
    other child filters are EXISTS subqueries. bench/README.md has the measurements.
    """
    org = member_org_id(user)
    qs = m.Incident.objects.filter(organisation_id=org)
    driver = _driver(filters)
    if driver is None:
        qs = qs.filter(**_starts_by("start_date", filters))
        order = (newest_first("start_date"), F("id").desc())
    else:
        related, value, _, column = driver
        # One filter() call, so that every condition is on the same joined row.
        qs = qs.filter(
            **{f"{related}__organisation_id": org, f"{related}__{column}": value},
            **_starts_by(f"{related}__start_date", filters),
        )
        order = (newest_first(f"{related}__start_date"), F(f"{related}__incident_id").desc())
    qs = qs.filter(*_part_conditions(user, filters, driver, outer="pk"))
    if filters.date_from:
        qs = qs.filter(_lasts_until(filters.date_from))
    if filters.host == NO_HOST:
        qs = qs.exclude(host_reason="")
    elif _without_host(filters):
        qs = qs.filter(host_reason=filters.host)
    if filters.scope == COUNTED:
        qs = qs.exclude(scope=m.Scope.OUT_OF_SCOPE)
    for column in ("status", "verification", "tlp", "scope"):
        if getattr(filters, column) and getattr(filters, column) != COUNTED:
            qs = qs.filter(**{column: getattr(filters, column)})
    if filters.started:
        first, after = started_span(filters.started)
        qs = qs.filter(start_date__gte=first, start_date__lt=after)
    # A list row never shows the narrative, place or reasons: their ciphertexts, a few
    # kilobytes a row, are left in the table (bench/README.md).
    return qs.order_by(*order).only(*LIST_FIELDS)


# A child table that can drive the list: (relation, value, model, code column).
Lookup = tuple[str, str, type[Model], str]


def _lookups(filters: IncidentFilters) -> list[Lookup]:
    host_country = filters.host.upper() if len(filters.host) == 2 else ""
    return [
        ("origins", filters.origin.upper(), m.IncidentOrigin, "country"),
        ("tactics", filters.tactic, m.IncidentTactic, "tactic"),
        ("hosts", host_country, m.IncidentHost, "country"),
        ("target_group_codes", filters.target_group, m.IncidentTargetGroup, "target_group"),
    ]


def _without_host(filters: IncidentFilters) -> bool:
    """Whether the host filter asks for incidents without a host country (NO_HOST or a
    reason), a column of the incident's own row; a country code is two letters."""
    return bool(filters.host) and len(filters.host) != 2


def _driver(filters: IncidentFilters) -> Lookup | None:
    return next((lookup for lookup in _lookups(filters) if lookup[1]), None)


def _part_conditions(
    user: User, filters: IncidentFilters, driver: Lookup | None, *, outer: str
) -> list[Exists | Combinable]:
    """The filters on an incident's parts, as EXISTS subqueries on the incident's id, which
    the outer query holds in its column `outer`: the incident's pk, or a part row's
    incident_id when the match count is read from the driving part table alone."""
    conditions: list[Exists | Combinable] = [
        # Probed by its unique (incident, code) index alone, an index-only read (the rows
        # are the incident's, so of its organisation).
        Exists(model._default_manager.filter(incident=OuterRef(outer), **{column: value}))
        for lookup in _lookups(filters)
        for _, value, model, column in [lookup]
        if value and lookup != driver
    ]
    if filters.definition in ("freedom_house", "other"):
        physical = Exists(
            m.IncidentTactic.objects.filter(
                incident=OuterRef(outer), tactic__in=sorted(physical_tactics())
            )
        )
        conditions.append(physical if filters.definition == "freedom_house" else ~physical)
    # The filters a statistics cell adds when it drills down to the list.
    parts: list[tuple[str, type[Model], dict[str, Any]]] = [
        ("tactic_category", m.IncidentTactic, {"tactic__in": tactics_in(filters.tactic_category)}),
        ("actor_type", m.IncidentActor, {"actor_type": filters.actor_type}),
        ("mechanism_kind", m.LegalMechanism, {"kind": filters.mechanism_kind}),
    ]
    conditions += [
        Exists(model._default_manager.filter(incident=OuterRef(outer), **condition))
        for name, model, condition in parts
        if getattr(filters, name)
    ]
    if filters.q.strip():
        person_ids = person_ids_matching(user, filters.q)
        conditions.append(
            Exists(
                m.IncidentTarget.objects.filter(incident=OuterRef(outer), person_id__in=person_ids)
            )
        )
    return conditions


# Filters on the incident's own row: a count with any of them reads the incident table.
_INCIDENT_COLUMNS = ("date_from", "status", "verification", "tlp", "scope", "started")


def _count_from_driver(user: User, filters: IncidentFilters) -> QuerySet[Any] | None:
    """The matches as rows of the driving part table alone, when no filter needs the
    incident's own row: the count then reads that table's index and probes the other parts'
    indexes, without a lookup into the incidents table per match (half of the count on
    SQLite, CN and a Red Notice at 100,000 incidents: 53 ms to 26 ms; bench/README.md)."""
    driver = _driver(filters)
    own_row = any(getattr(filters, name) for name in _INCIDENT_COLUMNS)
    if driver is None or own_row or _without_host(filters):
        return None
    _, value, model, column = driver
    return model._default_manager.filter(
        organisation_id=member_org_id(user),
        **{column: value},
        **_starts_by("start_date", filters),
    ).filter(*_part_conditions(user, filters, driver, outer="incident_id"))


# The five families of tactics of the domain brief (docs/vocabularies.md), in its order.
TACTIC_CATEGORIES = {
    "physical": "Direct, physical",
    "legal": "Legal and administrative",
    "proxy": "Coercion by proxy",
    "digital": "Digital",
    "cooptation": "Co-optation",
}


def tactics_in(category: str) -> list[str]:
    return sorted(t.code for t in vocabulary("tactics").terms.values() if t.category == category)


def started_span(started: str) -> tuple[date, date]:
    """The days a `started` filter covers, first included and last excluded: 2024 is
    2024-01-01 to 2025-01-01, 2024-03 is 2024-03-01 to 2024-04-01. Its shape is checked by
    the forms and the API (STARTED)."""
    year, _, month = started.partition("-")
    if not month:
        return date(int(year), 1, 1), date(int(year) + 1, 1, 1)
    first = date(int(year), int(month), 1)
    return first, date(first.year + first.month // 12, first.month % 12 + 1, 1)


STARTED = r"^(19|20)\d{2}(-(0[1-9]|1[0-2]))?$"  # years 1900-2099: a date can hold them


LIST_FIELDS = (
    "uuid",
    "target_count",
    "organisation_id",
    "title_sealed",
    "start_date",
    "start_precision",
    "host_reason",
    "status",
    "verification",
    "tlp",
    "version",
    "updated_at",
)


@dataclass(frozen=True)
class IncidentCodes:
    """What a list row shows of an incident's parts: its origin states, host countries and
    tactics."""

    origins: list[str]
    hosts: list[str]
    tactics: list[str]


def incident_list_codes(incidents: list[m.Incident]) -> dict[int, IncidentCodes]:
    """The origin states, host countries and tactics of a page of incidents, by incident
    id, sorted.

    Queries of plain values instead of prefetch_related: building some 150 child model
    objects took about 40% of an API list request (bench/README.md).
    """
    ids = [incident.pk for incident in incidents]
    found: dict[int, IncidentCodes] = {pk: IncidentCodes([], [], []) for pk in ids}
    for model, column, part in (
        (m.IncidentOrigin, "country", "origins"),
        (m.IncidentHost, "country", "hosts"),
        (m.IncidentTactic, "tactic", "tactics"),
    ):
        for pk, code in (
            model.objects.filter(incident_id__in=ids)
            .order_by(column)
            .values_list("incident_id", column)
        ):
            getattr(found[pk], part).append(code)
    return found


# The date filter keeps the incidents whose span overlaps the range: started by its end, and
# still going on at its start. A 2015-2025 campaign is in 2020-2021; an incident without an
# end date is one day long, unless it is ongoing. The start bound is on the indexed start date
# (of the child row that drives the page); the end bound reads the incident's own row.
def _starts_by(column: str, filters: IncidentFilters) -> dict[str, date]:
    return {f"{column}__lte": filters.date_to} if filters.date_to else {}


def _lasts_until(day: date) -> Q:
    return (
        Q(end_date__gte=day)
        | Q(end_date__isnull=True, ongoing=True)
        | Q(end_date__isnull=True, start_date__gte=day)
    )


def person_ids_matching(user: User, query: str) -> list[int]:
    """Persons whose names match `query` across scripts and spellings (blind index)."""
    if not user.sees_identities:
        raise PermissionDeniedError("Your role does not see names, so it cannot search by them.")
    org = member_org_id(user)
    index_key = org_keys(org).index
    alternatives = [
        [{blind(index_key, k) for k in group} for group in alt] for alt in query_alternatives(query)
    ]
    wanted = {d for alt in alternatives for group in alt for d in group}
    hits: dict[int, set[str]] = {}
    for person_id, digest in m.NameToken.objects.filter(
        organisation_id=org, digest__in=wanted
    ).values_list("person_id", "digest"):
        hits.setdefault(person_id, set()).add(digest)
    return sorted(
        pid
        for pid, found in hits.items()
        if any(all(group & found for group in alt) for alt in alternatives)
    )


def person_list_visible_to(user: User) -> QuerySet[m.Person]:
    """The organisation's persons, but those merged into another (cases/merges.py)."""
    return m.Person.objects.filter(
        organisation_id=member_org_id(user), merged_into__isnull=True
    ).prefetch_related("names")


def access_person_merge(user: User, merge_id: str | uuid.UUID) -> m.PersonMerge:
    merge = (
        m.PersonMerge.objects.select_related("survivor", "merged")
        .filter(organisation_id=member_org_id(user), uuid=parse_record_id(merge_id))
        .first()
    )
    if merge is None:
        raise NotFoundError("No such merge.")
    return merge


def person_merges(person: m.Person) -> list[m.PersonMerge]:
    """The merges into this person, newest first, for its page (and their undo)."""
    return list(
        m.PersonMerge.objects.filter(survivor=person)
        .select_related("merged", "actor", "undone_by")
        .order_by("-at")
    )


@dataclass(frozen=True)
class ListPage(Generic[Row]):
    rows: list[Row]
    has_next: bool


def list_page(qs: QuerySet[Row], page: int, page_size: int) -> ListPage[Row]:
    """One page, read with page_size + 1 rows to know if another follows: no COUNT(*)."""
    start = (page - 1) * page_size
    rows = list(qs[start : start + page_size + 1])
    return ListPage(rows=rows[:page_size], has_next=len(rows) > page_size)


def incident_page(
    user: User, filters: IncidentFilters, *, page: int, page_size: int
) -> ListPage[m.Incident]:
    """A page of the incident list, for the web page and the API alike. Titles are
    identifying, so the page is audited as a view of every incident on it."""
    found = list_page(incident_list_visible_to(user, filters), page, page_size)
    records_listed(actor=user, record_type="incident", records=found.rows)
    return found


def incident_match_count(user: User, filters: IncidentFilters, *, limit: int) -> int:
    """How many incidents match the filters, counted no further than `limit`.

    An exact COUNT reads every match: with no filter, the organisation's whole table, which
    grows with it (PostgreSQL, 84,000 incidents: 17 ms). Stopped at `limit`, in whatever order
    the database finds cheapest, it reads at most `limit` matches (the same: 1-6 ms). A rare
    combination of common codes still reads through the common code's rows, as the exact
    COUNT would (CN and a Red Notice, 920 matches: 60-190 ms on a busy machine).
    """
    matches = _count_from_driver(user, filters)
    if matches is None:
        matches = incident_list_visible_to(user, filters)
    return matches.order_by()[:limit].count()


def person_page(user: User, *, query: str, page: int, page_size: int) -> ListPage[m.Person]:
    """A page of persons, newest first, optionally those whose names match `query`; audited
    like the incident page, as names are identifying."""
    qs = person_list_visible_to(user).order_by("-id")
    if query:
        qs = qs.filter(pk__in=person_ids_matching(user, query))
    found = list_page(qs, page, page_size)
    records_listed(actor=user, record_type="person", records=found.rows)
    return found


def person_incidents(person: m.Person) -> list[m.IncidentTarget]:
    """Every incident the person appears in, whatever the role (relative included)."""
    return list(
        m.IncidentTarget.objects.filter(person=person)
        .select_related("incident")
        .prefetch_related("incident__hosts")
        .order_by(newest_first("incident__start_date"))
    )


def record_history(user: User, record_uuid: uuid.UUID) -> list[HistoryEntry]:
    """A record's versions, newest first; with the values changed for roles that may see
    them (the versions are sealed, so only those roles' pages decrypt them)."""
    org_id = member_org_id(user)
    versions = list(
        m.RecordVersion.objects.filter(organisation_id=org_id, record_uuid=record_uuid)
        .select_related("actor")
        .order_by("version")
    )
    snapshots = [json.loads(v.snapshot) if user.sees_identities else {} for v in versions]
    users = _assignees(org_id, versions, snapshots)
    entries: list[HistoryEntry] = []
    before: dict[str, Any] = {}
    for version, after in zip(versions, snapshots, strict=True):
        fields = version.changed_fields if version.version > 1 else []
        entries.append(HistoryEntry(version, changes_between(before, after, fields, users)))
        before = after
    return entries[::-1]


def _assignees(
    org_id: int, versions: list[m.RecordVersion], snapshots: list[dict[str, Any]]
) -> dict[str, str]:
    """The usernames of the assignees an edit changed, by UUID, in one query."""
    changed = any("assignee" in v.changed_fields for v in versions if v.version > 1)
    ids = {s["assignee"] for s in snapshots if s.get("assignee")} if changed else set()
    if not ids:
        return {}
    found = User.objects.filter(organisation_id=org_id, uuid__in=ids)
    return {str(u.uuid): u.username for u in found}
