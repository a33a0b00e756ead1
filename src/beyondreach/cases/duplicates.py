"""Recorded persons who may be the one about to be created again (issue 9 item 3; issue 11's
likely duplicates on import).

A name is matched through the blind index only (cases/names.py): every part of the name, in
any script, or some of its parts backed by a birth year or a nationality. A typed "Гульнара
Давут" finds the recorded "Gulnara Dawut"; "G. Dawut, born 1984" finds her too when her
birth date says 1984. Birth dates are sealed, so they are opened in memory, for the few
persons the index already found and only when the new person's year is known.

What leaves is what a case worker needs to decide (pseudonym, first name, nationalities,
birth year, incidents, and why), for a role that sees names: only they create persons.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from beyondreach.cases import models as m
from beyondreach.cases.export import pseudonym
from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.names import blind, name_tokens, query_alternatives, token_keys
from beyondreach.core.errors import ApplicationError, PermissionDeniedError
from beyondreach.core.models import User
from beyondreach.core.sealed import org_keys

SHOWN = 5  # candidates offered at most, the likeliest first
LOOKED_AT = 200  # persons whose birth dates are opened at most, those with most name hits first


@dataclass(frozen=True)
class PersonCandidate:
    """A recorded person who may be the one being entered, and why."""

    uuid: uuid.UUID
    pseudonym: str
    name: str
    nationalities: list[str]
    birth_year: str
    incidents: int
    why: tuple[str, ...]
    # Every name part matches and a birth year or nationality agrees, with nothing that
    # disagrees: an import links to such a person when it is the only one.
    strong: bool


@dataclass
class _Hits:
    whole: bool = False  # every part of one of the names (or all parts joined)
    parts: int = 0  # the most parts of one name hit
    of: int = 0  # out of how many


def birth_year(birth_date: str) -> str:
    """ "1984-03-02" and "1984" give "1984"; anything else gives ""."""
    year = birth_date.strip()[:4]
    return year if len(year) == 4 and year.isdigit() else ""


def likely_duplicates(user: User, person: PersonData) -> list[PersonCandidate]:
    """The recorded persons of the user's organisation who may be `person`, likeliest first."""
    if not user.sees_identities:
        raise PermissionDeniedError("Your role does not see names, so it cannot search by them.")
    org_id = user.organisation_id
    assert org_id is not None  # sees_identities is a member's role
    names = [n.value for n in person.names if n.value.strip()]
    hits = _name_hits(org_id, names)
    if not hits:
        return []
    year, nationalities = birth_year(person.birth_date), set(person.nationalities)
    ranked = sorted(hits, key=lambda pid: (hits[pid].whole, hits[pid].parts), reverse=True)
    found = (
        m.Person.objects.filter(organisation_id=org_id, pk__in=ranked[:LOOKED_AT], merged_into=None)
        .annotate(incident_count=Count("targetings"))
        .prefetch_related("names")
    )
    candidates = [c for p in found if (c := _judge(p, hits[p.pk], year, nationalities)) is not None]
    candidates.sort(key=lambda c: (c.strong, len(c.why), c.incidents), reverse=True)
    return candidates[:SHOWN]


class LikelyDuplicateError(ApplicationError):
    """A person to be created may be recorded already: 409, with the candidates by path."""

    status = 409

    def __init__(self, found: dict[str, list[PersonCandidate]]) -> None:
        super().__init__(
            "Recorded persons may be the same as a person to be created: name one by "
            "`person_uuid`, or send `not_a_duplicate: true` for a new person."
        )
        self.errors = {
            path: [f"May be {c.pseudonym} ({'; '.join(c.why)})." for c in candidates]
            for path, candidates in found.items()
        }
        self.body_extra = {
            "candidates": {
                path: [_candidate_out(c) for c in candidates] for path, candidates in found.items()
            }
        }


def _candidate_out(c: PersonCandidate) -> dict[str, object]:
    return {
        "person_uuid": str(c.uuid),
        "pseudonym": c.pseudonym,
        "name": c.name,
        "nationalities": c.nationalities,
        "birth_year": c.birth_year,
        "incidents": c.incidents,
        "why": list(c.why),
    }


def check_likely_duplicates(user: User, persons: list[tuple[str, PersonData, bool]]) -> None:
    """Raise LikelyDuplicateError for the new persons (path, data, confirmed new) who may be
    recorded already; those confirmed as new are not looked up."""
    if not user.sees_identities:
        return  # such a role cannot create persons; the service refuses it with a 403
    found = {
        path: candidates
        for path, person, confirmed in persons
        if not confirmed and (candidates := likely_duplicates(user, person))
    }
    if found:
        raise LikelyDuplicateError(found)


def person_candidates(user: User, names: list[str]) -> list[PersonCandidate]:
    """The same for names typed alone (the incident form's target rows, the merge page)."""
    return likely_duplicates(user, PersonData(names=[NameData(n) for n in names]))


def _name_hits(org_id: int, names: Iterable[str]) -> dict[int, _Hits]:
    index_key = org_keys(org_id).index
    wanted: list[tuple[list[list[set[str]]], list[set[str]]]] = []
    for name in names:
        alternatives = [
            [{blind(index_key, k) for k in group} for group in alt]
            for alt in query_alternatives(name)
        ]
        parts = [{blind(index_key, k) for k in token_keys(t)} for t in name_tokens(name)]
        wanted.append((alternatives, parts))
    digests = {
        d
        for alternatives, parts in wanted
        for groups in [parts, *alternatives]
        for group in groups
        for d in group
    }
    found: dict[int, set[str]] = {}
    for person_id, digest in m.NameToken.objects.filter(
        organisation_id=org_id, digest__in=digests
    ).values_list("person_id", "digest"):
        found.setdefault(person_id, set()).add(digest)
    hits: dict[int, _Hits] = {}
    for person_id, theirs in found.items():
        h = hits.setdefault(person_id, _Hits())
        for alternatives, parts in wanted:
            h.whole |= any(all(group & theirs for group in alt) for alt in alternatives)
            hit = sum(1 for group in parts if group & theirs)
            if hit > h.parts or (hit == h.parts and len(parts) < h.of):
                h.parts, h.of = hit, len(parts)
    return hits


def _judge(p: m.Person, hits: _Hits, year: str, nationalities: set[str]) -> PersonCandidate | None:
    """Whether `p` may be the person, and why; None when the name alone is too little."""
    their_year = birth_year(p.birth_date) if year else ""
    shared = sorted(nationalities & set(p.nationalities))
    same_year = bool(year) and their_year == year
    other_year = bool(year and their_year) and their_year != year
    name_says = (
        "every part of the name matches"
        if hits.whole
        else f"{hits.parts} of {hits.of} parts of the name match"
    )
    # Part of a name is common ("Wang", "Ahmadi"): it needs a birth year, or two parts and a
    # nationality, to be worth asking about.
    if not (hits.whole or same_year or (shared and hits.parts >= 2)):
        return None
    why = [name_says]
    if same_year:
        why.append(f"born in {year} too")
    elif other_year:
        why.append(f"but born in {their_year}, not {year}")
    if shared:
        why.append(f"nationality {', '.join(shared)} too")
    return PersonCandidate(
        uuid=p.uuid,
        pseudonym=pseudonym(p),
        name=next((n.value for n in p.names.all()), ""),
        nationalities=list(p.nationalities),
        birth_year=their_year,
        incidents=p.incident_count,  # type: ignore[attr-defined]
        why=tuple(why),
        strong=hits.whole and (same_year or bool(shared)) and not other_year,
    )
