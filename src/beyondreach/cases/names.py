"""Finding a person by name across scripts and spellings, without storing names in the clear.

Each name is transliterated to ASCII (anyascii: Cyrillic, Arabic, Persian and Chinese
included), split into tokens and reduced to two keys per token:

- the token itself ("gulnara"), and
- a consonant skeleton ("glnr") that absorbs vowel spelling, doubled letters, and the
  way an h, kh or gh drifts between transliterations.

Only a keyed hash of each key is stored (a blind index): blake2b keyed with a sub-key of the
organisation's data key, truncated to 64 bits. Without the key an attacker with the database
cannot test a guessed name. A match is a hit on every token of the query, so a person is
returned only when all of their query tokens collide or match; 64 bits make an accidental
collision negligible, and the page shows the decrypted names, so a case worker sees at once
why a person was found. The skeleton is deliberately loose: it trades precision for recall,
because missing a person recorded under another spelling is the worse error here.

"Гульнара", "Gulnara", "Gülnara", "Gulnora", "古丽娜尔" and "غۇلنارە" all share the skeleton
"glnr".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii

_WORD = re.compile(r"[A-Za-z]+")
# A syllable as anyascii writes Chinese: capitalised and run together ("GuLiNaEr").
_SYLLABLE = re.compile(r"[A-Z][a-z]*|[a-z]+")
_DIGRAPHS = (
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "j"),
    ("dj", "j"),
    ("ts", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
)
_LETTERS = str.maketrans({"q": "k", "c": "k", "z": "s", "x": "s", "w": "v", "f": "v"})
_VOWELS = re.compile(r"[aeiouyh]")
_REPEATS = re.compile(r"(.)\1+")


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK") for ch in text)


def name_tokens(name: str) -> list[str]:
    """Lower-case ASCII tokens of a name in any script."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", name)).replace("'", "")
    tokens: list[str] = []
    for word in _WORD.findall(ascii_text):
        if _is_cjk(name) and word[:1].isupper():
            tokens.extend(s.lower() for s in _SYLLABLE.findall(word))
        else:
            tokens.append(word.lower())
    return tokens


def skeleton(token: str) -> str:
    for digraph, single in _DIGRAPHS:
        token = token.replace(digraph, single)
    token = _VOWELS.sub("", token.translate(_LETTERS))
    return _REPEATS.sub(r"\1", token)


def token_keys(token: str) -> set[str]:
    keys = {f"t:{token}"}
    skel = skeleton(token)
    if len(skel) >= 2:
        keys.add(f"s:{skel}")
    return keys


def name_keys(name: str) -> set[str]:
    """Every index key of one name: per-token keys plus the keys of all tokens joined.

    The joined keys let "Wangwei" find "王伟", and "Gulnara" find "古丽娜尔", whose Chinese
    transliteration comes out as syllables ("gu li na er").
    """
    tokens = name_tokens(name)
    keys: set[str] = set()
    for token in tokens:
        keys |= token_keys(token)
    if len(tokens) > 1:
        keys |= token_keys("".join(tokens))
    return keys


def blind(index_key: bytes, key: str) -> str:
    # hashlib's blake2b gives the same digest as libsodium's (both are RFC 7693 with a
    # key) and skips PyNaCl's per-call wrapping, which dominated bulk loading.
    return hashlib.blake2b(key.encode(), key=index_key, digest_size=8).hexdigest()


def name_digests(index_key: bytes, names: Iterable[str]) -> set[str]:
    """The blind index of a person's names: what NameToken rows hold, and all they hold."""
    return {blind(index_key, key) for name in names for key in name_keys(name)}


def query_alternatives(query: str) -> list[list[set[str]]]:
    """Ways a name can match a query: each is a list of key groups that must all be hit.

    The first alternative asks one hit per query token; the second, for a query of several
    tokens, asks a hit on the tokens joined ("Wang Wei" finds "Wangwei").
    """
    tokens = name_tokens(query)
    alternatives = [[token_keys(token) for token in tokens]] if tokens else []
    if len(tokens) > 1:
        alternatives.append([token_keys("".join(tokens))])
    return alternatives
