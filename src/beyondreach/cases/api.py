"""JSON API on incidents and persons (mounted by beyondreach/api.py under /api/v1/).

Handlers only parse, call one selector or service, and render: every record named in a URL
comes through `access_incident` / `access_person` (404 outside the caller's organisation),
every write through cases.services (403 for read-only roles), and every record goes out
through cases.export's views, then through an explicit output schema, so a field the
export adds later is not published until it is listed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints, create_model
from pydantic_core import PydanticCustomError

from beyondreach.cases import models as m
from beyondreach.cases.duplicates import check_likely_duplicates
from beyondreach.cases.export import WITHHELD, Projection, incident_view, person_view
from beyondreach.cases.inputs import (
    ActorData,
    GroupData,
    IncidentData,
    MechanismData,
    NameData,
    OrganisationData,
    PersonData,
    ResponseData,
    SourceData,
    TargetData,
)
from beyondreach.cases.selectors import (
    STARTED,
    TACTIC_CATEGORIES,
    IncidentCodes,
    IncidentFilters,
    ListPage,
    access_incident,
    access_person,
    incident_list_codes,
    incident_page,
    list_page,
    person_incidents,
    person_page,
    record_history,
)
from beyondreach.cases.services import (
    incident_create,
    incident_update,
    person_create,
    record_viewed,
)
from beyondreach.core.decorators import api_user
from beyondreach.core.errors import InvalidInputError
from beyondreach.core.models import User
from beyondreach.vocab.loader import vocabulary

# 1.1: states minItems, minLength and YYYY-MM-DD dates. 1.2: host_countries (several, or
# none with host_reason) replace host_country. 1.3: groups and organisations as targets.
# 2.0: a target's relation is a code. 2.1: the precision "unknown", with a null start_date.
INCIDENT_SCHEMA_VERSION = "2.1"
router = Router()


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text columns (a 500 if it got there); refused in every string,
    # sealed or not, so that the rule is one and the answer a 422 naming the field.
    if "\x00" in value:
        raise PydanticCustomError("nul", "NUL characters are not allowed.")
    return value


NoNul = AfterValidator(_no_nul)


def _iso_date_only(value: object) -> object:
    # Pydantic's lax mode takes 0 as 1970-01-01 and "2024-05-01T00:00:00" as a date; the API
    # documents YYYY-MM-DD, so anything else is a 422 naming the field, not a guess.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("iso_date", "Give a date as YYYY-MM-DD.")


# Rules cases.inputs enforces, stated in the schema so clients know them before an error.
# Enforced there, not by the schema, so that one answer names every bad field at once.
AT_LEAST_ONE: dict[str, Any] = {"minItems": 1}
NOT_BLANK: dict[str, Any] = {"minLength": 1, "pattern": r"\S"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
# Lengths: a plain column's width (codes), else a generous bound on a sealed value.
Code = Annotated[str, StringConstraints(max_length=40), NoNul]
Line = Annotated[str, StringConstraints(max_length=300), NoNul]
Text = Annotated[str, StringConstraints(max_length=2000), NoNul]
Long = Annotated[str, StringConstraints(max_length=20_000), NoNul]
# Checked against ISO 3166 by cases.inputs; the pattern keeps odd Unicode from changing length
# when upper-cased (a column of two characters).
Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)]
OptionalCountry = Annotated[
    str, StringConstraints(pattern=r"^([A-Za-z]{2})?$"), AfterValidator(str.upper)
]


HOST_FILTER = "^([A-Za-z]{2}|none|" + "|".join(m.HostReason.values) + ")?$"


def _host_filter_code(value: str) -> str:
    return value.upper() if len(value) == 2 else value


class In(Schema):
    model_config = ConfigDict(extra="forbid")


class NameIn(In):
    value: Line
    script: Annotated[str, StringConstraints(max_length=4), NoNul] = Field(
        "", description="ISO 15924: Latn, Cyrl, Arab, Hans..."
    )
    language: Annotated[str, StringConstraints(max_length=8), NoNul] = Field(
        "", description="BCP 47: ug, ru, zh..."
    )


class PersonIn(In):
    names: list[NameIn] = Field(
        default_factory=list,
        max_length=20,
        description="At least one name or alias with text.",
        json_schema_extra=AT_LEAST_ONE,
    )
    birth_date: Annotated[str, StringConstraints(max_length=20), NoNul] = Field(
        "", description='"1984-03-02" or "1984".'
    )
    sex: m.Sex = m.Sex.UNKNOWN
    nationalities: list[Country] = Field(default_factory=list, max_length=10)
    residence_country: OptionalCountry = ""
    residence_status: m.ResidenceStatus = m.ResidenceStatus.UNKNOWN
    statuses: list[Code] = Field(
        default_factory=list, max_length=20, description="Codes of vocabulary person_statuses."
    )
    contact: Text = ""
    risk_notes: Long = ""
    consent_share_partners: bool = False
    consent_share_authorities: bool = False
    consent_public_statistics: bool = False
    not_a_duplicate: bool = Field(
        False,
        description="Create this person although recorded persons look like them (a 409 "
        "answer lists those, with why); when it is one of them, name it by `person_uuid`.",
    )


class TargetIn(In):
    role: m.TargetRole
    person_uuid: UUID | None = Field(None, description="An existing person; or give `person`.")
    person: PersonIn | None = None
    target_group: Code = Field("", description="A code of vocabulary target_groups.")
    relation: m.TargetRelation | None = Field(
        None, description="How they relate to the primary target (a relative: parent...)."
    )
    member_of: int | None = Field(
        None, ge=0, description="A known member of a group: the group's index in `groups`."
    )


class GroupIn(In):
    size: int = Field(ge=1, description="How many people: 317 stripped of nationality.")
    target_group: Code = Field("", description="A code of vocabulary target_groups.")
    country: OptionalCountry = Field("", description="Where they live, if in one country.")
    description: Text = ""


class OrganisationIn(In):
    organisation_uuid: UUID | None = Field(
        None, description="An organisation already recorded; or give name, kind and country."
    )
    name: Line = ""
    kind: m.OrganisationKind = m.OrganisationKind.OTHER
    country: OptionalCountry = ""


class ActorIn(In):
    role: m.ActorRole
    actor_type: Code = Field(description="A code of vocabulary actor_types.")
    country: OptionalCountry = ""
    name: Line = ""


class MechanismIn(In):
    kind: m.MechanismKind
    reference: Line = Field("", description="E.g. the INTERPOL notice number.")
    issued_by: Code = Field("", description="A country code or a body (UN, EU...).")
    issued_on: IsoDate | None = None
    issued_precision: m.DatePrecision = m.DatePrecision.DAY
    status: m.MechanismStatus = m.MechanismStatus.UNKNOWN
    status_on: IsoDate | None = None


class SourceIn(In):
    reference: Text = Field(description="URL or document title.")
    kind: m.SourceKind = m.SourceKind.URL
    publisher: Line = ""
    published_on: IsoDate | None = None
    reliability: m.Reliability = m.Reliability.UNKNOWN
    independent: bool = False


class ResponseIn(In):
    kind: m.ResponseKind
    description: Long = ""
    started_on: IsoDate | None = None
    started_precision: m.DatePrecision = m.DatePrecision.DAY
    outcome: m.Outcome = m.Outcome.PENDING
    outcome_on: IsoDate | None = None


class IncidentIn(In):
    """An incident of transnational repression, as recorded by Beyond Reach."""

    title: Line = Field(json_schema_extra=NOT_BLANK)
    start_date: IsoDate | None = Field(
        description='null only with start_precision "unknown": a date not known.'
    )
    origin_states: list[Country] = Field(max_length=10, json_schema_extra=AT_LEAST_ONE)
    host_countries: list[Country] = Field(
        default_factory=list,
        max_length=50,
        description="Where the targets live or the act took effect; none with a host_reason.",
    )
    host_reason: m.HostReason | None = Field(
        None, description="Why there is no host country; only with no host_countries."
    )
    host_origin_confirmed: bool = Field(
        False,
        description="Required true when a host country is also an origin state: such an "
        "incident otherwise reads as domestic repression.",
    )
    tactics: list[Code] = Field(
        max_length=40, description="Codes of vocabulary tactics.", json_schema_extra=AT_LEAST_ONE
    )
    narrative: Long = ""
    start_precision: m.DatePrecision = m.DatePrecision.DAY
    end_date: IsoDate | None = None
    end_precision: m.DatePrecision | None = None
    ongoing: bool = Field(False, description="Still going on: no end date yet.")
    place: Line = ""
    coordinates: Annotated[str, StringConstraints(max_length=100), NoNul] = Field(
        "", description='"lat,lon".'
    )
    targets: list[TargetIn] = Field(default_factory=list, max_length=50)
    groups: list[GroupIn] = Field(
        default_factory=list, max_length=20, description="Groups targeted as one, by size."
    )
    organisations: list[OrganisationIn] = Field(
        default_factory=list, max_length=50, description="Organisations targeted."
    )
    actors: list[ActorIn] = Field(default_factory=list, max_length=50)
    mechanisms: list[MechanismIn] = Field(default_factory=list, max_length=50)
    sources: list[SourceIn] = Field(default_factory=list, max_length=100)
    responses: list[ResponseIn] = Field(default_factory=list, max_length=50)
    tlp: m.Tlp = m.Tlp.AMBER
    status: m.CaseStatus = m.CaseStatus.NEW
    assignee_uuid: UUID | None = None
    due_date: IsoDate | None = None
    verification_override: m.Verification | None = Field(
        None,
        description="Empty: derived from the sources (two independent, reliable ones corroborate).",
    )
    verification_reason: Text = ""
    scope: m.Scope = Field(
        m.Scope.IN_SCOPE,
        description="Whether it is transnational repression; out of scope is kept, not counted.",
    )
    scope_criteria: list[m.ScopeCriterion] = Field(default_factory=list, max_length=3)
    scope_reason: Text = Field("", description="Required when borderline or out of scope.")


def _person_data(p: PersonIn) -> PersonData:
    fields = p.model_dump(exclude={"names", "not_a_duplicate"})
    return PersonData(names=[NameData(**n.model_dump()) for n in p.names], **fields)


def _incident_data(p: IncidentIn) -> IncidentData:
    parts = {"targets", "groups", "organisations", "actors", "mechanisms", "sources", "responses"}
    plain = p.model_dump(exclude=parts)
    plain["end_precision"] = p.end_precision or ""
    plain["verification_override"] = p.verification_override or ""
    plain["host_reason"] = p.host_reason or ""
    targets = [
        TargetData(
            **t.model_dump(exclude={"person", "relation"}),
            relation=t.relation or "",
            person=_person_data(t.person) if t.person else None,
        )
        for t in p.targets
    ]
    return IncidentData(
        **plain,
        targets=targets,
        groups=[GroupData(**g.model_dump()) for g in p.groups],
        organisations=[OrganisationData(**o.model_dump()) for o in p.organisations],
        actors=[ActorData(**a.model_dump()) for a in p.actors],
        mechanisms=[MechanismData(**x.model_dump()) for x in p.mechanisms],
        sources=[SourceData(**s.model_dump()) for s in p.sources],
        responses=[ResponseData(**r.model_dump()) for r in p.responses],
    )


def _new_persons_checked(user: User, payload: IncidentIn) -> None:
    """Refuse (409) to create a person who may be recorded already, unless told it is not."""
    check_likely_duplicates(
        user,
        [
            (f"targets.{i}.person", _person_data(t.person), t.person.not_a_duplicate)
            for i, t in enumerate(payload.targets)
            if t.person is not None and t.person_uuid is None
        ],
    )


def incident_json_schema() -> dict[str, Any]:
    """The versioned JSON Schema of the incident input (docs/schema/incident-2.1.schema.json)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:beyondreach:schema:incident:{INCIDENT_SCHEMA_VERSION}",
        "version": INCIDENT_SCHEMA_VERSION,
        **IncidentIn.model_json_schema(),
    }


def _in_vocabulary(name: str) -> AfterValidator:
    def check(code: str) -> str:
        if code and code not in vocabulary(name):
            raise PydanticCustomError("vocabulary", f"Not a code of vocabulary {name}.")
        return code

    return AfterValidator(check)


class IncidentFiltersIn(Schema):
    origin: OptionalCountry = ""
    host: Annotated[
        str, StringConstraints(pattern=HOST_FILTER), AfterValidator(_host_filter_code)
    ] = Field(
        "",
        description='A host country; "none": no host country, whatever the reason; or one '
        "of the reasons (unknown, in_transit, online_only, origin_only).",
    )
    tactic: Annotated[Code, _in_vocabulary("tactics")] = ""
    target_group: Annotated[Code, _in_vocabulary("target_groups")] = ""
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    status: m.CaseStatus | None = None
    verification: m.Verification | None = None
    tlp: m.Tlp | None = None
    scope: m.Scope | Literal["counted"] | None = Field(
        None, description="counted: in scope or borderline (what statistics count by default)."
    )
    definition: Literal["freedom_house", "other"] | None = Field(
        None,
        description="freedom_house: only incidents with a direct, physical tactic; "
        "other: only those without one.",
    )
    q: Annotated[str, StringConstraints(max_length=200), NoNul] = Field(
        "", description="A target's name, in any script (case workers only)."
    )
    tactic_category: Literal[tuple(TACTIC_CATEGORIES)] | None = Field(  # type: ignore[valid-type]
        None, description="A category of vocabulary tactics."
    )
    actor_type: Annotated[Code, _in_vocabulary("actor_types")] = ""
    mechanism_kind: m.MechanismKind | None = None
    started: Annotated[str, StringConstraints(pattern=STARTED)] = Field(
        "", description="Started in a year (2024) or a month (2024-03)."
    )


class PageIn(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.API_PAGE_MAX)


class PersonFiltersIn(Schema):
    q: Annotated[str, StringConstraints(max_length=200), NoNul] = Field(
        "", description="A name, in any script (case workers only)."
    )


# Output. Enumerated values go out as plain strings: old records keep retired codes.
class TargetOut(Schema):
    person: UUID
    pseudonym: str
    name: str
    role: str
    target_group: str
    relation: str
    member_of: int | None


class GroupOut(Schema):
    target_group: str
    size: int
    country: str
    description: str


class OrganisationTargetOut(Schema):
    organisation: UUID
    name: str
    kind: str
    country: str


class ActorOut(Schema):
    role: str
    actor_type: str
    country: str
    name: str


class MechanismOut(Schema):
    kind: str
    reference: str
    issued_by: str
    issued_on: date | None
    issued_precision: str
    status: str
    status_on: date | None


class SourceOut(Schema):
    id: UUID
    kind: str
    reference: str
    publisher: str
    published_on: date | None
    reliability: str
    independent: bool


class ResponseOut(Schema):
    kind: str
    description: str
    started_on: date | None
    started_precision: str
    outcome: str
    outcome_on: date | None


class IncidentOut(Schema):
    id: UUID
    title: str
    narrative: str
    start_date: date | None
    start_precision: str
    end_date: date | None
    end_precision: str
    ongoing: bool
    origin_states: list[str]
    host_countries: list[str]
    host_reason: str
    host_origin_confirmed: bool
    place: str
    coordinates: str
    tactics: list[str]
    targets: list[TargetOut]
    groups: list[GroupOut]
    organisations: list[OrganisationTargetOut]
    target_count: int = Field(
        description="People and organisations targeted: a group counts by its size."
    )
    actors: list[ActorOut]
    legal_mechanisms: list[MechanismOut]
    sources: list[SourceOut]
    verification: str
    verification_overridden: bool
    verification_reason: str
    scope: str
    scope_criteria: list[str]
    scope_reason: str
    freedom_house_physical: bool = Field(
        description="At least one direct, physical tactic: counted by Freedom House's definition."
    )
    tlp: str
    status: str
    assignee: UUID | None
    due_date: date | None
    responses: list[ResponseOut]
    version: int


def projected_schema(
    name: str, projection: Projection, parts: Mapping[str, str], **extra: Any
) -> type[Schema]:
    """An audience's output schema, cut from IncidentOut by the audience's allow-list (a
    `cases.export` Projection), so that what the audience is sent and what its schema says
    are the one list (issue 9, item 7). A part whose items are cut is a schema of its own,
    named in `parts` ("targets": "SharedTargetOut"); `extra` adds fields of the audience."""
    fields: dict[str, Any] = {}
    for key, info in IncidentOut.model_fields.items():
        if key not in projection:
            continue
        keep = projection[key]
        item: type[Schema] | None = get_args(info.annotation)[0] if keep is not None else None
        if item is not None and keep is not None and set(item.model_fields) != keep:
            cut: dict[str, Any] = {
                k: (f.annotation, f) for k, f in item.model_fields.items() if k in keep
            }
            part = create_model(parts[key], __base__=Schema, **cut)
            fields[key] = (list[part], info)  # type: ignore[valid-type]
        else:
            fields[key] = (info.annotation, info)
    missing = set(projection) - set(fields)
    if missing:  # an allowed key IncidentOut does not have: a mistake, found at import
        raise TypeError(f"{name}: not in IncidentOut: {sorted(missing)}")
    return create_model(name, __base__=Schema, **fields, **extra)


class IncidentSummaryOut(Schema):
    id: UUID
    title: str
    start_date: date | None
    start_precision: str
    host_countries: list[str]
    host_reason: str
    origin_states: list[str]
    tactics: list[str]
    target_count: int
    status: str
    verification: str
    tlp: str
    version: int
    updated_at: datetime


class IncidentPageOut(Schema):
    items: list[IncidentSummaryOut]
    page: int
    page_size: int
    has_next: bool


class VersionOut(Schema):
    version: int
    at: datetime
    actor: UUID | None
    action: str
    changed_fields: list[str]


class NameOut(Schema):
    value: str
    script: str
    language: str


class ConsentOut(Schema):
    share_partners: bool
    share_authorities: bool
    public_statistics: bool


class PersonOut(Schema):
    id: UUID
    pseudonym: str
    names: list[NameOut]
    birth_date: str
    sex: str
    nationalities: list[str]
    residence_country: str
    residence_status: str
    statuses: list[str]
    contact: str
    risk_notes: str
    consent: ConsentOut
    version: int


class PersonIncidentOut(Schema):
    id: UUID
    title: str
    start_date: date | None
    host_countries: list[str]
    host_reason: str
    role: str
    relation: str
    target_group: str


class PersonDetailOut(PersonOut):
    incidents: list[PersonIncidentOut]


class PersonPageOut(Schema):
    items: list[PersonOut]
    page: int
    page_size: int
    has_next: bool


def _title(incident: m.Incident, viewer: User) -> str:
    # The rule of cases.export.incident_view, for list rows that do not load every part; a
    # withheld title is not even decrypted.
    return incident.title if viewer.sees_identities else WITHHELD


def page_of(
    qs: QuerySet[Any], paging: PageIn, render: Callable[[list[Any]], list[dict[str, Any]]]
) -> dict[str, Any]:
    """One page of `qs` as the API answers it (cases.selectors.list_page: no COUNT(*)).

    `render` gets the page's rows together, so that it can load what they share at once.
    """
    found = list_page(qs, paging.page, paging.page_size)
    return _page_out(found, paging, render(found.rows))


def _page_out(found: ListPage[Any], paging: PageIn, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": items,
        "page": paging.page,
        "page_size": paging.page_size,
        "has_next": found.has_next,
    }


@router.get("/incidents", response=IncidentPageOut, tags=["incidents"])
def incident_list(
    request: HttpRequest, filters: Query[IncidentFiltersIn], paging: Query[PageIn]
) -> dict[str, Any]:
    """Incidents of your organisation, newest first, filtered like the web list."""
    user = api_user(request)
    chosen = {k: v for k, v in filters.model_dump().items() if v is not None}
    found = incident_page(
        user, IncidentFilters(**chosen), page=paging.page, page_size=paging.page_size
    )
    return _page_out(found, paging, _incident_rows(found.rows, user))


def _incident_rows(rows: list[m.Incident], viewer: User) -> list[dict[str, Any]]:
    codes = incident_list_codes(rows)
    return [_incident_row(i, viewer, codes[i.pk]) for i in rows]


def _incident_row(i: m.Incident, viewer: User, codes: IncidentCodes) -> dict[str, Any]:
    return {
        "id": i.uuid,
        "title": _title(i, viewer),
        "start_date": i.start_date,
        "start_precision": i.start_precision,
        "host_countries": codes.hosts,
        "host_reason": i.host_reason,
        "origin_states": codes.origins,
        "tactics": codes.tactics,
        "target_count": i.target_count,
        "status": i.status,
        "verification": i.verification,
        "tlp": i.tlp,
        "version": i.version,
        "updated_at": i.updated_at,
    }


@router.post("/incidents", response={201: IncidentOut}, tags=["incidents"])
def incident_post(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    """Record a new incident (case workers and admins)."""
    user = api_user(request)
    _new_persons_checked(user, payload)
    incident = incident_create(actor=user, data=_incident_data(payload))
    return Status(201, incident_view(access_incident(user, incident.uuid), user))


@router.get("/incidents/{incident_id}", response=IncidentOut, tags=["incidents"])
def incident_detail(request: HttpRequest, incident_id: UUID) -> dict[str, Any]:
    user = api_user(request)
    incident = access_incident(user, incident_id)
    record_viewed(actor=user, record_type="incident", record=incident)
    return incident_view(incident, user)


@router.put("/incidents/{incident_id}", response=IncidentOut, tags=["incidents"])
def incident_put(request: HttpRequest, incident_id: UUID, payload: IncidentIn) -> dict[str, Any]:
    """Replace the incident with the body; the former state stays in its history."""
    user = api_user(request)
    incident = access_incident(user, incident_id)
    _new_persons_checked(user, payload)
    incident_update(actor=user, incident=incident, data=_incident_data(payload))
    return incident_view(access_incident(user, incident_id), user)


@router.get("/incidents/{incident_id}/history", response=list[VersionOut], tags=["incidents"])
def incident_history(request: HttpRequest, incident_id: UUID) -> list[dict[str, Any]]:
    """Every saved version: who, when, which fields changed (names, never values)."""
    user = api_user(request)
    incident = access_incident(user, incident_id)
    return [
        {
            "version": v.version,
            "at": v.at,
            "actor": v.actor.uuid if v.actor else None,
            "action": v.action,
            "changed_fields": v.changed_fields,
        }
        for v in (entry.version for entry in record_history(user, incident.uuid))
    ]


@router.get("/incidents/{incident_id}/sources", response=list[SourceOut], tags=["incidents"])
def incident_sources(request: HttpRequest, incident_id: UUID) -> list[dict[str, Any]]:
    user = api_user(request)
    incident = access_incident(user, incident_id)
    record_viewed(actor=user, record_type="incident", record=incident)
    sources: list[dict[str, Any]] = incident_view(incident, user)["sources"]
    return sources


@router.get("/persons", response=PersonPageOut, tags=["persons"])
def person_list(
    request: HttpRequest, filters: Query[PersonFiltersIn], paging: Query[PageIn]
) -> dict[str, Any]:
    user = api_user(request)
    found = person_page(user, query=filters.q.strip(), page=paging.page, page_size=paging.page_size)
    return _page_out(found, paging, [person_view(p, user) for p in found.rows])


@router.post("/persons", response={201: PersonOut}, tags=["persons"])
def person_post(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    check_likely_duplicates(user, [("body", _person_data(payload), payload.not_a_duplicate)])
    try:
        person = person_create(actor=user, data=_person_data(payload))
    except InvalidInputError as exc:
        # cases.inputs roots a lone person's fields at "person."; here the body is the person.
        raise InvalidInputError(
            {k.removeprefix("person."): v for k, v in exc.errors.items()}
        ) from exc
    return Status(201, person_view(access_person(user, person.uuid), user))


@router.get("/persons/{person_id}", response=PersonDetailOut, tags=["persons"])
def person_detail(request: HttpRequest, person_id: UUID) -> dict[str, Any]:
    """A person, with every incident they appear in, whatever their role (relatives too)."""
    user = api_user(request)
    person = access_person(user, person_id)
    record_viewed(actor=user, record_type="person", record=person)
    incidents = [
        {
            "id": t.incident.uuid,
            "title": _title(t.incident, user),
            "start_date": t.incident.start_date,
            "host_countries": sorted(h.country for h in t.incident.hosts.all()),
            "host_reason": t.incident.host_reason,
            "role": t.role,
            "relation": t.relation,
            "target_group": t.target_group,
        }
        for t in person_incidents(person)
    ]
    return {**person_view(person, user), "incidents": incidents}


@router.get("/schema/incident.json", response=dict[str, Any], auth=None, tags=["schema"])
def incident_schema(request: HttpRequest) -> dict[str, Any]:
    """The JSON Schema of the incident input (POST and PUT /incidents), versioned."""
    return incident_json_schema()
