"""Finding list entities that may be a subject: indexed retrieval, then scoring.

Retrieval reads the ListKey index (one B-tree, `key, entity`): for each key of the subject's
names, up to KEY_CAP postings in one round trip. A key with more postings than that ("lks",
the skeleton of Aleksei, Alexei, Aleksey) says little and is left out, as long as a rarer one
remains; the entities hit by the most keys, rarest first, are the TOP_K candidates, and
only they are read and scored. A query costs a handful of index range scans, whatever the
number of entities loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count

from beyondreach.screening.matching import (
    Candidate,
    Rarity,
    Score,
    Subject,
    name_keys,
    score,
    subject_count_keys,
)
from beyondreach.screening.models import ListEntity, ListKey, ListTokenCount

KEY_CAP = 2000
TOP_K = 150
PERSON_SCHEMAS = ("Person", "LegalEntity")


@dataclass(frozen=True)
class Found:
    entity_pk: int
    ftm_id: str
    list_name: str
    schema: str
    caption: str
    topics: tuple[str, ...]
    score: Score


def _postings(
    keys: Sequence[str], cap: int, count_keys: Sequence[str] = ()
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Up to cap + 1 entity ids for each key, and the lists' counts of each count key
    (summed over the lists), in one statement. A row says which of the two it is: a
    retrieval key can be spelled like a count key ("c:v", the key of "Wu Wei" and of its
    parts), and read as one it lost its postings and became a count of entity ids."""
    if not keys and not count_keys:
        return {}, {}
    quote = connection.ops.quote_name
    table, key_column = quote(ListKey._meta.db_table), quote("key")
    counts = quote(ListTokenCount._meta.db_table)
    # S608: the tables' and columns' names are ours, quoted; every value is a parameter.
    one = f"SELECT entity_id FROM {table} WHERE {key_column} = %s LIMIT %s"  # noqa: S608
    parts = [
        f"SELECT %s AS k, entity_id AS v, 0 AS c FROM ({one}) AS p{i}"  # noqa: S608
        for i in range(len(keys))
    ]
    params: list[str | int] = []
    for key in keys:
        params += [key, key, cap + 1]
    if count_keys:
        marks = ", ".join(["%s"] * len(count_keys))
        parts.append(
            f"SELECT {quote('key')}, {quote('count')}, 1 FROM {counts} "  # noqa: S608
            f"WHERE {key_column} IN ({marks})"
        )
        params += list(count_keys)
    found: dict[str, list[int]] = defaultdict(list)
    counted: dict[str, int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for key, value, is_count in cursor.fetchall():
            if is_count:
                counted[key] += value
            else:
                found[key].append(value)
    return found, counted


def _frequent_fallback(keys: Sequence[str], limit: int) -> list[int]:
    """Every key is common ("Mohammed Ali"): the entities that have at least two of them."""
    if len(keys) < 2:
        return []
    rows = (
        ListKey.objects.filter(key__in=keys)
        .values("entity")
        .annotate(hits=Count("key"))
        .filter(hits__gte=2)
        .order_by("-hits")[:limit]
    )
    return [row["entity"] for row in rows]


def _candidates(subject: Subject, cap: int, top: int) -> tuple[list[int], Rarity]:
    """The TOP_K candidates' ids, and the rarity of the subject's name parts in the lists."""
    keys = sorted(name_keys(subject.names))
    wanted = sorted(subject_count_keys(subject.names) | {ListTokenCount.TOTAL_KEY})
    postings, counted = _postings(keys, cap, wanted)
    rarity = Rarity(total=counted.pop(ListTokenCount.TOTAL_KEY, 0), counts=counted)
    rare = {k: ids for k, ids in postings.items() if len(ids) <= cap}
    if not rare:
        return _frequent_fallback([k for k in keys if k in postings], top), rarity
    weight: dict[int, float] = defaultdict(float)
    for ids in rare.values():
        # A hit on a rare key counts a little more than one on a common key.
        value = 1.0 + 1.0 / len(ids)
        for entity in ids:
            weight[entity] += value
    return sorted(weight, key=lambda e: -weight[e])[:top], rarity


def candidate_ids(subject: Subject, *, cap: int = KEY_CAP, top: int = TOP_K) -> list[int]:
    return _candidates(subject, cap, top)[0]


def search(
    subject: Subject,
    *,
    threshold: float,
    schemas: Collection[str] = PERSON_SCHEMAS,
    cap: int = KEY_CAP,
    top: int = TOP_K,
) -> list[Found]:
    """The list entities scoring at least `threshold` against the subject, best first."""
    ids, rarity = _candidates(subject, cap, top)
    if not ids:
        return []
    rows = (
        ListEntity.objects.filter(pk__in=ids, schema__in=list(schemas))
        .select_related("public_list")
        .only(
            "ftm_id",
            "schema",
            "caption",
            "names",
            "tokens",
            "birth_dates",
            "countries",
            "topics",
            "public_list__name",
        )
    )
    found = []
    for row in rows:
        candidate = Candidate(
            names=tuple(row.names),
            tokens=tuple(tuple(t) for t in row.tokens),
            birth_dates=tuple(row.birth_dates),
            countries=frozenset(row.countries),
        )
        result = score(subject, candidate, rarity)
        if result.score >= threshold:
            found.append(
                Found(
                    entity_pk=row.pk,
                    ftm_id=row.ftm_id,
                    list_name=row.public_list.name,
                    schema=row.schema,
                    caption=row.caption,
                    topics=tuple(row.topics),
                    score=result,
                )
            )
    return sorted(found, key=lambda f: (-f.score.score, f.ftm_id))
