"""`ftm`: FollowTheMoney entities as JSON lines, the format of OpenSanctions and Aleph.

Each incident becomes an `Event`, its targets `Person` and `Organization` entities, its actors
`Organization`, `PublicBody` or `Company` entities, each role an `UnknownLink` to the event,
each legal mechanism a `Sanction` on the person it is used against, and a cancelled passport
whose number is recorded a `Passport` (docs/interchange-ftm-esf.md maps every property).
Values are cleaned by followthemoney's own types as they are added.

Security: a pseudonymised file reads nothing of the snapshot's names or free text, whatever
the snapshot holds (the writer, not only the snapshot, withholds them): persons appear by their
pseudonym, actors by type and country. Entity ids are keyed hashes (the organisation's key,
`EntityIds`), so nobody can match an id of the file to a record's UUID without that key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson
from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from beyondreach.cases.export import WITHHELD
from beyondreach.cases.models import (
    ActorRole,
    MechanismKind,
    MechanismStatus,
    OrganisationKind,
    TargetRelation,
    TargetRole,
)
from beyondreach.interchange.formats import ExportContext, ExportFormat, Snapshot
from beyondreach.vocab.loader import vocabulary

Item = Mapping[str, Any]

_INTERPOL = {MechanismKind.RED_NOTICE, MechanismKind.DIFFUSION}
_ENDED = {MechanismStatus.WITHDRAWN, MechanismStatus.REFUSED}
# Said on every Sanction: screening tools read a Sanction as a listing of its entity; here the
# entity is the target of the mechanism's abuse, and a reader must not take it for a suspect.
SANCTION_NOTE = (
    "A legal mechanism recorded as used against this target in an incident of transnational "
    "repression; it is not a finding against the target."
)


class EntityIds:
    """Entity ids as keyed hashes of a record's parts: stable for one organisation,
    irreversible without its key. The key is the organisation's (`ExportContext.id_key`),
    not the server's SECRET_KEY: two organisations' files do not share ids for the same
    shared record, and a leaked SECRET_KEY (it sits in every web process) does not match ids
    to records. A data key rotation gives new ids, as it gives new pseudonyms."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("An entity id key is the organisation's: 16 bytes or more.")
        # hmac's copy() of a keyed state: the key is prepared once, not for every id.
        self._keyed = hmac.new(hashlib.sha256(b"beyondreach.ids" + key).digest(), None, "sha256")

    def __call__(self, *parts: str) -> str:
        digest = self._keyed.copy()
        digest.update("/".join(parts).encode())
        return "br-" + digest.hexdigest()[:32]


def ftm_date(value: str | None, precision: str) -> str | None:
    """An ISO date cut to what is known: FtM dates may be `2024` or `2024-03`."""
    if not value:
        return None
    return value if precision == "day" else value[:7] if precision == "month" else value[:4]


class _Incident:
    """The entities of one incident; `reveal` gives a free-text value only where allowed."""

    def __init__(self, snapshot: Snapshot, *, pseudonymised: bool, ids: EntityIds) -> None:
        self.s = snapshot
        self.pseudonymised = pseudonymised
        self.ids = ids
        self.entities: dict[str, EntityProxy] = {}
        self.event = self._make("Event", self.ids("incident", snapshot["id"]))

    def reveal(self, value: str | None) -> str | None:
        if self.pseudonymised or not value or value == WITHHELD:
            return None
        return value

    def _make(self, schema: str, id_: str) -> EntityProxy:
        entity = model.make_entity(schema)
        entity.id = id_
        self.entities[id_] = entity
        return entity

    def build(self) -> list[EntityProxy]:
        self._event()
        subjects = [self._person(t) for t in self.s["targets"]]
        organisations = [self._organisation(o) for o in self.s["organisations"]]
        for actor in self.s["actors"]:
            self._actor(actor)
        roles = [t["role"] for t in self.s["targets"]]
        primary = [p for p, role in zip(subjects, roles, strict=True) if role == "primary"]
        for index, mechanism in enumerate(self.s["legal_mechanisms"]):
            self._mechanism(index, mechanism, primary or subjects or organisations)
        return list(self.entities.values())

    def _event(self) -> None:
        s, event = self.s, self.event
        event.add("name", self.reveal(s["title"]) or coded_caption(s))
        event.add("summary", self.reveal(s["narrative"]))
        event.add("startDate", ftm_date(s["start_date"], s["start_precision"]))
        event.add("endDate", ftm_date(s["end_date"], s["end_precision"]))
        event.add("country", [*s["origin_states"], *s["host_countries"]])
        event.add("location", self.reveal(s["place"]))
        event.add("keywords", [vocabulary("tactics").label(t) for t in s["tactics"]])
        for source in s["sources"]:
            if source["kind"] == "url":
                event.add("sourceUrl", self.reveal(source["reference"]))
            event.add("publisher", self.reveal(source["publisher"]))

    def _person(self, target: Item) -> EntityProxy:
        person = self._make("Person", self.ids("person", target["person"]))
        person.add("name", self.reveal(target["name"]) or target["pseudonym"])
        if target["target_group"]:
            person.add("keywords", vocabulary("target_groups").label(target["target_group"]))
        role = TargetRole(target["role"]).label
        relation = target["relation"]  # a code, never free text: no reveal needed
        label = f"{role}: {TargetRelation(relation).label}" if relation else role
        self._link(person, label, "involved")
        return person

    def _organisation(self, item: Item) -> EntityProxy:
        org_id = self.ids("organisation", item["organisation"])
        org = self._make("Organization", org_id)
        org.add("name", self.reveal(item["name"]) or organisation_alias(org_id, item["kind"]))
        org.add("country", item["country"] or None)
        self._link(org, "Targeted organisation", "involved")
        return org

    def _actor(self, actor: Item) -> None:
        term = vocabulary("actor_types").terms.get(actor["actor_type"])
        label = term.label() if term else actor["actor_type"]
        name = self.reveal(actor["name"])
        coded = f"{label} ({actor['country']})" if actor["country"] else label
        parts = ("actor", actor["actor_type"], actor["country"], name or "")
        schema = _actor_schema(term.category if term else "", actor["actor_type"])
        org = self._make(schema, self.ids(*parts))
        org.add("name", name or coded)
        org.add("country", actor["country"] or None)
        self._link(org, ActorRole(actor["role"]).label, "organizer")

    def _link(self, party: EntityProxy, role: str, event_property: str) -> None:
        assert party.id is not None  # every entity is made with its id
        self.event.add(event_property, party.id)
        link = self._make("UnknownLink", self.ids("link", self.s["id"], party.id))
        link.add("subject", party.id)
        link.add("object", self.event.id)
        link.add("role", role)

    def _mechanism(self, index: int, item: Item, subjects: list[EntityProxy]) -> None:
        kind = MechanismKind(item["kind"])
        start = ftm_date(item["issued_on"], item["issued_precision"])
        country = registry.country.clean(item["issued_by"])
        for subject in subjects:
            assert subject.id is not None
            sanction = self._make(
                "Sanction", self.ids("sanction", self.s["id"], str(index), subject.id)
            )
            sanction.add("entity", subject.id)
            sanction.add("program", kind.label)
            sanction.add("authority", "INTERPOL" if kind in _INTERPOL else self._authority(item))
            sanction.add("country", country)
            sanction.add("status", MechanismStatus(item["status"]).label)
            sanction.add("startDate", start)
            if item["status"] in _ENDED:
                sanction.add("endDate", item["status_on"])
            sanction.add("summary", SANCTION_NOTE)
            number = self.reveal(item["reference"])
            if kind != MechanismKind.PASSPORT:
                sanction.add("authorityId", number)
            elif number:
                self._passport(subject.id, number, country, start)

    def _authority(self, item: Item) -> str | None:
        issued_by: str = item["issued_by"]
        # An acronym (EU, UN, OSCE) names no one; anything longer is free text.
        if self.pseudonymised and not (issued_by.isalpha() and issued_by.isupper()):
            return None
        return issued_by or None

    def _passport(self, holder: str, number: str, country: str | None, start: str | None) -> None:
        passport = self._make("Passport", self.ids("passport", holder, number))
        passport.add("holder", holder)
        passport.add("number", number)
        passport.add("type", "Passport")
        passport.add("country", country)
        passport.add("summary", f"Cancelled by the issuing state ({start or 'date unknown'})")


def _actor_schema(category: str, actor_type: str) -> str:
    if category == "state":
        return "PublicBody"
    return "Company" if actor_type == "private_firm" else "Organization"


def organisation_alias(org_id: str, kind: str) -> str:
    """A targeted organisation by its kind and a part of its keyed id, naming nothing."""
    return f"{OrganisationKind(kind).label} O-{org_id[3:13].upper()}"


def coded_caption(s: Snapshot) -> str:
    """A name from codes alone, for an event whose title is not to be given."""
    tactics = ", ".join(vocabulary("tactics").label(t) for t in s["tactics"])
    where = " in " + "/".join(s["host_countries"]) if s["host_countries"] else ""
    year = f" ({s['start_date'][:4]})" if s["start_date"] else ""
    return f"{tactics}: {'/'.join(s['origin_states'])}{where}{year}"


def incident_entities(
    snapshot: Snapshot, *, pseudonymised: bool, ids: EntityIds
) -> list[EntityProxy]:
    """The FtM entities of one incident snapshot, the event first."""
    return _Incident(snapshot, pseudonymised=pseudonymised, ids=ids).build()


def entity_line(entity: EntityProxy) -> bytes:
    # The id first, as followthemoney's own writer does, so a file sorts by id with `sort`.
    data = {"id": entity.id, "schema": entity.schema.name, "properties": entity.properties}
    return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    """One incident's entities at a time. A person of several incidents comes once in each,
    as fragments with one id, which FtM tools merge (`ftm aggregate`)."""
    ids = EntityIds(context.id_key)
    for snapshot in records:
        entities = incident_entities(snapshot, pseudonymised=context.pseudonymised, ids=ids)
        yield b"".join(entity_line(e) for e in entities)


FORMAT = ExportFormat(
    code="ftm",
    label="FollowTheMoney entities (JSON lines)",
    media_type="application/x-ndjson",
    extension="ftm.json",
    write=write,
)
