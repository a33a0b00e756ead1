"""Deterministic plans of fictional incidents: the same seed gives the same incidents.

A plan is an `IncidentData` (the typed input the services validate) plus who its targets
are, by number, so that a person can come back in a later incident. Both loaders, the
services one and the bulk one, store exactly these plans.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

import pycountry
from django.utils import timezone

from beyondreach.cases.inputs import (
    ActorData,
    IncidentData,
    MechanismData,
    PersonData,
    ResponseData,
    SourceData,
)
from beyondreach.demo import profiles as p
from beyondreach.demo.cultures import Culture
from beyondreach.demo.texts import ACTOR_NAMES, ACTORS, MECHANISMS, PUBLISHERS, STORY, TITLES

FICTIONAL = "Fictional demo record."
# Fixed, so that a seed gives the same incidents on any day. Only the due dates of open
# incidents are counted from the day of the load (DemoPlanner's `today`): fixed ones would
# all be overdue a few months later.
TODAY = date(2025, 12, 31)
REUSE_TARGET = 0.12  # share of incidents that hit someone already targeted before
POOL = 40  # earlier targets remembered per organisation and profile


class Weighted:
    """A weighted choice among codes, parsed from 'code weight, ...'."""

    def __init__(self, spec: str) -> None:
        self.codes, weights = p.weights(spec)
        self.cumulative = list(accumulate(weights))

    def pick(self, rng: random.Random) -> str:
        return self.codes[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def some(self, rng: random.Random, k: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(k * 3):
            code = self.pick(rng)
            if code not in chosen:
                chosen.append(code)
            if len(chosen) == k:
                break
        return chosen


@dataclass
class PlannedTarget:
    person: int  # the generator's number for the person
    new: PersonData | None  # the person's data the first time they appear, else None
    role: str
    target_group: str = ""
    relation: str = ""


@dataclass
class Plan:
    number: int
    organisation: int  # 0: the main demo organisation, 1: the partner
    data: IncidentData  # everything but the targets
    targets: list[PlannedTarget]
    assigned: bool  # assigned to the organisation's case worker
    revised: bool  # recorded in two steps, so that its history has two versions
    pool: tuple[int, str]  # (organisation, profile): a person is targeted again only within it


@dataclass(frozen=True)
class _Known:
    person: int
    group: str
    who: str
    surname: int


_YEARS = Weighted(
    "2014 6, 2015 7, 2016 8, 2017 9, 2018 10, 2019 11, 2020 11, 2021 12, "
    "2022 13, 2023 15, 2024 16, 2025 12"
)
_PRECISION = Weighted("day 55, month 25, year 12, approximate 8")
_RELATION = Weighted("parent 5, sibling 3, spouse 2")
_RESIDENCE = Weighted("refugee 30, asylum_seeker 25, resident 25, citizen 10, unknown 10")
_TLP = Weighted("red 20, amber 50, green 20, clear 10")
_OLD_STATUS = Weighted("closed 60, referred 15, open 15, triage 5, new 5")
_NEW_STATUS = Weighted("new 20, triage 20, open 35, referred 15, closed 10")
_RELIABILITY = Weighted("reliable 35, usually_reliable 35, unknown 20, unreliable 10")
_SOURCE_KIND = Weighted("url 60, document 25, testimony 15")
_MECH_STATUS = Weighted(
    "active 35, challenged 25, withdrawn 15, refused 10, enforced 5, unknown 10"
)
_OUTCOME = Weighted("pending 35, granted 30, partial 15, refused 15, withdrawn 5")
PARTNER_SHARE = 0.1  # of the incidents recorded by the partner organisation


def pools_by_worker(workers: int) -> dict[tuple[int, str], int]:
    """Which worker loads which pool of plans, balancing their expected sizes.

    A person is targeted again only within a pool, so a worker has every person it needs.
    """
    sizes = sorted(
        (
            (x.weight * share, org, x.key)
            for x in p.PROFILES
            for org, share in ((0, 1 - PARTNER_SHARE), (1, PARTNER_SHARE))
        ),
        reverse=True,
    )
    loads, chosen = [0.0] * workers, {}
    for size, org, key in sizes:
        lightest = loads.index(min(loads))
        chosen[(org, key)] = lightest
        loads[lightest] += size
    return chosen


class DemoPlanner:
    """Yields plans one by one; remembers a few earlier targets to hit them again."""

    def __init__(self, seed: int, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.rng = random.Random(seed)
        self.made = 0
        self.persons = 0
        self.pools: dict[tuple[int, str], deque[_Known]] = {}
        self.profiles = {profile.key: profile for profile in p.PROFILES}
        self.pick_profile = Weighted(", ".join(f"{x.key} {x.weight}" for x in p.PROFILES))
        self.hosts = {x.key: Weighted(x.hosts) for x in p.PROFILES}
        self.tactics = {x.key: Weighted(x.tactics) for x in p.PROFILES}
        self.groups = {x.key: Weighted(x.groups) for x in p.PROFILES}
        self.companions = {k: Weighted(v) for k, v in p.COMPANIONS.items()}

    def plans(self, count: int) -> Iterator[Plan]:
        for _ in range(count):
            yield self.plan()

    def live_persons(self) -> set[int]:
        """Numbers of the persons a later plan may name again."""
        return {known.person for pool in self.pools.values() for known in pool}

    def plan(self) -> Plan:
        rng, number = self.rng, self.made
        self.made += 1
        showcase = number < len(p.SHOWCASE)
        profile = self.profiles[p.SHOWCASE[number] if showcase else self.pick_profile.pick(rng)]
        org = 0 if showcase or rng.random() >= PARTNER_SHARE else 1
        host = self.hosts[profile.key].pick(rng)
        place = _Place(profile, host, rng.choice(p.CITIES[host]))
        start, precision = _start_date(rng)
        main = self.tactics[profile.key].pick(rng)
        tactics = [main, *self.companions[main].some(rng, rng.choice((0, 1, 1, 2, 2, 3)))]
        targets, who = self._targets(profile, place, org, tactics, start)
        data = IncidentData(
            title=TITLES[main].format(who=who, **place.words),
            narrative=_narrative(tactics, place),
            start_date=start,
            start_precision=precision,
            host_countries=[host],
            origin_states=[profile.origin],
            tactics=tactics,
            place=place.city,
            actors=_actors(tactics, place),
            mechanisms=_mechanisms(rng, tactics, place, start),
            sources=_sources(rng, start, place),
            tlp=_TLP.pick(rng),
            status=(_OLD_STATUS if start.year <= 2020 else _NEW_STATUS).pick(rng),
        )
        _finish(rng, data, main)
        assigned = data.status in {"triage", "open", "referred"} and rng.random() < 0.7
        if assigned:
            data.due_date = self.today + timedelta(days=rng.randint(10, 120))
        revised = rng.random() < 0.2
        return Plan(number, org, data, targets, assigned, revised, (org, profile.key))

    def _targets(
        self, profile: p.Profile, place: _Place, org: int, tactics: list[str], start: date
    ) -> tuple[list[PlannedTarget], str]:
        rng = self.rng
        pool = self.pools.setdefault((org, profile.key), deque(maxlen=POOL))
        if pool and rng.random() < REUSE_TARGET:
            known = rng.choice(pool)
            primary = PlannedTarget(known.person, None, "primary", known.group)
        else:
            group = self.groups[profile.key].pick(rng)
            word = p.GROUP_WORDS.get(group, "exile")
            surname = rng.randrange(len(profile.culture.surnames))
            who = f"{profile.culture.demonym} {word}"
            known = _Known(self._number(), group, who, surname)
            pool.append(known)
            person = _person(
                rng, profile.culture, group, profile.origin, place.host, start, surname
            )
            primary = PlannedTarget(known.person, person, "primary", group)
        targets = [primary]
        if rng.random() < (0.85 if "family_coercion" in tactics else 0.2):
            relation = _RELATION.pick(rng)
            # Parents and siblings share the family name; a spouse need not.
            family = known.surname if relation != "spouse" else None
            relative = _relative(rng, profile.culture, profile.origin, start, family)
            targets.append(
                PlannedTarget(self._number(), relative, "relative", "family_member", relation)
            )
        if rng.random() < 0.06:
            colleague = _person(rng, profile.culture, "activist", profile.origin, place.host, start)
            targets.append(
                PlannedTarget(self._number(), colleague, "associate", "activist", "colleague")
            )
        return targets, known.who

    def _number(self) -> int:
        self.persons += 1
        return self.persons


class _Place:
    """Where an incident happened, and the words its texts use for it."""

    def __init__(self, profile: p.Profile, host: str, city: str) -> None:
        self.profile, self.host, self.city = profile, host, city
        origin, adj = p.COUNTRIES[profile.origin]
        self.words = {
            "city": city,
            "host": _host_name(host),
            "origin": origin,
            "adj": adj,
            "demonym": profile.culture.demonym,
        }


@cache
def _host_name(code: str) -> str:
    if code in p.COUNTRIES:
        return p.COUNTRIES[code][0]
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or getattr(country, "name", code))


def _start_date(rng: random.Random) -> tuple[date, str]:
    year, precision = int(_YEARS.pick(rng)), _PRECISION.pick(rng)
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    day = min(day, TODAY)
    if precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = date(year, 1, 1)
    return day, precision


def _narrative(tactics: list[str], place: _Place) -> str:
    words = place.words
    return " ".join([FICTIONAL, *(STORY[t].format(**words) for t in tactics)])


def _person(
    rng: random.Random,
    culture: Culture,
    group: str,
    origin: str,
    host: str,
    start: date,
    surname: int | None = None,
) -> PersonData:
    sex = rng.choices(("male", "female", "unknown"), (55, 43, 2))[0]
    names = culture.names(rng, sex, surname)
    return PersonData(
        names=names,
        sex=sex,
        birth_date=_birth(rng, start.year - rng.randint(20, 65)),
        nationalities=[origin, host] if rng.random() < 0.15 else [origin],
        residence_country=host,
        residence_status=_RESIDENCE.pick(rng),
        statuses=[p.GROUP_STATUSES[group]] if group in p.GROUP_STATUSES else [],
        contact=_contact(rng, names[0].value),
        risk_notes=_risk(rng),
        consent_share_partners=rng.random() < 0.6,
        consent_share_authorities=rng.random() < 0.3,
        consent_public_statistics=rng.random() < 0.7,
    )


def _relative(
    rng: random.Random, culture: Culture, origin: str, start: date, surname: int | None
) -> PersonData:
    sex = rng.choice(("male", "female"))
    return PersonData(
        names=culture.names(rng, sex, surname),
        sex=sex,
        birth_date=_birth(rng, start.year - rng.randint(18, 80)),
        nationalities=[origin],
        residence_country=origin,
        residence_status="citizen",
        risk_notes="Fictional demo person. Lives in the origin state: never contact directly.",
    )


def _birth(rng: random.Random, year: int) -> str:
    roll = rng.random()
    if roll < 0.5:
        return (date(year, 1, 1) + timedelta(days=rng.randrange(365))).isoformat()
    return str(year) if roll < 0.8 else ""


def _contact(rng: random.Random, name: str) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"Signal +999 {rng.randrange(10**7, 10**8)} (fictional)"
    if roll < 0.7:
        return f"demo.person{rng.randrange(10**5)}@mail.example.org"
    return ""


def _risk(rng: random.Random) -> str:
    return "Fictional demo person. " + rng.choice(
        (
            "Avoids travel to countries that extradite to the origin state.",
            "Family back home is questioned after every publication.",
            "Phone checked for spyware; new number since.",
            "Has moved twice after being followed.",
            "",
        )
    )


def _actors(tactics: list[str], place: _Place) -> list[ActorData]:
    words, seen, actors = place.words, set(), []
    for tactic in tactics:
        for role, actor_type, whose in ACTORS[tactic]:
            country = {"origin": place.profile.origin, "host": place.host}.get(whose, "")
            if (role, actor_type, country) in seen:
                continue
            seen.add((role, actor_type, country))
            name = ACTOR_NAMES[actor_type].format(**words)
            if actor_type == "police" and whose == "host":
                name = f"{place.city} police"
            actors.append(ActorData(role=role, actor_type=actor_type, country=country, name=name))
    return actors


def _mechanisms(
    rng: random.Random, tactics: list[str], place: _Place, start: date
) -> list[MechanismData]:
    found = []
    for tactic in tactics:
        kind = MECHANISMS.get(tactic)
        if kind is None or (kind == "passport_cancellation" and rng.random() < 0.4):
            continue
        if kind == "interpol_red_notice" and rng.random() < 0.25:
            kind = "interpol_diffusion"
        issued = max(start - timedelta(days=rng.randrange(700)), date(2010, 1, 1))
        status = _MECH_STATUS.pick(rng)
        status_on = (
            min(issued + timedelta(days=rng.randint(30, 900)), TODAY)
            if status not in {"active", "unknown"}
            else None
        )
        found.append(
            MechanismData(
                kind=kind,
                reference=_reference(rng, kind, issued),
                issued_by=place.profile.origin,
                issued_on=issued,
                status=status,
                status_on=status_on,
            )
        )
    return found


def _reference(rng: random.Random, kind: str, issued: date) -> str:
    n, year = rng.randint(100, 9999), issued.year
    return {
        "interpol_red_notice": f"A-{n}/{issued.month}-{year}",
        "interpol_diffusion": f"Diffusion {n}-{year}",
        "extradition_request": f"Request {n}/{year}",
        "terrorist_designation": f"National list entry {n}",
        "conviction_in_absentia": f"Case {n}/{year}",
        "passport_cancellation": f"Passport DM{rng.randrange(10**7):07d}",
        "denationalisation": f"Decree {n}/{year}",
    }[kind] + " (fictional)"


def _sources(rng: random.Random, start: date, place: _Place) -> list[SourceData]:
    sources = []
    for _ in range(rng.choices((0, 1, 2, 3), (10, 35, 35, 20))[0]):
        kind = _SOURCE_KIND.pick(rng)
        publisher, domain = rng.choice(PUBLISHERS)
        published = min(start + timedelta(days=rng.randint(1, 200)), TODAY)
        if kind == "url":
            reference = (
                f"https://{domain}/{published.year}/{published.month:02d}/{rng.randrange(10**6)}"
            )
        elif kind == "document":
            reference = f"{publisher}, annual report {published.year} (fictional)"
        else:
            reference, publisher = f"Interview in {place.city}, {published.year} (fictional)", ""
        sources.append(
            SourceData(
                reference=reference,
                kind=kind,
                publisher=publisher,
                published_on=published,
                reliability=_RELIABILITY.pick(rng),
                independent=kind != "testimony" and rng.random() < 0.75,
            )
        )
    return sources


def _finish(rng: random.Random, data: IncidentData, main: str) -> None:
    """Responses, an end date for detentions, and a few disputed incidents."""
    if data.start_date is None:  # a date not known: nothing dated follows from it
        return
    start: date = data.start_date
    if main in {"host_detention", "rendition"} and rng.random() < 0.4:
        data.end_date = min(start + timedelta(days=rng.randint(3, 400)), TODAY)
        data.end_precision = data.start_precision
    if rng.random() < 0.3:
        kind = rng.choice(("referral", "protection_measure", "legal_challenge"))
        description = {
            "referral": "Referred to a relocation programme (fictional).",
            "protection_measure": "Emergency grant for a safe flat (fictional).",
            "legal_challenge": "Challenge before the competent body (fictional).",
        }[kind]
        started = min(start + timedelta(days=rng.randint(1, 120)), TODAY)
        outcome = _OUTCOME.pick(rng)
        data.responses = [
            ResponseData(
                kind=kind,
                description=description,
                started_on=started,
                outcome=outcome,
                outcome_on=(
                    None
                    if outcome == "pending"
                    else min(started + timedelta(days=rng.randint(10, 300)), TODAY)
                ),
            )
        ]
    if rng.random() < 0.03:
        data.verification_override = "disputed"
        data.verification_reason = "Fictional demo: the host authorities deny the events."
