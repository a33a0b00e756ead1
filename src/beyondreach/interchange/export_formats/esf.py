"""`esf`: the HURIDOCS Events Standard Formats as JSON lines, one record a line.

Each line is one ESF record with its `record_type`: `event`, `person` (victims and
perpetrators, as in ESF), `act`, `involvement`, `information` and `intervention`; records
refer to each other by `record_number`. Coded fields hold HURIDOCS Micro-thesauri codes
(`interchange.huridocs` checks each against the thesaurus before it is written).
docs/interchange-ftm-esf.md says why JSON lines and maps every field.

An ESF act links one victim to one type of act, whereas an incident has tactics and targets:
an act is written for each (target, tactic) pair the tactic applies to by the target's role.

Security: as in `ftm`, a pseudonymised file reads no name or free text of the snapshot, and
record numbers are keyed hashes, never our UUIDs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson

from beyondreach.cases.export import WITHHELD
from beyondreach.interchange.export_formats.ftm import (
    EntityIds,
    coded_caption,
    organisation_alias,
)
from beyondreach.interchange.formats import ExportContext, ExportFormat, Snapshot
from beyondreach.interchange.huridocs import country_terms, term
from beyondreach.vocab.loader import vocabulary

Record = dict[str, Any]
Item = Mapping[str, Any]

DATE_TYPE = {"month": "020000000000", "year": "030000000000"}  # else an estimate; day: exact
VIOLATION_STATUS = {
    "corroborated": "010000000000",  # Confirmed
    "reported": "030000000000",  # Possible
    "disputed": "020000000000",  # Unlikely
    "unverified": "990000000000",  # Unknown
}
MONITORING_STATUS = {"closed": "030000000000", "new": "020000000000", "triage": "020000000000"}
DEGREE_OF_INVOLVEMENT = {
    "perpetrator": "010100000000",  # Directly carried out the act
    "proxy": "010100000000",  # Directly carried out the act
    "host_authority": "010300000000",  # Passive accomplice: acted at the origin's request
    "company": "010300000000",  # Passive accomplice
}
SOURCE_MATERIAL = {
    "url": "140523191601",  # Newspaper, magazine or publication write-up
    "testimony": "230920140501",  # Witness testimony
    "document": "900000000000",  # Other
}
RELIABILITY = {
    "reliable": "010000000000",  # Highly reliable
    "usually_reliable": "020000000000",  # Likely reliable
    "unknown": "030000000000",  # Unsure
    "unreliable": "040000000000",  # Likely unreliable
}
INTERVENTION = {
    "referral": "010600000000",  # Request to others for assistance
    "protection_measure": "010000000000",  # Intervention on behalf of a victim
    "legal_challenge": "020200000000",  # Petition to overturn a decision
}
INTERVENTION_STATUS = {
    "pending": "050000000000",  # Action pending
    "granted": "010000000000",  # Significant action taken and continuing
    "partial": "020000000000",  # Some action taken and continuing
    "refused": "060000000000",  # No action taken
    "withdrawn": "070000000000",  # Intervention closed
}
INDIVIDUAL, GROUP = "010000000000", "030000000000"  # counting units
# Roles a tactic applies to: coercion by proxy reaches the relatives; the rest the targets
# themselves (primary targets and associates), never a bystander.
PROXY_ROLES, DIRECT_ROLES = frozenset({"relative"}), frozenset({"primary", "associate"})
ACT_REMARK = (
    "One act per target and tactic that applies to the target's role; the incident's tactics "
    "are coded with the closest type of act."
)


def _date_type(precision: str) -> str | None:
    if not precision or precision == "day":
        return None
    return term("types_of_dates", DATE_TYPE.get(precision, "010000000000"))


class _Incident:
    def __init__(self, snapshot: Snapshot, *, pseudonymised: bool, ids: EntityIds) -> None:
        self.s = snapshot
        self.pseudonymised = pseudonymised
        self.ids = ids
        self.number = ids("incident", snapshot["id"])

    def reveal(self, value: str | None) -> str | None:
        if self.pseudonymised or not value or value == WITHHELD:
            return None
        return value

    def records(self) -> Iterator[Record]:
        yield self.event()
        victims = list(self.victims())
        yield from (record for record, _ in victims)
        perpetrators = [self.perpetrator(actor) for actor in self.s["actors"]]
        yield from perpetrators
        for tactic in self.s["tactics"]:
            for act in self.acts(tactic, victims):
                yield act
                for actor, perpetrator in zip(self.s["actors"], perpetrators, strict=True):
                    yield self.involvement(act, actor, perpetrator)
        for index, source in enumerate(self.s["sources"]):
            yield self.information(index, source)
        primary = [r["record_number"] for r, role in victims if role == "primary"]
        for index, response in enumerate(self.s["responses"]):
            yield self.intervention(index, response, primary)

    def event(self) -> Record:
        s = self.s
        return {
            "record_type": "event",
            "record_number": self.number,
            "event_title": self.reveal(s["title"]) or coded_caption(s),
            "initial_date": s["start_date"],
            "type_of_initial_date": _date_type(s["start_precision"]),
            "final_date": s["end_date"],
            "type_of_final_date": _date_type(s["end_precision"]) if s["end_date"] else None,
            "ongoing": s["ongoing"],
            "geographical_terms": [
                term("geographical_terms", country_terms()[c])
                for c in s["host_countries"]
                if c in country_terms()
            ],
            "host_countries": s["host_countries"],
            "origin_states": s["origin_states"],
            "local_geographical_area": self.reveal(s["place"]),
            "event_description": self.reveal(s["narrative"]),
            "violation_status": term("violation_status", VIOLATION_STATUS[s["verification"]]),
            "monitoring_status": term(
                "monitoring_status", MONITORING_STATUS.get(s["status"], "010000000000")
            ),
            "number_of_victims": s["target_count"],
            "remarks": ACT_REMARK,
        }

    def victims(self) -> Iterator[tuple[Record, str]]:
        """Each target as an ESF person record, with its role."""
        for t in self.s["targets"]:
            number = self.ids("person", t["person"])
            name = self.reveal(t["name"]) or t["pseudonym"]
            yield _person(number, INDIVIDUAL, name, target_group=t["target_group"]), t["role"]
        for index, g in enumerate(self.s["groups"]):
            number = self.ids("group", self.s["id"], str(index))
            record = _person(number, GROUP, self.reveal(g["description"]), country=g["country"])
            record.update(number_of_persons_in_group=g["size"], target_group=g["target_group"])
            yield record, "primary"
        for o in self.s["organisations"]:
            number = self.ids("organisation", o["organisation"])
            name = self.reveal(o["name"]) or organisation_alias(number, o["kind"])
            yield _person(number, GROUP, name, country=o["country"]), "primary"

    def perpetrator(self, actor: Item) -> Record:
        label = vocabulary("actor_types").label(actor["actor_type"])
        name = self.reveal(actor["name"])
        coded = f"{label} ({actor['country']})" if actor["country"] else label
        number = self.ids("actor", actor["actor_type"], actor["country"], name or "")
        return _person(number, GROUP, name or coded, country=actor["country"])

    def acts(self, tactic: str, victims: list[tuple[Record, str]]) -> Iterator[Record]:
        found = vocabulary("tactics").terms.get(tactic)
        roles = PROXY_ROLES if found and found.category == "proxy" else DIRECT_ROLES
        # A tactic with no target of its roles (coercion of relatives none of whom is
        # recorded) still happened: its victims are then every target.
        chosen = [v for v, role in victims if role in roles] or [v for v, _ in victims]
        for victim in chosen:
            yield {
                "record_type": "act",
                "record_number": self.ids("act", self.s["id"], tactic, victim["record_number"]),
                "event": self.number,
                "victim": victim["record_number"],
                "type_of_act": term("types_of_acts", found.huridocs[0])
                if found and found.huridocs
                else None,
                "tactic": tactic,
                "initial_date": self.s["start_date"],
                "type_of_initial_date": _date_type(self.s["start_precision"]),
                "final_date": self.s["end_date"],
            }

    def involvement(self, act: Record, actor: Item, perpetrator: Record) -> Record:
        found = vocabulary("actor_types").terms.get(actor["actor_type"])
        codes = found.huridocs if found else ()
        number = self.ids("involvement", act["record_number"], perpetrator["record_number"])
        return {
            "record_type": "involvement",
            "record_number": number,
            "act": act["record_number"],
            "perpetrator": perpetrator["record_number"],
            "degree_of_involvement": term(
                "degrees_of_involvement", DEGREE_OF_INVOLVEMENT[actor["role"]]
            ),
            "type_of_perpetrator": term("types_of_perpetrators", codes[0]) if codes else None,
            "actor_role": actor["role"],
        }

    def information(self, index: int, source: Item) -> Record:
        return {
            "record_type": "information",
            "record_number": self.ids("information", self.s["id"], str(index)),
            "event": self.number,
            "source_name": self.reveal(source["publisher"]),
            "source_reference": self.reveal(source["reference"]),
            "type_of_source_material": term(
                "types_of_source_material", SOURCE_MATERIAL[source["kind"]]
            ),
            "date_of_source_material": source["published_on"],
            "reliability_of_source": term("reliability", RELIABILITY[source["reliability"]]),
            "independent": source["independent"],
        }

    def intervention(self, index: int, response: Item, victims: list[str]) -> Record:
        return {
            "record_type": "intervention",
            "record_number": self.ids("intervention", self.s["id"], str(index)),
            "event": self.number,
            "victims": victims,
            "type_of_intervention": term("types_of_intervention", INTERVENTION[response["kind"]]),
            "date_of_intervention": response["started_on"],
            "type_of_date": _date_type(response["started_precision"]),
            "intervention_status": term(
                "intervention_status", INTERVENTION_STATUS[response["outcome"]]
            ),
            "remarks": self.reveal(response["description"]),
        }


def _person(number: str, unit: str, name: str | None, **more: Any) -> Record:
    record = {
        "record_type": "person",
        "record_number": number,
        "counting_unit": term("counting_units", unit),
        "name": name,
    }
    record.update({k: v or None for k, v in more.items()})
    return record


def incident_records(
    snapshot: Snapshot, *, pseudonymised: bool, ids: EntityIds
) -> Iterator[Record]:
    """The ESF records of one incident snapshot, the event first."""
    return _Incident(snapshot, pseudonymised=pseudonymised, ids=ids).records()


def write(records: Iterable[Snapshot], context: ExportContext) -> Iterator[bytes]:
    ids = EntityIds(context.id_key)
    for snapshot in records:
        lines = incident_records(snapshot, pseudonymised=context.pseudonymised, ids=ids)
        yield b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in lines)


FORMAT = ExportFormat(
    code="esf",
    label="HURIDOCS Events Standard Formats (JSON lines)",
    media_type="application/x-ndjson",
    extension="esf.jsonl",
    write=write,
)
