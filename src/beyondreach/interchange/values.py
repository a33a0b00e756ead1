"""Their words to our codes: countries in any common spelling, tactics and target groups by
our codes, our labels in every language, and Freedom House's and HURIDOCS's names.

Matching is exact after normalising case, accents and punctuation: a word that does not match
is shown to the importer as unmatched, to be mapped by hand, never guessed (a fuzzy match
could file an incident under the wrong state) and never added to a vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

from beyondreach.vocab.loader import vocabulary

# Names that pycountry's lookup (ISO names, official names, common names, alpha-2 and -3)
# does not know but that spreadsheets of the field use.
COUNTRY_ALIASES = {
    "turkey": "TR",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "russia": "RU",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "congo kinshasa": "CD",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "congo brazzaville": "CG",
    "republic of congo": "CG",
    "burma": "MM",
    "palestine": "PS",
    "macedonia": "MK",
    "north macedonia": "MK",
    "usa": "US",
    "us": "US",
    "uae": "AE",
    "emirates": "AE",
    "south korea": "KR",
    "north korea": "KP",
    "hong kong": "HK",
    "macau": "MO",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "the gambia": "GM",
    "gambia": "GM",
    "the netherlands": "NL",
    "holland": "NL",
    "vatican": "VA",
    "czechia": "CZ",
    "kyrgyzstan": "KG",
}


def normalise(word: str) -> str:
    """Lower case, without accents or punctuation, spaces collapsed: "Côte d'Ivoire" and
    "cote divoire" are the same word."""
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    plain = re.sub(r"['`]", "", plain.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def country_code(word: str) -> str | None:
    text = word.strip()
    if not text:
        return None
    alias = COUNTRY_ALIASES.get(normalise(text))
    if alias:
        return alias
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return _country_names().get(normalise(text))


@cache
def _country_names() -> dict[str, str]:
    # pycountry's lookup compares case-insensitively but with accents: "Turkiye" or
    # "Cote d'Ivoire" typed without them would be missed.
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[normalise(value)] = country.alpha_2
    return names


@cache
def term_words(name: str) -> dict[str, str]:
    """Every word that names a term of vocabulary `name`, normalised, to the term's code.
    A Freedom House name shared by several terms (e.g. "Digital threats") goes to the first
    of them in the vocabulary's order, the most general; the importer can choose another."""
    words: dict[str, str] = {}
    for term in vocabulary(name).terms.values():
        if term.retired:
            continue
        candidates = [term.code, *term.labels.values(), *term.huridocs]
        if term.freedom_house:
            candidates.append(term.freedom_house)
        for word in candidates:
            words.setdefault(normalise(word), term.code)
    return words


def term_code(name: str, word: str) -> str | None:
    return term_words(name).get(normalise(word)) if word.strip() else None
