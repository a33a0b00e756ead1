"""The mappings to the standards Beyond Reach aligns with: HURIDOCS Micro-thesauri codes that
exist in the right list, and Freedom House tactic names as Freedom House codes them.

huridocs_slice.csv holds the rows of reference/huridocs-microthesauri.csv that the
vocabularies reference, with its header, so these tests do not need the shared folder.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

from beyondreach.vocab.loader import NAMES, Term, vocabulary

SLICE = Path(__file__).parent / "huridocs_slice.csv"
HURIDOCS_LISTS = {"tactics": "types_of_acts", "actor_types": "types_of_perpetrators"}
FREEDOM_HOUSE_TACTICS = {
    "Assassination",
    "Assault",
    "Detention",
    "Unlawful deportation",
    "Rendition",
    "Physical intimidation",
    "Mobility controls",
    "Coercion by proxy",
    "Digital threats",
    "Spyware",
    "Threats from a distance",
}


@cache
def huridocs_terms() -> dict[tuple[str, str], str]:
    """English label by (list_name, huri_code); a huri_code is unique only within a list."""
    with SLICE.open(encoding="utf-8", newline="") as f:
        return {(row["list_name"], row["huri_code"]): row["english"] for row in csv.DictReader(f)}


def mapped_terms(name: str) -> list[Term]:
    return [term for term in vocabulary(name).terms.values() if term.huridocs]


@pytest.mark.parametrize("name", sorted(HURIDOCS_LISTS))
def test_every_huridocs_code_exists_in_the_matching_micro_thesaurus(name: str) -> None:
    list_name = HURIDOCS_LISTS[name]
    for term in mapped_terms(name):
        for code in term.huridocs:
            assert re.fullmatch(r"\d{12}", code), (term.code, code)
            assert (list_name, code) in huridocs_terms(), (term.code, code)


@pytest.mark.parametrize("name", sorted(HURIDOCS_LISTS))
def test_a_term_lists_each_huridocs_code_once(name: str) -> None:
    for term in mapped_terms(name):
        assert len(term.huridocs) == len(set(term.huridocs)), term.code


def test_every_tactic_maps_to_at_least_one_huridocs_act() -> None:
    assert [t.code for t in vocabulary("tactics").terms.values() if not t.huridocs] == []


def test_the_spyware_tactic_maps_to_surveillance_and_privacy() -> None:
    labels = {
        huridocs_terms()[("types_of_acts", c)]
        for c in vocabulary("tactics").terms["spyware"].huridocs
    }
    assert labels == {"Surveillance", "Direct actions which violate the right to privacy"}


def huridocs_labels(name: str, code: str) -> list[str]:
    term = vocabulary(name).terms[code]
    return [huridocs_terms()[(HURIDOCS_LISTS[name], c)] for c in term.huridocs]


# The terms added in 1.1.0 (issue 9), and the HURIDOCS terms they map to, closest first.
ADDED_IN_1_1 = {
    ("tactics", "attack_on_property"): ["Destruction", "Vandalism", "Looting; theft"],
    ("tactics", "threats"): [
        "Threats against the victim",
        "Death threats against the victim",
        "Threats against the victim's family",
        "Death threats against the victim's family",
    ],
    ("tactics", "punitive_listing"): ["Defamation", "Banning of a group"],
    ("actor_types", "government"): ["National-level officials", "Executive"],
    ("actor_types", "armed_forces"): ["Armed forces"],
}


@pytest.mark.parametrize(("key", "labels"), ADDED_IN_1_1.items(), ids=lambda v: str(v))
def test_the_terms_added_in_1_1_map_to_the_huridocs_terms_they_mean(
    key: tuple[str, str], labels: list[str]
) -> None:
    assert huridocs_labels(*key) == labels


def test_the_tactics_added_in_1_1_carry_the_freedom_house_category_that_counts_them() -> None:
    tactics = vocabulary("tactics").terms
    # An attack on property is carried out on the spot abroad: direct and physical.
    assert tactics["attack_on_property"].category == "physical"
    assert tactics["attack_on_property"].freedom_house == "Physical intimidation"
    # A threat is what was said; how it came is coded beside it, so it is not "physical".
    assert tactics["threats"].category == "digital"
    assert tactics["threats"].freedom_house == "Threats from a distance"
    # Like terrorist designations, a listing has no Freedom House tactic.
    assert tactics["punitive_listing"].freedom_house is None


def test_the_slice_holds_only_rows_that_a_vocabulary_references() -> None:
    referenced = {
        (HURIDOCS_LISTS[name], code)
        for name in HURIDOCS_LISTS
        for term in mapped_terms(name)
        for code in term.huridocs
    }
    assert set(huridocs_terms()) == referenced


def test_freedom_house_names_are_the_ones_freedom_house_uses() -> None:
    names = {t.freedom_house for t in vocabulary("tactics").terms.values()} - {None}
    assert names <= FREEDOM_HOUSE_TACTICS


def test_every_physical_tactic_has_its_freedom_house_name() -> None:
    physical = [t for t in vocabulary("tactics").terms.values() if t.category == "physical"]
    assert {t.code: t.freedom_house for t in physical} == {
        "assassination": "Assassination",
        "assault": "Assault",
        "physical_intimidation": "Physical intimidation",
        "attack_on_property": "Physical intimidation",
        "host_detention": "Detention",
        "unlawful_deportation": "Unlawful deportation",
        "rendition": "Rendition",
    }


@pytest.mark.parametrize("name", [n for n in NAMES if n != "tactics"])
def test_only_tactics_carry_a_freedom_house_name(name: str) -> None:
    assert all(t.freedom_house is None for t in vocabulary(name).terms.values())
