"""Controlled vocabularies, kept as versioned YAML data files in vocab/data/.

A vocabulary file has ``name``, ``version`` (semantic: a removed or re-defined code is a new
major version) and ``terms``; each term has a stable ``code``, a ``category``, ``labels`` and
``definitions`` by language, and mappings: ``freedom_house`` (Freedom House's tactic name)
and ``huridocs`` (HURIDOCS micro-thesaurus codes). Codes never change meaning; a retired
code stays with ``retired: true`` so old records keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"
NAMES = ("tactics", "target_groups", "actor_types", "person_statuses")


@dataclass(frozen=True)
class Term:
    code: str
    category: str
    labels: dict[str, str]
    definitions: dict[str, str]
    freedom_house: str | None = None
    huridocs: tuple[str, ...] = ()
    retired: bool = False

    def label(self, language: str = "en") -> str:
        return self.labels.get(language.split("-")[0]) or self.labels["en"]

    def definition(self, language: str = "en") -> str:
        return self.definitions.get(language.split("-")[0]) or self.definitions.get("en", "")


@dataclass(frozen=True)
class Vocabulary:
    name: str
    version: str
    terms: dict[str, Term] = field(default_factory=dict)

    def choices(self, language: str = "en") -> list[tuple[str, str]]:
        return [(t.code, t.label(language)) for t in self.terms.values() if not t.retired]

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def label(self, code: str, language: str = "en") -> str:
        term = self.terms.get(code)
        return term.label(language) if term else code


@cache
def vocabulary(name: str) -> Vocabulary:
    raw = yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    terms = {
        t["code"]: Term(
            code=t["code"],
            category=t.get("category", ""),
            labels=t["labels"],
            definitions=t.get("definitions", {}),
            freedom_house=t.get("freedom_house"),
            huridocs=tuple(str(c) for c in t.get("huridocs", ())),
            retired=bool(t.get("retired", False)),
        )
        for t in raw["terms"]
    }
    return Vocabulary(name=raw["name"], version=str(raw["version"]), terms=terms)
