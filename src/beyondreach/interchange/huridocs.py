"""The slice of the HURIDOCS Micro-thesauri that the `esf` export writes.

`data/huridocs_microthesauri.csv` is copied from the HURIDOCS Micro-thesauri as OpenEvSys
ships them (list, code, English label): the terms our vocabularies map to, the small lists the
export codes from, and the countries of *geographical_terms* with an `iso` column of our own
(alpha-2), matched by name. A code is unique within its list only, so a term is a pair.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "huridocs_microthesauri.csv"


class UnknownHuridocsCode(KeyError):
    """A code that is not a term of its micro-thesaurus: a mapping error, never written."""


@cache
def terms() -> dict[tuple[str, str], str]:
    """(list name, code) -> English label."""
    with DATA.open(encoding="utf-8", newline="") as f:
        return {(r["list_name"], r["huri_code"]): r["english"] for r in csv.DictReader(f)}


@cache
def country_terms() -> dict[str, str]:
    """ISO 3166 alpha-2 -> the country's code in *geographical_terms*."""
    with DATA.open(encoding="utf-8", newline="") as f:
        return {r["iso"]: r["huri_code"] for r in csv.DictReader(f) if r["iso"]}


def term(list_name: str, code: str) -> str:
    """The code itself, once checked to be a term of the list."""
    if (list_name, code) not in terms():
        raise UnknownHuridocsCode(f"{list_name}:{code}")
    return code
