"""Name matching across scripts and transliterations, for screening against public lists.

A name in any script becomes lower-case ASCII tokens: Cyrillic, Greek, Armenian, Georgian
and Hangul through rigour's transliteration (the one FollowTheMoney's tools use: "Навальный"
is "navalny"), Han and Arabic through ICU (normality). Han has no spaces: a name of one Han
word is read as a one-syllable surname and a given name ("习近平" is "xi jinping"), the usual
shape of Chinese names; the joined comparison below covers the rest.

Tokens are compared by spelling (edit distance) and by a consonant skeleton that absorbs
transliteration drift: vowels and h dropped, kh/gh/zh/ch/sh/ts to one letter, x to ks, c/q
to k, w to v, doubled letters once ("Aleksei"/"Alexei"/"Aleksey" are all "lks"; Arabic's
unwritten short vowels make "محمد" "mhmd", which agrees with "Mohammed").

A name scores the best alignment of its tokens, in any order, over the shorter name: a
missing middle name or patronymic costs a little, a missing surname a lot. Birth dates and
nationalities are evidence on top: agreement adds, a clear contradiction takes away.

Retrieval keys (`name_keys`) are the skeletons of the tokens (tokens shorter than two
consonants keep their spelling) and one key for all tokens joined in alphabetical order, so
that "Xi Jin Ping", "Jinping Xi" and "习近平" share it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, permutations

import normality
from rigour.text.distance import levenshtein
from rigour.text.translit import ascii_text

KEY_MAX = 40
PAIR_MAX = 9  # two neighbours this short together may be one part in another script
PARTS_MAX = 6
PARTICLES = frozenset({"bin", "bn", "ibn", "bint", "binti", "ben", "ould", "bnt"})
# Arabic's article, written apart in Latin ("Al Jazeera", "El-Sisi"): it is not a name part.
ARTICLES = frozenset({"al", "el", "ul"})
_APOSTROPHES = "'\u2019\u02bc`"  # ASCII, right single quote, modifier letter, grave
_WORD = re.compile(rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*")
_NO_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_DIGRAPHS = (
    ("kh", "h"),
    ("gh", "g"),
    ("zh", "j"),
    ("dzh", "j"),
    ("dj", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "s"),
    ("tz", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
)
_LETTERS = str.maketrans({"q": "k", "c": "k", "z": "s", "w": "v", "f": "v"})
_VOWELS = re.compile(r"[aeiouyh]")
_VOWEL_LETTERS = frozenset("aeiouy")
_FINAL_J = re.compile(r"(?<=[aeiouy])j$")  # "Navalnyj", "Aleksej": an ISO 9 й at the end
_REPEATS = re.compile(r"(.)\1+")
_SOFT_J = re.compile(r"(?<=[lnrtdszkvmpb])j(?=[aeiou])")  # "Natalja", "Iljushin": a y

# How a name's score is made (tuned on bench/screening_pairs.csv, see bench/README.md).
TOKEN_FLOOR = 0.85  # below this similarity, two tokens do not match at all
SKELETON_SIM = 0.85  # same skeleton, different spelling: 0.85 to 0.95
# How alike two spellings of one skeleton must be, by the scripts of the two names: pinyin
# is one spelling of Han, so no skeleton there; Arabic script writes no short vowels.
SPELLING_MIN = {"han": 2.0, "arabic": 0.3, "other": 0.7}
SHORT_SPELLING_MIN = 0.81  # a skeleton of one consonant says little: "Yulia", "Ilya" are "l"
EXTRA_TOKEN_COST = 0.03  # each token of the longer name left unmatched (a middle name)
EXTRA_COST_MAX = 0.06
HAN_EXTRA_COST = 0.3
SINGLE_TOKEN_CAP = 0.7  # a one-word name never alerts on its own
JOINED_FLOOR = 0.88


def _is_han(ch: str) -> bool:
    return "CJK UNIFIED" in unicodedata.name(ch, "")


@lru_cache(maxsize=200_000)
def _word_ascii(word: str) -> tuple[str, ...]:
    """The ASCII tokens of one word; a Han word yields its syllables."""
    if word.isascii():
        return tuple(_ASCII_TOKEN.findall(word.lower()))
    if any(_is_han(ch) for ch in word):
        return tuple(syllable for ch in word for syllable in _ASCII_TOKEN.findall(_han(ch).lower()))
    if _is_arabic(word[0]):
        return _arabic_ascii(word)
    if _TURKIC_LETTERS.intersection(word):
        word = word.translate(_TURKIC)
    return tuple(_ASCII_TOKEN.findall(ascii_text(word).lower().replace("'", "")))


# A word with a letter only Turkic alphabets have is read as they read it: ç is "ch".
_TURKIC_LETTERS = frozenset("əƏıİğĞşŞ")
_TURKIC = str.maketrans({"ç": "ch", "Ç": "Ch"})


def _is_arabic(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("ARABIC")


def _arabic_ascii(word: str) -> tuple[str, ...]:
    """Arabic script writes long vowels with the letters waw and ya, which ICU renders as
    w and y: inside a word they are read as the vowels u and i ("الشوخان" is "shukhan",
    not "shwkhan"). The article al- is dropped, as the Latin one is (`ARTICLES`)."""
    if word.startswith("\u0627\u0644") and len(word) >= 4:  # alif lam: the article
        word = word[2:]
    word = word.replace("\u0629", "a")  # ta marbuta, the feminine ending: "Fatima"
    # ICU writes the consonant ain as "?": it sounds as a vowel in Latin ("عمر" is "Omar").
    text = ascii_text(word).lower().replace("?", "a")
    text = text[:1] + text[1:].replace("w", "u").replace("y", "i")
    return tuple(_ASCII_TOKEN.findall(text))


@lru_cache(maxsize=20_000)
def _han(ch: str) -> str:
    return normality.ascii_text(ch) if _is_han(ch) else ascii_text(ch)


@lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """Lower-case ASCII tokens of a name in any script, in its order."""
    words = _WORD.findall(unicodedata.normalize("NFKC", name))
    tokens: list[str] = []
    for word in words:
        parts = _word_ascii(word.translate(_NO_APOSTROPHES))
        if len(parts) > 1 and _is_han(word[0]):
            # One Han word for the whole name: surname, then the given name joined.
            parts = (parts[0], "".join(parts[1:])) if len(words) == 1 else ("".join(parts),)
        tokens.extend(parts)
    return tuple(t for t in tokens if t not in ARTICLES)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    token = _SOFT_J.sub("y", _FINAL_J.sub("", token)).replace("x", "ks")
    for digraph, single in _DIGRAPHS:
        token = token.replace(digraph, single)
    token = _VOWELS.sub("", token.translate(_LETTERS))
    return _REPEATS.sub(r"\1", token)


_ARABIC_DIGRAPHS = (("kh", "x"), ("sh", "$"), ("gh", "G"), ("th", "T"), ("dh", "D"))
_ARABIC_LETTERS = str.maketrans({"q": "k", "c": "k", "w": "u"})
_ARABIC_VOWELS = re.compile(r"[aeiouy]")


@lru_cache(maxsize=200_000)
def arabic_skeleton(token: str) -> str:
    """A finer skeleton for names of Arabic script, which writes every consonant: h, kh, sh,
    gh, z and s stay apart (the coarse skeleton merges them for Cyrillic and Turkic)."""
    for digraph, single in _ARABIC_DIGRAPHS:
        token = token.replace(digraph, single)
    token = _ARABIC_VOWELS.sub("", token.translate(_ARABIC_LETTERS))
    return _REPEATS.sub(r"\1", token)


def token_key(token: str) -> str:
    """The skeleton; one of a single consonant is marked by the first letter's kind
    ("Ilya" and "Ilia" are "v:l"); a token with no consonant is its own key."""
    skel = skeleton(token)
    if len(skel) >= 2:
        return skel[:KEY_MAX]
    if skel:
        return f"{'v' if token[0] in _VOWEL_LETTERS else 'c'}:{skel}"
    return f"t:{token}"[:KEY_MAX]


def _pair_keys(tokens: Sequence[str]) -> set[str]:
    """Every two parts of a name, as a pair of keys in alphabetical order; a name of one
    part, its key. Particles ("bin") are left out: "Mohammed bin Salman" is keyed
    "md|slmn", which "Muhammad Salman" and "محمد بن سلمان" share."""
    parts = [t for t in tokens if t not in PARTICLES] or list(tokens)
    keys = sorted({token_key(t) for t in parts[:PARTS_MAX]})
    if len(keys) == 1:
        return {keys[0]}
    return {f"{a}|{b}"[:KEY_MAX] for a, b in combinations(keys, 2)}


def spelling_key(token: str) -> str:
    """The key of a token's spelling, the commonest transliteration choices undone: what
    a name part matched letter for letter is counted by."""
    return f"={_soft(token)}"[:KEY_MAX]


def arabic_key(token: str) -> str:
    """The key of a token's finer skeleton, the one names in Arabic script are compared by."""
    return f"a:{arabic_skeleton(token)}"[:KEY_MAX]


def count_keys(token: str) -> tuple[str, str, str]:
    """The keys a name part is counted by in a list: its skeleton (how many entities have
    a part it would match loosely: "Bakirov" and "Bekirov"), its finer skeleton for names
    in Arabic script, and its spelling."""
    return token_key(token), arabic_key(token), spelling_key(token)


# Traditions whose name parts are also counted among their own entities (`Rarity`): an
# entity belongs to the first whose script one of its names is written in. Given names and
# surnames are shared within a tradition and seldom across: "Wang" is rare among all the
# lists' names, and one Han name in fifteen. Entities of none of them (Latin only) are the
# rest, counted as all entities less these.
TRADITIONS = ("han", "arabic", "cyrillic")
TRADITION_TOTAL = "#entities"  # per tradition, the key whose count is its entities'


def entity_tradition(names: Iterable[str]) -> str:
    """The tradition of an entity's names (`TRADITIONS`), or "" for the rest."""
    scripts = {_name_tradition(n) for n in names}
    for tradition in TRADITIONS:
        if tradition in scripts:
            return tradition
    return ""


@lru_cache(maxsize=200_000)
def _name_tradition(name: str) -> str:
    script = name_script(name)
    if script != "other":
        return script
    return "cyrillic" if any(unicodedata.name(ch, "").startswith("CYRILLIC") for ch in name) else ""


def tradition_key(tradition: str, key: str) -> str:
    return f"{tradition}/{key}"[:KEY_MAX]


def entity_token_keys(
    names: Sequence[str], tokens: Iterable[Sequence[str]] | None = None
) -> set[str]:
    """The count keys of every part of an entity's names, once each (particles left out):
    what the list's token counts count, one per entity; again under the entity's
    tradition, with one for the tradition's number of entities. `tokens`: the names'
    `name_tokens`, if made already (stored with the entity)."""
    if tokens is None:
        tokens = (name_tokens(name) for name in names)
    keys = {key for parts in tokens for t in parts if t not in PARTICLES for key in count_keys(t)}
    tradition = entity_tradition(names)
    if not tradition:
        return keys
    return keys | {tradition_key(tradition, k) for k in (*keys, TRADITION_TOTAL)}


def subject_count_keys(names: Iterable[str]) -> set[str]:
    """The count keys a query needs: those of the subject's name parts, among all entities
    and within each tradition."""
    keys = {key for name in names for t in name_tokens(name) for key in count_keys(t)}
    return keys | {
        tradition_key(tradition, k) for tradition in TRADITIONS for k in (*keys, TRADITION_TOTAL)
    }


def name_keys(names: Iterable[str]) -> set[str]:
    """The retrieval keys of a set of names (stored per list entity, looked up per query).

    Pairs of parts, in any order, so that a name found with one part missing or the parts
    swapped still shares keys; and the same again with two short neighbours run together,
    so that "Xi Jin Ping" shares "ks|jnpng" with "Xi Jinping" and "习近平"."""
    keys: set[str] = set()
    for name in names:
        tokens = name_tokens(name)
        keys |= _pair_keys(tokens)
        for i in range(len(tokens) - 1):
            if len(tokens[i]) + len(tokens[i + 1]) <= PAIR_MAX:
                keys |= _pair_keys([*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]])
    return keys


_SOFT = (
    ("kh", "h"),
    ("x", "ks"),
    ("yo", "e"),  # "Fyodor" and "Fedor"
    ("y", "i"),
    ("j", "i"),
    ("ph", "f"),
    ("w", "v"),
)


def _soft(token: str) -> str:
    """A spelling with the commonest transliteration choices undone (kh/h, x/ks, y/i)."""
    for written, read in _SOFT:
        token = token.replace(written, read)
    return _REPEATS.sub(r"\1", token)


def spelling_similarity(a: str, b: str) -> float:
    """1 - edits / length of the longer (rigour's own similarity gives 0 past a few edits)."""
    longest = max(len(a), len(b))
    return 1.0 - levenshtein(a, b, max_edits=longest) / longest if longest else 1.0


@lru_cache(maxsize=500_000)
def token_similarity(a: str, b: str, spelling_min: float = 0.5) -> float:
    """1 for the same token; for the same skeleton (a transliteration variant), between
    SKELETON_SIM and SKELETON_SIM + 0.1 by how close the spellings are; else the edit
    similarity of a near typo; 0 below TOKEN_FLOOR.

    A shared skeleton alone is not enough: "Anatoly" and "Natalya" share "ntl". Both must
    start with a vowel or both with a consonant, and the spellings, with the commonest
    transliteration choices undone ("Yury" and "Iurii"), must be alike (`SPELLING_MIN`)."""
    if a == b:
        return 1.0
    # Pinyin is one spelling: "xinyun" is not "xinjun", though y and j are one elsewhere.
    spelled = spelling_similarity(*((a, b) if spelling_min > 1 else (_soft(a), _soft(b))))
    arabic = spelling_min < SPELLING_MIN["other"]
    skel = skeleton(a)
    if (
        skel == skeleton(b)
        and (not arabic or arabic_skeleton(a) == arabic_skeleton(b))
        and (len(skel) >= 2 or min(len(a), len(b)) >= 3)
        and spelled >= (spelling_min if len(skel) >= 2 or arabic else SHORT_SPELLING_MIN)
        and (a[0] in _VOWEL_LETTERS) == (b[0] in _VOWEL_LETTERS)
    ):
        return SKELETON_SIM + 0.1 * spelled
    return spelled if spelled >= TOKEN_FLOOR else 0.0


@dataclass(frozen=True)
class NameMatch:
    score: float
    pairs: tuple[tuple[str, str], ...] = ()  # aligned tokens (query, candidate)
    joined: bool = False  # matched as one word ("wangwei" and "wang wei")
    unmatched: int = 0  # tokens of the longer name left over


def _aligned(query: Sequence[str], candidate: Sequence[str], spelling_min: float) -> NameMatch:
    sims = sorted(
        (
            (token_similarity(q, c, spelling_min), i, j)
            for i, q in enumerate(query)
            for j, c in enumerate(candidate)
        ),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    total, pairs = 0.0, []
    for sim, i, j in sims:
        if sim > 0 and i not in used_q and j not in used_c:
            used_q.add(i)
            used_c.add(j)
            total += sim
            pairs.append((query[i], candidate[j]))
    shorter, longer = sorted((len(query), len(candidate)))
    unmatched = longer - len(pairs)
    if len(pairs) < min(2, shorter):
        return NameMatch(0.0)
    # In Han names a syllable more is another name ("Tang Kai" is not "Tang Kaiping").
    cost = HAN_EXTRA_COST if spelling_min > 1 else EXTRA_TOKEN_COST
    score = total / shorter - min(
        EXTRA_COST_MAX if spelling_min <= 1 else 1.0, cost * (longer - shorter)
    )
    if len(pairs) < shorter:
        score *= len(pairs) / shorter  # a surname or given name found nowhere
    if shorter == 1:
        score = min(score, SINGLE_TOKEN_CAP)
    return NameMatch(max(score, 0.0), tuple(pairs), unmatched=unmatched)


def _joined(query: Sequence[str], candidate: Sequence[str], spelling_min: float) -> NameMatch:
    """The tokens run together, in any order of the candidate's, for names whose word
    boundaries differ between scripts ("Xi Jin Ping" and "Xi Jinping", "Abd Allah" and
    "Abdullah"). Only then: two names of as many words are compared word by word."""
    if len(query) == len(candidate) or max(len(query), len(candidate)) > 4:
        return NameMatch(0.0)
    q = "".join(query)
    q_skeleton = "".join(skeleton(t) for t in query)
    best = 0.0
    for order in permutations(candidate):
        c = "".join(order)
        c_skeleton = "".join(skeleton(t) for t in order)
        if q == c:
            best = 1.0
        elif q_skeleton == c_skeleton and spelling_min <= 1:
            best = max(best, SKELETON_SIM + 0.05)
        elif len(q) >= 8 and abs(len(q) - len(c)) <= 2 and spelling_min <= 1:
            # Pinyin is one spelling: Han names run together match letter for letter only.
            best = max(best, spelling_similarity(q, c))
    best = best if best >= JOINED_FLOOR else 0.0
    return NameMatch(best * 0.97, ((" ".join(query), " ".join(candidate)),), joined=True)


def name_similarity(
    query: Sequence[str], candidate: Sequence[str], spelling_min: float = SPELLING_MIN["other"]
) -> NameMatch:
    if not query or not candidate:
        return NameMatch(0.0)
    aligned = _aligned(query, candidate, spelling_min)
    if aligned.score >= 0.97:
        return aligned
    joined = _joined(query, candidate, spelling_min)
    return joined if joined.score > aligned.score else aligned


@dataclass(frozen=True)
class Subject:
    """What is known of the person screened: names in any scripts, birth date, countries."""

    names: tuple[str, ...]
    birth_date: str = ""  # "1976-06-04", "1976-06" or "1976"
    countries: frozenset[str] = frozenset()  # ISO 3166-1 alpha-2, lower case


@dataclass(frozen=True)
class Candidate:
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()
    tokens: tuple[tuple[str, ...], ...] = ()  # name_tokens of each name, if made already


@dataclass(frozen=True)
class Score:
    score: float
    name_score: float
    reasons: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class Rarity:
    """How many entities of the loaded lists have each name part (`count_keys`), among all
    and within each tradition (`tradition_key`), and how many entities there are: counted
    at load (screening.lists), read with the postings."""

    total: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)

    def key(self, query: str, candidate: str, arabic: bool = False) -> str:
        """The count key of the entities with a part the query's part matches as well as
        this one: letter for letter, those spelled the same; else those of its skeleton
        (the finer one for names in Arabic script)."""
        if _soft(query) == _soft(candidate):
            return spelling_key(query)
        return arabic_key(query) if arabic else token_key(query)

    def share(self, query: str, candidate: str, arabic: bool = False) -> float:
        """The share of all entities with a part the query's part matches as well."""
        return max(self.counts.get(self.key(query, candidate, arabic), 0), 1) / max(self.total, 1)

    def namesakes(
        self, pairs: Sequence[tuple[str, str]], arabic: bool = False, tradition: str = ""
    ) -> float:
        """The number of entities expected to have a name matching as well, if the parts of
        a name were drawn independently within its tradition: over each tradition (and the
        rest), its entities times the product of the parts' shares among them. The
        candidate's own tradition has at least one entity with each part (itself).

        Lists counted before the traditions were have no tradition's entities: all are the
        rest, and this is the estimate over all entities it was."""
        keys = [self.key(q, c, arabic) for q, c in pairs]
        rest_total = self.total
        rest_counts = [self.counts.get(k, 0) for k in keys]
        expected = 0.0
        for name in TRADITIONS:
            entities = self.counts.get(tradition_key(name, TRADITION_TOTAL), 0)
            if not entities:
                continue
            counts = [self.counts.get(tradition_key(name, k), 0) for k in keys]
            rest_total -= entities
            rest_counts = [r - c for r, c in zip(rest_counts, counts, strict=True)]
            expected += _expected(entities, counts, own=name == tradition)
        return expected + _expected(rest_total, rest_counts, own=not tradition)


def _expected(entities: int, counts: Sequence[int], *, own: bool) -> float:
    """Entities times the product of the parts' shares among them; each part counted at
    least once among the candidate's `own` tradition."""
    if entities <= 0:
        return 0.0
    expected = float(entities)
    for count in counts:
        expected *= (max(count, 1) if own else max(count, 0)) / entities
    return expected


BIRTH_SAME_DAY = 0.08
BIRTH_SAME_YEAR = 0.05
BIRTH_CONTRADICTS = 0.25
COUNTRY_AGREES = 0.03
COUNTRY_CONTRADICTS = 0.05


@lru_cache(maxsize=200_000)
def name_script(name: str) -> str:
    """ "han", "arabic" or "other": how loosely two spellings of a name of it compare."""
    if any(_is_han(ch) for ch in name):
        return "han"
    return "arabic" if any(_is_arabic(ch) for ch in name) else "other"


def _spelling_min(subject: Subject, candidate: Candidate) -> float:
    """A person with a name in Han characters is compared strictly in every name (their
    pinyin is one spelling); one with a name in Arabic script loosely."""
    scripts = {name_script(n) for n in (*subject.names, *candidate.names)}
    mode = "han" if "han" in scripts else "arabic" if "arabic" in scripts else "other"
    return SPELLING_MIN[mode]


def _best_name(subject: Subject, candidate: Candidate) -> tuple[NameMatch, str, str]:
    best, best_q, best_c = NameMatch(0.0), "", ""
    spelling_min = _spelling_min(subject, candidate)
    tokens = candidate.tokens or tuple(name_tokens(c) for c in candidate.names)
    for q in subject.names:
        qt = name_tokens(q)
        for c, ct in zip(candidate.names, tokens, strict=True):
            found = name_similarity(qt, ct, spelling_min)
            if found.score > best.score:
                best, best_q, best_c = found, q, c
    return best, best_q, best_c


def _name_reason(match: NameMatch, query: str, candidate: str) -> str:
    how = "run together" if match.joined else "word by word, in any order"
    tokens = ", ".join(a if a == b else f"{a}~{b}" for a, b in match.pairs)
    text = f"name {query!r} matches {candidate!r} {how} ({tokens}), {match.score:.2f}"
    if match.unmatched and not match.joined:
        text += f"; {match.unmatched} name part(s) only on one side"
    return text


def _year(value: str) -> int | None:
    return int(value[:4]) if value[:4].isdigit() else None


def _birth_evidence(subject: Subject, candidate: Candidate) -> tuple[float, str]:
    if not subject.birth_date or not candidate.birth_dates:
        return 0.0, ""
    if len(subject.birth_date) >= 10 and subject.birth_date[:10] in {
        d[:10] for d in candidate.birth_dates
    }:
        return BIRTH_SAME_DAY, f"same birth date {subject.birth_date[:10]}"
    year = _year(subject.birth_date)
    years = {y for d in candidate.birth_dates if (y := _year(d)) is not None}
    if year is None or not years:
        return 0.0, ""
    if year in years:
        return BIRTH_SAME_YEAR, f"same birth year {year}"
    if min(abs(year - y) for y in years) > 1:
        listed = ", ".join(str(y) for y in sorted(years))
        return -BIRTH_CONTRADICTS, f"birth year differs ({year}, list: {listed})"
    return 0.0, f"birth year {year} within a year of the list's"


def _country_evidence(subject: Subject, candidate: Candidate) -> tuple[float, str]:
    if not subject.countries or not candidate.countries:
        return 0.0, ""
    shared = subject.countries & candidate.countries
    if shared:
        return (
            COUNTRY_AGREES,
            f"nationality or country agrees ({', '.join(sorted(shared)).upper()})",
        )
    return -COUNTRY_CONTRADICTS, "no nationality or country in common"


# A name more than COMMON_NAMESAKES other entities are expected to match as well, within
# its tradition (`Rarity.namesakes`), is common: more than one, so that the cost falls
# where a wrong person is likelier than not. Without a birth date agreeing it loses
# COMMON_COST, and COMMON_COST_PER_TENFOLD more for every ten times as many namesakes (at
# most COMMON_COST_MAX); a Han name, whose pinyin many characters write, HAN_COMMON_COST.
# The costs were tuned on the bench's 100,000 entities, seed 12 (bench/README.md gives the
# figures on held-out sets too).
COMMON_NAMESAKES = 1.0
COMMON_COST = 0.08
COMMON_COST_PER_TENFOLD = 0.08
COMMON_COST_MAX = 0.25
HAN_COMMON_COST = 0.2


def _common_cost(namesakes: float, han: bool) -> float:
    if han:
        return HAN_COMMON_COST
    tenfolds = math.log10(namesakes / COMMON_NAMESAKES)
    return min(COMMON_COST + COMMON_COST_PER_TENFOLD * tenfolds, COMMON_COST_MAX)


def _counted_pairs(match: NameMatch) -> list[tuple[str, str]]:
    """The aligned parts; for names run together, each part of the query's, matched letter
    for letter when the whole is."""
    if not match.joined:
        return list(match.pairs)
    query, candidate = match.pairs[0]
    same = _soft(query.replace(" ", "")) == _soft(candidate.replace(" ", ""))
    return [(t, t if same else "") for t in query.split()]


def score(subject: Subject, candidate: Candidate, rarity: Rarity | None = None) -> Score:
    """How likely the candidate is the subject, in [0, 1], and why, in words.

    With the lists' `rarity`, a name that more than COMMON_NAMESAKES other entities are
    expected to match as well (a common given name and a surname whose skeleton many
    have, a pinyin many characters write) is not enough on its own: without the same birth
    date or year on both sides it loses COMMON_COST, more the more namesakes it has."""
    match, query, cand = _best_name(subject, candidate)
    if match.score <= 0:
        return Score(0.0, 0.0, ("no name in common",))
    reasons = [_name_reason(match, query, cand)]
    total = match.score
    birth = _birth_evidence(subject, candidate)
    for weight, why in (birth, _country_evidence(subject, candidate)):
        total += weight
        if why:
            reasons.append(why)
    if rarity is not None and rarity.total and birth[0] <= 0:
        spelling_min = _spelling_min(subject, candidate)
        arabic = spelling_min < SPELLING_MIN["other"]
        tradition = entity_tradition(candidate.names)
        namesakes = rarity.namesakes(_counted_pairs(match), arabic, tradition)
        if namesakes > COMMON_NAMESAKES:
            total -= _common_cost(namesakes, spelling_min > 1)
            reasons.append(
                f"a common name in the lists (about {namesakes:.1f} others expected to match"
                " as well) and no birth date agreeing"
            )
    return Score(round(min(max(total, 0.0), 1.0), 3), round(match.score, 3), tuple(reasons))


def birth_value(value: str) -> str:
    """A birth date as the person record holds it, kept only if it starts with a year."""
    value = value.strip()
    if len(value) >= 4 and value[:4].isdigit():
        try:
            if len(value) >= 10:
                dt.date.fromisoformat(value[:10])
        except ValueError:
            return value[:4]
        return value[:10]
    return ""
