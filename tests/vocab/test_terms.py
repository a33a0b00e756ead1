"""Every term of every vocabulary is complete: a stable code, labels in the seven languages of
the interface, and an English definition."""

from __future__ import annotations

import re
import unicodedata

import pytest
import yaml

from beyondreach.vocab.loader import DATA, NAMES, Term, vocabulary

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh", "fa")
CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
# The coded columns that store these codes (IncidentTactic.tactic and the like) hold 40.
CODE_COLUMN_LENGTH = 40
# The script a label must be written in, by language: catches an English label left in place.
SCRIPTS = {"ru": "CYRILLIC", "ar": "ARABIC", "fa": "ARABIC", "zh": "CJK"}


def all_terms() -> list[tuple[str, Term]]:
    return [(name, term) for name in NAMES for term in vocabulary(name).terms.values()]


def term_id(value: object) -> str:
    return value.code if isinstance(value, Term) else str(value)


@pytest.mark.parametrize(("name", "term"), all_terms(), ids=term_id)
def test_every_term_has_a_label_in_each_of_seven_languages(name: str, term: Term) -> None:
    assert sorted(term.labels) == sorted(LANGUAGES)
    assert all(label.strip() == label and label for label in term.labels.values())


@pytest.mark.parametrize(("name", "term"), all_terms(), ids=term_id)
def test_every_label_is_written_in_the_script_of_its_language(name: str, term: Term) -> None:
    for language, script in SCRIPTS.items():
        letters = [ch for ch in term.labels[language] if ch.isalpha()]
        assert letters and all(script in unicodedata.name(ch) for ch in letters), language


@pytest.mark.parametrize(("name", "term"), all_terms(), ids=term_id)
def test_persian_labels_use_persian_letters_and_arabic_labels_arabic_ones(
    name: str, term: Term
) -> None:
    assert not set(term.labels["fa"]) & set("\u064a\u0643\u0649")  # Arabic yeh, kaf, alef maksura
    assert not set(term.labels["ar"]) & set("\u06cc\u06a9")  # Persian yeh, keheh


@pytest.mark.parametrize(("name", "term"), all_terms(), ids=term_id)
def test_every_term_has_a_one_sentence_english_definition(name: str, term: Term) -> None:
    definition = term.definitions.get("en", "")
    assert definition.endswith(".")
    assert ". " not in definition
    assert len(definition.split()) >= 6


@pytest.mark.parametrize("name", NAMES)
def test_codes_are_unique_snake_case_and_fit_their_column(name: str) -> None:
    # Read the file itself: the loader keys terms by code, so it would hide a duplicate.
    raw = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    raw_codes = [term["code"] for term in raw["terms"]]
    assert len(raw_codes) == len(set(raw_codes))
    for code in raw_codes:
        assert CODE.fullmatch(code), code
        assert len(code) <= CODE_COLUMN_LENGTH


@pytest.mark.parametrize("name", NAMES)
def test_every_vocabulary_has_a_semantic_version(name: str) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", vocabulary(name).version)
    assert vocabulary(name).name == name


def test_a_label_falls_back_to_english_for_an_unknown_language() -> None:
    term = vocabulary("tactics").terms["spyware"]
    assert term.label("fr-CA") == "Infection par un logiciel espion"
    assert term.label("tg") == "Spyware infection"
