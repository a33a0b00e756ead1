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
