"""JSON API on the controlled vocabularies: codes, labels, definitions, mappings, version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from beyondreach.core.errors import NotFoundError
from beyondreach.vocab.loader import NAMES, Term, vocabulary

router = Router(tags=["vocabularies"])


class MappingsOut(Schema):
    freedom_house: str | None
    huridocs: list[str]


class TermOut(Schema):
    code: str
    category: str
    labels: dict[str, str]
    definitions: dict[str, str]
    mappings: MappingsOut
    retired: bool


class VocabularySummaryOut(Schema):
    name: str
    version: str
    terms: int


class VocabularyOut(Schema):
    name: str
    version: str
    terms: list[TermOut]


def _term(term: Term) -> dict[str, Any]:
    return {
        "code": term.code,
        "category": term.category,
        "labels": term.labels,
        "definitions": term.definitions,
        "retired": term.retired,
        "mappings": {"freedom_house": term.freedom_house, "huridocs": list(term.huridocs)},
    }


@router.get("/vocabularies", response=list[VocabularySummaryOut])
def vocabulary_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"name": v.name, "version": v.version, "terms": len(v.terms)}
        for v in map(vocabulary, NAMES)
    ]


@router.get("/vocabularies/{name}", response=VocabularyOut)
def vocabulary_detail(request: HttpRequest, name: str) -> dict[str, Any]:
    """Every term, retired ones included, so that old records keep their meaning."""
    if name not in NAMES:  # the name becomes a file name: only the known ones
        raise NotFoundError(f"No such vocabulary; one of {', '.join(NAMES)}.")
    vocab = vocabulary(name)
    return {
        "name": vocab.name,
        "version": vocab.version,
        "terms": [_term(t) for t in vocab.terms.values()],
    }
