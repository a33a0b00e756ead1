"""Canary strings and the search for them in raw bytes.

A canary is a random string planted in one identifying field. If it is ever found in a
database file, a WAL segment, a dump or a log, in any of the encodings below, that field was
stored or written in the clear. The strings are fresh on every run, so a hit cannot come
from an earlier run's leftovers unless that run leaked too.

Nothing here imports Django: the module is also used by the subprocess that writes a real
SQLite file (see plant.py).
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable, Mapping

from anyascii import anyascii

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюя"
ARABIC = "".join(chr(c) for c in range(0x0628, 0x063B))  # ب .. غ
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FA5


def _pick(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def ascii_canary() -> str:
    return "CANARY-" + secrets.token_hex(8)


def cyrillic_canary() -> str:
    return "КАНАРЕЙКА-" + _pick(CYRILLIC, 10)


def _cjk(n: int) -> str:
    return "".join(chr(CJK_FIRST + secrets.randbelow(CJK_LAST - CJK_FIRST)) for _ in range(n))


def chinese_canary() -> str:
    return "金丝雀" + _cjk(8)


def latin_name() -> str:
    return f"{_pick(LATIN, 9).capitalize()} {_pick(LATIN, 11).capitalize()}"


def cyrillic_name() -> str:
    return f"{_pick(CYRILLIC, 8).capitalize()} {_pick(CYRILLIC, 10).capitalize()}"


def chinese_name() -> str:
    return _cjk(6)


def arabic_name() -> str:
    return f"{_pick(ARABIC, 7)} {_pick(ARABIC, 9)}"


def coordinates() -> str:
    # Ten decimals: unique enough to be a canary, and the shape a precise place really has.
    return f"41.{secrets.randbelow(10**10):010d},28.{secrets.randbelow(10**10):010d}"


def notice_reference() -> str:
    return f"A-{secrets.randbelow(10**7):07d}/{secrets.randbelow(10**5):05d}-2024"


def source_url() -> str:
    return f"https://news.example.org/{secrets.token_hex(10)}"


def email() -> str:
    return f"canary-{secrets.token_hex(8)}@example.org"


def fresh(version: str) -> dict[str, str]:
    """One canary per planted value, keyed by where it is planted."""
    return {
        f"{version} incident.title": ascii_canary(),
        f"{version} incident.narrative (Cyrillic)": cyrillic_canary(),
        f"{version} incident.narrative (Chinese)": chinese_canary(),
        f"{version} incident.place": chinese_canary(),
        f"{version} incident.coordinates": coordinates(),
        f"{version} incident.verification_reason": ascii_canary(),
        f"{version} incident.scope_reason": ascii_canary(),
        f"{version} primary name (Latn)": latin_name(),
        f"{version} primary name (Cyrl)": cyrillic_name(),
        f"{version} primary name (Hans)": chinese_name(),
        f"{version} primary name (Arab)": arabic_name(),
        f"{version} relative name (Latn)": latin_name(),
        f"{version} person.birth_date": ascii_canary(),
        f"{version} person.contact": email(),
        f"{version} person.risk_notes": cyrillic_canary(),
        f"{version} mechanism.reference (Red Notice)": notice_reference(),
        f"{version} source.reference (URL)": source_url(),
        f"{version} source.publisher": cyrillic_canary(),
        f"{version} actor.name": chinese_canary(),
        f"{version} group.description": cyrillic_canary(),
        f"{version} organisation.name": ascii_canary(),
        f"{version} response.description": ascii_canary(),
    }


def name_token_canaries(canaries: Mapping[str, str]) -> dict[str, str]:
    """The transliterated tokens of every planted name, long enough to be canaries themselves.

    The blind index works on these tokens; storing one in the clear would leak the name even
    though the name itself is sealed.
    """
    found: dict[str, str] = {}
    for label, text in canaries.items():
        if " name (" not in label:
            continue
        words = [w.lower() for w in anyascii(text).replace("'", "").split()]
        for token in {*words, "".join(words)}:
            if len(token) >= 8:
                found[f"{label} token {token!r}"] = token
    return found


def encodings(text: str) -> dict[str, bytes]:
    """The byte patterns under which `text` could sit in a file or a dump.

    - UTF-8: SQLite TEXT, PostgreSQL text and jsonb, logs.
    - UTF-16 (both byte orders): SQLite databases created with a UTF-16 encoding, and
      anything that serialises Windows-style strings.
    - hex, both cases: PostgreSQL prints bytea as ``\\x..`` hex in pg_dump and in logs.
    - base64 at each of the three alignments: a value embedded anywhere in a longer base64
      string (JSON blobs, exports) is found by its stable middle part.
    - JSON ``\\u`` escapes: json.dumps escapes non-ASCII by default, and Django's JSONField
      on SQLite stores text written that way.
    """
    raw = text.encode()
    forms = {
        "UTF-8": raw,
        "UTF-16-LE": text.encode("utf-16-le"),
        "UTF-16-BE": text.encode("utf-16-be"),
        "hex": raw.hex().encode(),
        "HEX": raw.hex().upper().encode(),
    }
    for shift in range(3):
        # A prefix of k bytes puts the first whole 3-byte group at canary byte (3 - k) % 3.
        chunk = raw[shift:]
        chunk = chunk[: len(chunk) // 3 * 3]
        forms[f"base64 (offset {shift})"] = base64.b64encode(chunk)
        forms[f"base64url (offset {shift})"] = base64.urlsafe_b64encode(chunk)
    if not text.isascii():
        forms["JSON \\u escapes"] = json.dumps(text)[1:-1].encode()
    return forms


def patterns(canaries: Mapping[str, str]) -> list[tuple[str, bytes]]:
    """(description, bytes) for every canary in every encoding, duplicates removed."""
    seen: dict[bytes, str] = {}
    for label, text in canaries.items():
        for form, pattern in encodings(text).items():
            seen.setdefault(pattern, f"{label} ({form})")
    return [(description, pattern) for pattern, description in seen.items()]


def find(blob: bytes, canaries: Mapping[str, str], where: str) -> list[str]:
    """Every canary found in `blob`, as 'label (encoding) in where'."""
    return find_all([(where, blob)], canaries)


def find_all(blobs: Iterable[tuple[str, bytes]], canaries: Mapping[str, str]) -> list[str]:
    wanted = patterns(canaries)
    return [
        f"{what} in {where}" for where, blob in blobs for what, pattern in wanted if pattern in blob
    ]
