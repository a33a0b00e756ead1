"""The `esf` export: HURIDOCS Events Standard Formats records whose codes are real HURIDOCS
terms, whose references resolve inside the file, and which name nobody when pseudonymised."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from beyondreach.cases.export import WITHHELD, incident_snapshot
from beyondreach.cases.inputs import NameData, PersonData, TargetData
from beyondreach.interchange.export_formats.esf import FORMAT
from beyondreach.interchange.formats import ExportContext, Snapshot, export_formats
from beyondreach.interchange.huridocs import DATA, country_terms, terms
from beyondreach.vocab.loader import vocabulary

from ..conftest import Personas
from .export_cases import CANARY, SECRETS, TEST_ID_KEY, rich_incident

OWNER = ExportContext(pseudonymised=False, id_key=TEST_ID_KEY)
PSEUDONYMISED = ExportContext(pseudonymised=True, id_key=TEST_ID_KEY)
REFERENCE = Path(__file__).parents[3] / "shared/reference/huridocs-microthesauri.csv"
# Each coded field and the micro-thesaurus its codes come from.
CODED = {
    "type_of_initial_date": "types_of_dates",
    "type_of_final_date": "types_of_dates",
    "type_of_date": "types_of_dates",
    "violation_status": "violation_status",
    "monitoring_status": "monitoring_status",
    "geographical_terms": "geographical_terms",
    "counting_unit": "counting_units",
    "type_of_act": "types_of_acts",
    "degree_of_involvement": "degrees_of_involvement",
    "type_of_perpetrator": "types_of_perpetrators",
    "type_of_source_material": "types_of_source_material",
    "reliability_of_source": "reliability",
    "type_of_intervention": "types_of_intervention",
    "intervention_status": "intervention_status",
}
REFERENCES = {"event": "event", "victim": "person", "act": "act", "perpetrator": "person"}


def _records(snapshots: list[Snapshot], context: ExportContext) -> list[dict[str, Any]]:
    content = b"".join(FORMAT.write(snapshots, context))
    return [json.loads(line) for line in content.splitlines()]


def _assert_consistent(records: list[dict[str, Any]]) -> None:
    """Every code a term of its micro-thesaurus; every reference a record of its type."""
    types = {r["record_number"]: r["record_type"] for r in records}
    assert len(types) == len(records), "a record number is used twice"
    for record in records:
        for field, value in record.items():
            for code in value if isinstance(value, list) else [value]:
                if field in CODED and code is not None:
                    assert (CODED[field], code) in terms(), f"{field}: {code}"
                if field in REFERENCES:
                    assert types[code] == REFERENCES[field], f"{field} -> {code}"
        for victim in record.get("victims", []):
            assert types[victim] == "person"


def _of(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r["record_type"] == kind]


def test_the_format_is_found_by_its_code() -> None:
    assert export_formats()["esf"] is FORMAT


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference folder is not here")
def test_the_slice_is_a_faithful_copy_of_the_huridocs_thesaurus() -> None:
    with REFERENCE.open(encoding="utf-8", newline="") as f:
        real = {(r["list_name"], r["huri_code"]): r["english"] for r in csv.DictReader(f)}
    assert terms().items() <= real.items()
    assert real[("geographical_terms", country_terms()["TR"])] == "Turkey"
    assert real[("geographical_terms", country_terms()["CN"])] == "China"


def test_every_code_our_vocabularies_map_to_is_in_the_slice() -> None:
    for name, list_name in (("tactics", "types_of_acts"), ("actor_types", "types_of_perpetrators")):
        for t in vocabulary(name).terms.values():
            assert all((list_name, code) in terms() for code in t.huridocs), t.code
    assert DATA.stat().st_size < 40_000  # a slice, not the thesaurus


def test_an_owner_export_gives_each_record_type_with_huridocs_codes(personas: Personas) -> None:
    records = _records([incident_snapshot(rich_incident(personas.case_worker))], OWNER)
    _assert_consistent(records)
    [event] = _of(records, "event")
    assert event["event_title"] == SECRETS["title"]
    assert event["event_description"] == SECRETS["narrative"]
    assert event["type_of_initial_date"] == "020000000000"  # Unknown day: known to the month
    assert event["geographical_terms"] == ["030554000000"]  # Turkey
    assert (event["violation_status"], event["monitoring_status"]) == (
        "010000000000",  # Confirmed
        "010000000000",  # Active
    )
    people = {p["name"]: p for p in _of(records, "person")}
    poet, father = people[SECRETS["primary"]], people[SECRETS["relative"]]
    group = people[SECRETS["group"]]
    assert group["number_of_persons_in_group"] == 12 and group["counting_unit"] == "030000000000"

    acts = Counter((a["victim"], a["tactic"]) for a in _of(records, "act"))
    victims_of = {t: {v for v, tactic in acts if tactic == t} for _, t in acts}
    outlet = people[SECRETS["organisation"]]["record_number"]
    direct = {poet["record_number"], group["record_number"], outlet}
    assert victims_of["host_detention"] == direct
    assert victims_of["interpol_abuse"] == direct
    assert victims_of["family_coercion"] == {father["record_number"]}  # relatives only
    detention = next(a for a in _of(records, "act") if a["tactic"] == "host_detention")
    assert detention["type_of_act"] == "030101000000"  # Arrest

    involvements = _of(records, "involvement")
    assert len(involvements) == 7 * 3  # every act, each of the three actors
    host_police = people["Police (TR)"]["record_number"]
    by_host = [i for i in involvements if i["perpetrator"] == host_police]
    assert {(i["degree_of_involvement"], i["type_of_perpetrator"]) for i in by_host} == {
        ("010300000000", "010104000000")  # passive accomplice; police
    }
    news, testimony = _of(records, "information")
    assert news["source_reference"] == SECRETS["source_url"]
    assert (news["reliability_of_source"], testimony["reliability_of_source"]) == (
        "010000000000",
        "020000000000",
    )
    assert testimony["type_of_source_material"] == "230920140501"  # Witness testimony
    [intervention] = _of(records, "intervention")
    assert intervention["type_of_intervention"] == "020200000000"  # Petition to overturn
    assert intervention["intervention_status"] == "010000000000"
    assert set(intervention["victims"]) == direct  # the targets themselves, no relative


def test_a_pseudonymised_export_names_nobody_even_from_a_full_snapshot(
    personas: Personas,
) -> None:
    snapshot = incident_snapshot(rich_incident(personas.case_worker))
    content = b"".join(FORMAT.write([snapshot], PSEUDONYMISED))
    records = [json.loads(line) for line in content.splitlines()]
    _assert_consistent(records)
    text = content.decode()
    for what, secret in SECRETS.items():
        assert secret not in text, what
    assert CANARY not in text and WITHHELD not in text and snapshot["id"] not in text
    assert not any(t["person"] in text for t in snapshot["targets"])
    names = {p["name"] for p in _of(records, "person")}
    assert {t["pseudonym"] for t in snapshot["targets"]} <= names
    assert None in names  # the group, described only in free text, has no name
    [event] = _of(records, "event")
    assert event["event_description"] is None and event["local_geographical_area"] is None


def test_coercion_of_relatives_none_of_whom_is_recorded_is_an_act_against_the_target(
    personas: Personas,
) -> None:
    alone = TargetData(role="primary", person=PersonData(names=[NameData("Solo Exile")]))
    incident = rich_incident(personas.case_worker, targets=[alone], groups=[], organisations=[])
    records = _records([incident_snapshot(incident)], PSEUDONYMISED)
    _assert_consistent(records)
    [victim] = _of(records, "person")[:1]
    acts = {a["tactic"]: a["victim"] for a in _of(records, "act")}
    assert acts["family_coercion"] == victim["record_number"]
    assert len(_of(records, "act")) == 3
