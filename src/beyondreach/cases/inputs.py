"""The typed input of an incident, shared by the web form, the API and the demo generator,
and its validation: every value cleaned by its type before it is stored."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import pycountry
from django.db.models import TextChoices

from beyondreach.cases import models as m
from beyondreach.core.errors import InvalidInputError
from beyondreach.vocab.loader import vocabulary

SCRIPTS = ("Latn", "Cyrl", "Arab", "Hans", "Hant", "Uigh", "Grek", "Hebr", "Geor", "Armn")


@dataclass
class NameData:
    value: str
    script: str = ""
    language: str = ""


@dataclass
class PersonData:
    names: list[NameData] = field(default_factory=list)
    birth_date: str = ""
    sex: str = m.Sex.UNKNOWN
    nationalities: list[str] = field(default_factory=list)
    residence_country: str = ""
    residence_status: str = m.ResidenceStatus.UNKNOWN
    statuses: list[str] = field(default_factory=list)
    contact: str = ""
    risk_notes: str = ""
    consent_share_partners: bool = False
    consent_share_authorities: bool = False
    consent_public_statistics: bool = False


@dataclass
class TargetData:
    role: str
    person_uuid: uuid.UUID | None = None
    person: PersonData | None = None  # a new person, when person_uuid is None
    target_group: str = ""
    relation: str = ""
    member_of: int | None = None  # the index of the group (IncidentData.groups) they belong to


@dataclass
class GroupData:
    """A group targeted as one, counted by its size."""

    size: int
    target_group: str = ""
    country: str = ""
    description: str = ""


@dataclass
class OrganisationData:
    """An organisation as a target: one already recorded, or a new one."""

    organisation_uuid: uuid.UUID | None = None
    name: str = ""
    kind: str = m.OrganisationKind.OTHER
    country: str = ""


@dataclass
class ActorData:
    role: str
    actor_type: str
    country: str = ""
    name: str = ""


@dataclass
class MechanismData:
    kind: str
    reference: str = ""
    issued_by: str = ""
    issued_on: date | None = None
    issued_precision: str = m.DatePrecision.DAY
    status: str = m.MechanismStatus.UNKNOWN
    status_on: date | None = None


@dataclass
class SourceData:
    reference: str
    kind: str = m.SourceKind.URL
    publisher: str = ""
    published_on: date | None = None
    reliability: str = m.Reliability.UNKNOWN
    independent: bool = False


@dataclass
class ResponseData:
    kind: str
    description: str = ""
    started_on: date | None = None
    started_precision: str = m.DatePrecision.DAY
    outcome: str = m.Outcome.PENDING
    outcome_on: date | None = None


@dataclass
class IncidentData:
    title: str
    start_date: date | None  # None: not known, with start_precision "unknown"
    origin_states: list[str]
    tactics: list[str]
    host_countries: list[str] = field(default_factory=list)
    host_reason: str = ""  # why there is no host country: m.HostReason
    host_origin_confirmed: bool = False
    narrative: str = ""
    start_precision: str = m.DatePrecision.DAY
    end_date: date | None = None
    end_precision: str = ""
    ongoing: bool = False
    place: str = ""
    coordinates: str = ""
    targets: list[TargetData] = field(default_factory=list)
    groups: list[GroupData] = field(default_factory=list)
    organisations: list[OrganisationData] = field(default_factory=list)
    actors: list[ActorData] = field(default_factory=list)
    mechanisms: list[MechanismData] = field(default_factory=list)
    sources: list[SourceData] = field(default_factory=list)
    responses: list[ResponseData] = field(default_factory=list)
    tlp: str = m.Tlp.AMBER
    status: str = m.CaseStatus.NEW
    assignee_uuid: uuid.UUID | None = None
    due_date: date | None = None
    verification_override: str = ""  # empty: derived from the sources
    verification_reason: str = ""
    scope: str = m.Scope.IN_SCOPE
    scope_criteria: list[str] = field(default_factory=list)
    scope_reason: str = ""


class FieldErrors:
    """Field errors collected by dotted path, so that a bad input names every bad field at
    once; the incident's checks here, and other apps' (accountability) with the same words."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.found.setdefault(path, []).append(message)

    def check(self, ok: bool, path: str, message: str) -> None:
        if not ok:
            self.add(path, message)

    def choice(
        self,
        value: str,
        choices: type[TextChoices] | list[str],
        path: str,
        *,
        blank: bool = False,
    ) -> None:
        allowed = choices if isinstance(choices, list) else list(choices.values)
        if (value or not blank) and value not in allowed:
            self.add(path, f"Must be one of: {', '.join(allowed)}.")

    def raise_found(self) -> None:
        if self.found:
            raise InvalidInputError(self.found)

    def country(self, code: str, path: str, *, blank: bool = False) -> None:
        if blank and not code:
            return
        if len(code) != 2 or pycountry.countries.get(alpha_2=code.upper()) is None:
            self.add(path, f"{code!r} is not an ISO 3166-1 alpha-2 country code.")


def _check_text(obj: object, path: str, errors: FieldErrors, limits: dict[str, int]) -> None:
    """Every str attribute: no NUL character (PostgreSQL refuses it) and, for plain
    columns, no more than the column holds."""
    for name, value in vars(obj).items():
        if isinstance(value, str):
            errors.check("\x00" not in value, f"{path}{name}", "Contains a NUL character.")
            limit = limits.get(name)
            if limit is not None:
                errors.check(len(value) <= limit, f"{path}{name}", f"At most {limit} characters.")


PLAIN_LIMITS = {
    "issued_by": 40,
    "language": 8,
    "script": 4,
    "residence_country": 2,
    "country": 2,
    "title": 300,
}


def _check_person(person: PersonData, path: str, errors: FieldErrors) -> None:
    _check_text(person, f"{path}.", errors, PLAIN_LIMITS)
    errors.check(
        any(n.value.strip() for n in person.names),
        f"{path}.names",
        "A person needs at least one name or alias.",
    )
    for i, name in enumerate(person.names):
        _check_text(name, f"{path}.names.{i}.", errors, PLAIN_LIMITS)
        errors.check(len(name.value) <= 300, f"{path}.names.{i}.value", "At most 300 characters.")
        errors.choice(name.script, list(SCRIPTS), f"{path}.names.{i}.script", blank=True)
    errors.choice(person.sex, m.Sex, f"{path}.sex")
    errors.choice(person.residence_status, m.ResidenceStatus, f"{path}.residence_status")
    for i, code in enumerate(person.nationalities):
        errors.country(code, f"{path}.nationalities.{i}")
    errors.country(person.residence_country, f"{path}.residence_country", blank=True)
    statuses = vocabulary("person_statuses")
    for i, status in enumerate(person.statuses):
        errors.check(status in statuses, f"{path}.statuses.{i}", f"Unknown status {status!r}.")


def person_validate(person: PersonData) -> None:
    errors = FieldErrors()
    _check_person(person, "person", errors)
    errors.raise_found()


def incident_validate(data: IncidentData) -> None:
    """Raise InvalidInputError naming every bad field at once."""
    errors = FieldErrors()
    errors.check(bool(data.title.strip()), "title", "A title is required.")
    _check_text(data, "", errors, PLAIN_LIMITS)
    _check_dated(data.start_date, data.start_precision, "start", errors, required=True)
    errors.choice(data.end_precision, m.DatePrecision, "end_precision", blank=True)
    if data.end_date and data.start_date and data.end_date < data.start_date:
        errors.add("end_date", "The end date is before the start date.")
    if data.ongoing and data.end_date:
        errors.add("end_date", "An ongoing incident has no end date yet: clear one or the other.")
    errors.check(bool(data.origin_states), "origin_states", "At least one origin state.")
    for i, code in enumerate(data.origin_states):
        errors.country(code, f"origin_states.{i}")
    _check_hosts(data, errors)
    tactics = vocabulary("tactics")
    errors.check(bool(data.tactics), "tactics", "At least one tactic.")
    for i, code in enumerate(data.tactics):
        errors.check(code in tactics, f"tactics.{i}", f"Unknown tactic {code!r}.")
    errors.choice(data.tlp, m.Tlp, "tlp")
    errors.choice(data.status, m.CaseStatus, "status")
    errors.choice(data.verification_override, m.Verification, "verification_override", blank=True)
    if data.verification_override and not data.verification_reason.strip():
        errors.add("verification_reason", "Say why the derived status is overridden.")
    _check_scope(data, errors)
    _check_children(data, errors)
    errors.raise_found()


def _check_dated(
    day: date | None, precision: str, prefix: str, errors: FieldErrors, *, required: bool = False
) -> None:
    """A date and its precision: "unknown" is said with no date, and a date that is
    required is given or said to be unknown. The fields are `<prefix>_date` (or `_on`) and
    `<prefix>_precision`; the message goes on the date, where the form shows it."""
    date_field = f"{prefix}_date" if prefix == "start" else f"{prefix}_on"
    errors.choice(precision, m.DatePrecision, f"{prefix}_precision")
    if precision == m.DatePrecision.UNKNOWN and day is not None:
        errors.add(date_field, "A date marked as not known has no date: clear one or the other.")
    elif required and day is None and precision != m.DatePrecision.UNKNOWN:
        errors.add(date_field, "Give the date, or choose the precision “Unknown”.")


HOST_OR_REASON = "Give at least one host country, or say why there is none."
HOST_AND_REASON = "A reason for no host country goes with no host country: clear one or the other."
HOST_IS_ORIGIN = (
    "{countries} is also an origin state, which makes the incident look like domestic "
    "repression. If the pressure fell on relatives at home, choose no host country with the "
    "reason 'Origin state only'; if the target lives there too, confirm it."
)


def host_origin_overlap(hosts: list[str], origins: list[str]) -> list[str]:
    """Host countries that are also origin states, which a case worker must confirm."""
    return sorted({c.upper() for c in hosts} & {c.upper() for c in origins})


def _country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return f"{found.name} ({code})" if found else code


def host_problems(
    hosts: list[str], reason: str, origins: list[str], confirmed: bool
) -> dict[str, str]:
    """The rules of where an incident took effect, by field; the form says them too, next
    to the fields, at the same time as its other errors."""
    found = {}
    if not hosts and not reason:
        found["host_countries"] = HOST_OR_REASON
    elif hosts and reason:
        found["host_reason"] = HOST_AND_REASON
    overlap = host_origin_overlap(hosts, origins)
    if overlap and not confirmed:
        names = ", ".join(_country_name(code) for code in overlap)
        found["host_origin_confirmed"] = HOST_IS_ORIGIN.format(countries=names)
    return found


def _check_hosts(data: IncidentData, errors: FieldErrors) -> None:
    for i, code in enumerate(data.host_countries):
        errors.country(code, f"host_countries.{i}")
    errors.check(
        len({c.upper() for c in data.host_countries}) == len(data.host_countries),
        "host_countries",
        "Each host country at most once.",
    )
    errors.choice(data.host_reason, m.HostReason, "host_reason", blank=True)
    problems = host_problems(
        data.host_countries, data.host_reason, data.origin_states, data.host_origin_confirmed
    )
    for path, message in problems.items():
        errors.add(path, message)


def _check_scope(data: IncidentData, errors: FieldErrors) -> None:
    errors.choice(data.scope, m.Scope, "scope")
    for i, code in enumerate(data.scope_criteria):
        errors.choice(code, m.ScopeCriterion, f"scope_criteria.{i}")
    errors.check(
        len(set(data.scope_criteria)) == len(data.scope_criteria),
        "scope_criteria",
        "Each criterion at most once.",
    )
    if scope_reason_missing(data.scope, data.scope_reason):
        errors.add("scope_reason", SCOPE_REASON_REQUIRED)


SCOPE_REASON_REQUIRED = "Say why the incident is borderline or out of scope."


def scope_reason_missing(scope: str, reason: str) -> bool:
    return scope != m.Scope.IN_SCOPE and not reason.strip()


MAX_GROUP_SIZE = 10_000_000  # more than any recorded mass denationalisation


def _check_groups(data: IncidentData, errors: FieldErrors) -> None:
    groups = vocabulary("target_groups")
    members = [0] * len(data.groups)
    for i, t in enumerate(data.targets):
        if t.member_of is None:
            continue
        if 0 <= t.member_of < len(data.groups):
            members[t.member_of] += 1
        else:
            errors.add(f"targets.{i}.member_of", "No such group in this incident.")
    for i, g in enumerate(data.groups):
        errors.check(
            1 <= g.size <= MAX_GROUP_SIZE,
            f"groups.{i}.size",
            f"A group has 1 to {MAX_GROUP_SIZE:,} people.",
        )
        errors.check(
            g.size >= members[i],
            f"groups.{i}.size",
            f"Smaller than its {members[i]} members named as targets.",
        )
        errors.check(
            not g.target_group or g.target_group in groups,
            f"groups.{i}.target_group",
            f"Unknown target group {g.target_group!r}.",
        )
        errors.country(g.country, f"groups.{i}.country", blank=True)


def _check_children(data: IncidentData, errors: FieldErrors) -> None:
    groups, actor_types = vocabulary("target_groups"), vocabulary("actor_types")
    parts = ("targets", "groups", "organisations", "actors", "mechanisms", "sources", "responses")
    for part in parts:
        for i, row in enumerate(getattr(data, part)):
            _check_text(row, f"{part}.{i}.", errors, PLAIN_LIMITS)
    for i, t in enumerate(data.targets):
        errors.choice(t.role, m.TargetRole, f"targets.{i}.role")
        errors.choice(t.relation, m.TargetRelation, f"targets.{i}.relation", blank=True)
        errors.check(
            not t.target_group or t.target_group in groups,
            f"targets.{i}.target_group",
            f"Unknown target group {t.target_group!r}.",
        )
        if t.person_uuid is None:
            if t.person is None:
                errors.add(f"targets.{i}.person", "Choose a person or give a name.")
            else:
                _check_person(t.person, f"targets.{i}.person", errors)
    _check_groups(data, errors)
    for i, o in enumerate(data.organisations):
        if o.organisation_uuid is None:
            errors.check(bool(o.name.strip()), f"organisations.{i}.name", "A name is required.")
            errors.check(len(o.name) <= 300, f"organisations.{i}.name", "At most 300 characters.")
        errors.choice(o.kind, m.OrganisationKind, f"organisations.{i}.kind")
        errors.country(o.country, f"organisations.{i}.country", blank=True)
    for i, a in enumerate(data.actors):
        errors.choice(a.role, m.ActorRole, f"actors.{i}.role")
        errors.check(
            a.actor_type in actor_types,
            f"actors.{i}.actor_type",
            f"Unknown actor type {a.actor_type!r}.",
        )
        errors.country(a.country, f"actors.{i}.country", blank=True)
    for i, mech in enumerate(data.mechanisms):
        errors.choice(mech.kind, m.MechanismKind, f"mechanisms.{i}.kind")
        errors.choice(mech.status, m.MechanismStatus, f"mechanisms.{i}.status")
        _check_dated(mech.issued_on, mech.issued_precision, f"mechanisms.{i}.issued", errors)
    for i, s in enumerate(data.sources):
        errors.check(
            bool(s.reference.strip()),
            f"sources.{i}.reference",
            "A source needs its URL or document title.",
        )
        errors.choice(s.kind, m.SourceKind, f"sources.{i}.kind")
        errors.choice(s.reliability, m.Reliability, f"sources.{i}.reliability")
    for i, r in enumerate(data.responses):
        errors.choice(r.kind, m.ResponseKind, f"responses.{i}.kind")
        errors.choice(r.outcome, m.Outcome, f"responses.{i}.outcome")
        _check_dated(r.started_on, r.started_precision, f"responses.{i}.started", errors)
