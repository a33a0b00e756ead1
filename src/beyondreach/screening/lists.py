"""Loading public lists: FollowTheMoney entities as JSON lines, as OpenSanctions publishes
them (sanctions, INTERPOL's public Red Notices, terrorist designations).

Each line is read by FtM's own model, which cleans every value by its type; only legal
entities (persons, organisations, companies...) are kept, not the sanctions, addresses or
ownerships between them. A reload of a list of the same name replaces it in place, in one
transaction: a load that fails on any line, or a process killed half way, leaves the list
as it was. No request leaves the server: the file is read from the local disk.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy

from beyondreach.accountability.sanctions import sanctions_store
from beyondreach.core.errors import ApplicationError
from beyondreach.screening.matching import entity_token_keys, name_keys, name_tokens
from beyondreach.screening.models import ListEntity, ListKey, ListTokenCount, PublicList

BATCH = 2000
NAMES_MAX = 40  # an entity with more names (translations into 24 languages) keeps these
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
COUNTRY_PROPS = ("nationality", "citizenship", "country")
_NAME_RE = re.compile(r"[^a-z0-9_-]+")


class ListFileError(ApplicationError):
    pass


@dataclass(frozen=True)
class ParsedEntity:
    ftm_id: str
    schema: str
    caption: str
    names: list[str]
    birth_dates: list[str]
    countries: list[str]
    topics: list[str]
    datasets: list[str]


def _composed_names(proxy: EntityProxy) -> list[str]:
    """Names put together from their parts, for lists that give only the parts."""
    firsts = proxy.get("firstName", quiet=True)[:3]
    lasts = proxy.get("lastName", quiet=True)[:3]
    middles = (proxy.get("middleName", quiet=True) + proxy.get("fatherName", quiet=True))[:1]
    return [" ".join([f, *middles, last]) for f in firsts for last in lasts]


def entity_parse(data: dict[str, Any]) -> ParsedEntity | None:
    """One line's entity, or None when it is not a legal entity (a Sanction, an Address)."""
    proxy = model.get_proxy(data, cleaned=False)
    if not proxy.schema.is_a("LegalEntity"):
        return None
    names: list[str] = []
    for prop in NAME_PROPS:
        names.extend(proxy.get(prop, quiet=True))
    names.extend(_composed_names(proxy))
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))[:NAMES_MAX]
    return ParsedEntity(
        ftm_id=str(proxy.id),
        schema=proxy.schema.name,
        caption=proxy.caption[:500],
        names=names,
        birth_dates=sorted(set(proxy.get("birthDate", quiet=True))),
        countries=sorted({c for p in COUNTRY_PROPS for c in proxy.get(p, quiet=True)}),
        topics=sorted(set(proxy.get("topics", quiet=True))),
        datasets=sorted(str(d) for d in data.get("datasets", []) or []),
    )


def entities_read(lines: Iterable[str]) -> Iterator[ParsedEntity]:
    """The file's legal entities with a name, each id once (a repeated id: the first)."""
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entity = entity_parse(json.loads(line))
        except (ValueError, TypeError, KeyError, FollowTheMoneyException) as exc:
            # The line number only: a list's content is public, but not worth a log line.
            raise ListFileError(f"Line {number} is not a FollowTheMoney entity.") from exc
        if entity is not None and entity.names and entity.ftm_id not in seen:
            seen.add(entity.ftm_id)
            yield entity


def list_name_from(path: Path) -> str:
    stem = path.name.split(".")[0].lower()
    return _NAME_RE.sub("-", stem).strip("-")[:80] or "list"


@dataclass(frozen=True)
class LoadResult:
    public_list: PublicList
    loaded: int
    unchanged: bool = False


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def list_load(*, path: Path, name: str | None = None, force: bool = False) -> LoadResult:
    """Load the file as the list `name` (by default from the file's name), replacing an
    earlier load of that list in one transaction. The same file again changes nothing."""
    name = name or list_name_from(path)
    if not re.fullmatch(r"[a-z0-9_-]{1,80}", name):
        raise ListFileError("A list name is 1 to 80 of a-z, 0-9, - and _.")
    sha = file_sha256(path)
    with transaction.atomic():
        public_list, created = PublicList.objects.select_for_update().get_or_create(
            name=name, defaults={"sha256": sha, "loaded_at": timezone.now()}
        )
        if not created and public_list.sha256 == sha and not force:
            return LoadResult(public_list, public_list.entity_count, unchanged=True)
        if not created:
            # Keys first: their link to the entity does nothing on delete (models.py).
            ListKey.objects.filter(public_list=public_list).delete()
            ListEntity.objects.filter(public_list=public_list).delete()
            ListTokenCount.objects.filter(public_list=public_list).delete()
            public_list.version += 1
        with path.open(encoding="utf-8") as lines:
            loaded = entities_store(public_list, entities_read(lines))
        with path.open(encoding="utf-8") as lines:
            sanctions_store(public_list, lines)  # dates for the perpetrators' page
        public_list.sha256, public_list.entity_count = sha, loaded
        public_list.loaded_at = timezone.now()
        public_list.save()
    return LoadResult(public_list, loaded)


def entities_store(public_list: PublicList, entities: Iterable[ParsedEntity]) -> int:
    """Insert entities and their match keys in batches, in the caller's transaction; then
    how many entities have each name part (the rarity the scorer weighs parts by)."""
    iterator = iter(entities)
    total = 0
    counts: Counter[str] = Counter()
    while batch := list(islice(iterator, BATCH)):
        rows = ListEntity.objects.bulk_create(
            [
                ListEntity(
                    public_list=public_list,
                    ftm_id=e.ftm_id,
                    schema=e.schema,
                    caption=e.caption,
                    names=e.names,
                    tokens=[list(name_tokens(n)) for n in e.names],
                    birth_dates=e.birth_dates,
                    countries=e.countries,
                    topics=e.topics,
                    datasets=e.datasets,
                )
                for e in batch
            ]
        )
        ListKey.objects.bulk_create(
            [
                ListKey(public_list=public_list, entity_id=row.pk, key=key)
                for row, e in zip(rows, batch, strict=True)
                for key in sorted(name_keys(e.names))
            ],
            batch_size=BATCH * 4,
        )
        for row in rows:
            counts.update(entity_token_keys(row.names, row.tokens))
        total += len(batch)
    counts[ListTokenCount.TOTAL_KEY] = total
    ListTokenCount.objects.bulk_create(
        (ListTokenCount(public_list=public_list, key=k, count=n) for k, n in counts.items()),
        batch_size=BATCH * 4,
    )
    return total


def token_counts_rebuild(public_list: PublicList) -> int:
    """Count the name parts of a loaded list again, from its stored names, replacing its
    counts in one transaction: for a list loaded before the count keys changed (the
    benchmark's million, reused; `matching.entity_token_keys`). The entities' number."""
    counts: Counter[str] = Counter()
    entities = ListEntity.objects.filter(public_list=public_list)
    for names, tokens in entities.values_list("names", "tokens").iterator(chunk_size=BATCH):
        counts.update(entity_token_keys(names, tokens))
    counts[ListTokenCount.TOTAL_KEY] = entities.count()
    with transaction.atomic():
        ListTokenCount.objects.filter(public_list=public_list).delete()
        ListTokenCount.objects.bulk_create(
            (ListTokenCount(public_list=public_list, key=k, count=n) for k, n in counts.items()),
            batch_size=BATCH * 4,
        )
    return counts[ListTokenCount.TOTAL_KEY]
