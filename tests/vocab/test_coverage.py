"""The vocabularies cover the domain brief's tactics (DOMAIN.md, "Tactics") and keep every
released code."""

from __future__ import annotations

from pathlib import Path

import pytest

from beyondreach.vocab.loader import vocabulary

# Each tactic DOMAIN.md names, and the code that records it.
DOMAIN_TACTICS = {
    "assassination or killing (also suspected)": "assassination",
    "assault": "assault",
    "physical intimidation, surveillance, stalking": "physical_intimidation",
    "detention in the host country at the origin state's request": "host_detention",
    "unlawful deportation, expulsion or extradition": "unlawful_deportation",
    "rendition, abduction, enforced disappearance": "rendition",
    "INTERPOL Red Notice or Diffusion": "interpol_abuse",
    "extradition request": "extradition_request",
    "terrorist or extremist designation": "terrorist_designation",
    "prosecution or conviction in absentia": "prosecution_in_absentia",
    "passport cancellation or refusal of consular services": "mobility_controls",
    "denationalisation": "denationalisation",
    "asset freezes and confiscation": "asset_freeze",
    "threats to, detention or harassment of family members": "family_coercion",
    "digital threats and harassment": "digital_threats",
    "smear campaigns": "smear_campaign",
    "doxxing": "doxxing",
    "phishing": "phishing",
    "hacking and account takeover": "hacking",
    "spyware infection": "spyware",
    "informants and pressure inside diaspora communities": "diaspora_informants",
    "so-called overseas police stations": "overseas_police_station",
    "pressure on employers, landlords, platforms or businesses": "third_party_pressure",
}

# The codes of release 1.0.0. A code may be retired, never removed (docs/vocabularies.md).
RELEASED = {
    "tactics": set(DOMAIN_TACTICS.values()),
    "target_groups": {
        "former_insider",
        "opposition",
        "cleric_or_alleged_extremist",
        "journalist",
        "academic",
        "activist",
        "human_rights_defender",
        "trade_unionist",
        "lawyer",
        "ethnic_or_religious_group",
        "family_member",
        "other",
    },
    "actor_types": {
        "security_service",
        "police",
        "consulate_embassy",
        "court",
        "state_media",
        "immigration_authority",
        "diaspora_group",
        "criminal_group",
        "private_firm",
        "unknown",
    },
    "person_statuses": {
        "human_rights_defender",
        "journalist",
        "trade_unionist",
        "lawyer",
        "academic",
        "opposition_member",
        "targeted_group_member",
        "former_official",
    },
}


# The codes added in release 1.1.0 (issue 9, "Vocabulary gaps"); kept for ever like the others.
ADDED_IN_1_1 = {
    "tactics": {"attack_on_property", "threats", "punitive_listing"},
    "actor_types": {"government", "armed_forces"},
    "target_groups": {"exile_community"},
}

# The incidents of issue 9 that did not fit, as the issue describes them, and the incidents the
# codes added for it exist to record, coded with live codes only: (tactics, actor types, target
# groups). Host countries, group counts and organisation targets are the incident model's part.
REAL_CASES = {
    "relatives threatened back home, the target's whereabouts not recorded": (
        {"family_coercion"},
        {"security_service", "police"},
        {"family_member"},
    ),
    "a plane carrying a dissident forced down in transit, the dissident arrested on landing": (
        {"rendition"},
        {"government", "armed_forces", "security_service"},
        {"journalist"},
    ),
    "a whole exile community (317 people) stripped of nationality by one decree": (
        {"denationalisation", "asset_freeze"},
        {"government", "court"},
        {"exile_community"},
    ),
    "11 people and 8 companies in the UK, Türkiye and Canada designated, their assets frozen": (
        {"punitive_listing", "asset_freeze"},
        {"government"},
        {"opposition", "journalist", "other"},
    ),
    "a dissident's car set on fire, a note at the door threatening the family": (
        {"attack_on_property", "threats"},
        {"criminal_group"},
        {"activist"},
    ),
    "a death threat to an exiled journalist by message, repeated face to face": (
        {"threats", "digital_threats", "physical_intimidation"},
        {"unknown"},
        {"journalist"},
    ),
}


@pytest.mark.parametrize("case", sorted(REAL_CASES))
def test_each_case_of_issue_9_is_codable_with_live_codes(case: str) -> None:
    tactics, actor_types, target_groups = REAL_CASES[case]
    for name, codes in (
        ("tactics", tactics),
        ("actor_types", actor_types),
        ("target_groups", target_groups),
    ):
        live = {t.code for t in vocabulary(name).terms.values() if not t.retired}
        assert codes <= live, (name, codes - live)


@pytest.mark.parametrize("name", sorted(ADDED_IN_1_1))
def test_a_vocabulary_that_gained_codes_in_1_1_says_so_in_its_version(name: str) -> None:
    assert ADDED_IN_1_1[name] <= set(vocabulary(name).terms)
    assert vocabulary(name).version == "1.1.0"


def test_threats_physical_intimidation_and_digital_threats_name_their_boundary() -> None:
    """A threat is coded for what was said, beside the code for how it was delivered; each of
    the three definitions says so, naming the others by their English label."""
    terms = vocabulary("tactics").terms
    threats = terms["threats"].label("en").lower()
    assert threats in terms["physical_intimidation"].definition()
    assert threats in terms["digital_threats"].definition()
    definition = terms["threats"].definition()
    assert terms["physical_intimidation"].label("en").split(",")[0].lower() in definition
    assert terms["digital_threats"].label("en").split(" and ")[0].lower() in definition


@pytest.mark.parametrize(("tactic", "code"), DOMAIN_TACTICS.items())
def test_every_tactic_named_in_the_domain_has_a_live_code(tactic: str, code: str) -> None:
    term = vocabulary("tactics").terms.get(code)
    assert term is not None and not term.retired, tactic


def test_the_tactics_cover_the_five_families_of_the_domain() -> None:
    categories = {t.category for t in vocabulary("tactics").terms.values()}
    assert categories == {"physical", "legal", "proxy", "digital", "cooptation"}


@pytest.mark.parametrize("name", sorted(RELEASED))
def test_no_released_code_has_been_removed(name: str) -> None:
    assert RELEASED[name] <= set(vocabulary(name).terms)


def test_only_the_three_sdg_16_10_1_statuses_are_counted_for_the_indicator() -> None:
    counted = {
        t.code
        for t in vocabulary("person_statuses").terms.values()
        if "counted as" in t.definition() and "SDG indicator 16.10.1" in t.definition()
    }
    assert counted == {"human_rights_defender", "journalist", "trade_unionist"}


def test_actor_types_are_state_non_state_or_unknown() -> None:
    categories = {t.category for t in vocabulary("actor_types").terms.values()}
    assert categories == {"state", "non_state", "unknown"}


def test_the_vocabularies_document_lists_every_tactic_with_its_mappings() -> None:
    document = (Path(__file__).parents[2] / "docs" / "vocabularies.md").read_text("utf-8")
    for term in vocabulary("tactics").terms.values():
        row = next(line for line in document.splitlines() if line.startswith(f"| `{term.code}` |"))
        assert (term.freedom_house or "—") in row
        assert all(f"`{code}`" in row for code in term.huridocs)
