"""Namesakes counted within a naming tradition, and names whose parts share one key."""

# ruff: noqa: RUF001 - a name in Turkic letters is the point

from __future__ import annotations

from pathlib import Path

import pytest

from beyondreach.screening.index import search
from beyondreach.screening.lists import list_load, token_counts_rebuild
from beyondreach.screening.matching import (
    TRADITION_TOTAL,
    Rarity,
    Subject,
    entity_token_keys,
    entity_tradition,
    spelling_key,
    tradition_key,
)
from beyondreach.screening.models import ListTokenCount
from beyondreach.screening.services import THRESHOLD

from .helpers import list_file, person_line

SURNAMES = "陈杨黄赵吴周徐孙马朱"
GIVEN = ("明华", "军平", "英芳", "敏静")


def _han_list(tmp_path: Path) -> Path:
    """400 entities: 40 Han names, 360 Latin ones of rare names. Among the Han, 刘 (Liu)
    is the surname of 8 and 涛 (Tao) the given name of 8, one of them 刘涛 itself: rare
    among all the entities (0.16 namesakes expected), common among the Han (1.6)."""
    han = ["刘涛"]
    han += [f"刘{GIVEN[i % 4]}" for i in range(7)]
    han += [f"{SURNAMES[i]}涛" for i in range(7)]
    han += [f"{SURNAMES[i % 10]}{GIVEN[i // 10]}" for i in range(25)]
    lines = [
        person_line(f"han-{i}", [name], birthDate=[f"{1950 + i}-01-01"])
        for i, name in enumerate(han)
    ]
    lines += [person_line(f"p{i}", [f"Person Number{i} Filler"]) for i in range(360)]
    return list_file(tmp_path / "l.json", *lines)


@pytest.mark.django_db
def test_a_han_name_common_among_han_names_needs_the_birth_date(tmp_path: Path) -> None:
    list_load(path=_han_list(tmp_path), name="cn")
    assert ListTokenCount.objects.get(key=spelling_key("liu")).count == 8
    assert ListTokenCount.objects.get(key=tradition_key("han", TRADITION_TOTAL)).count == 40

    # Across all 400 entities "Liu Tao" looks rare; among the 40 Han it is not.
    found = search(Subject(("Liu Tao",)), threshold=0.0)
    target = next(f for f in found if f.ftm_id == "han-0")
    assert target.score.score < THRESHOLD
    assert "a common name in the lists" in target.score.reason
    # The birth year on both sides tells the one.
    dated = search(Subject(("Liu Tao",), birth_date="1950"), threshold=THRESHOLD)
    assert [f.ftm_id for f in dated] == ["han-0"]


def test_namesakes_are_counted_within_the_candidates_tradition() -> None:
    counts = {
        spelling_key("liu"): 8,
        spelling_key("tao"): 8,
        tradition_key("han", spelling_key("liu")): 8,
        tradition_key("han", spelling_key("tao")): 8,
        tradition_key("han", TRADITION_TOTAL): 40,
    }
    rarity = Rarity(total=400, counts=counts)
    pairs = [("liu", "liu"), ("tao", "tao")]
    assert rarity.namesakes(pairs, tradition="han") == pytest.approx(40 * 0.2 * 0.2)
    # A list counted before the traditions were: the estimate over all entities.
    assert Rarity(total=400, counts=counts | {tradition_key("han", TRADITION_TOTAL): 0}).namesakes(
        pairs, tradition="han"
    ) == pytest.approx(400 * 0.02 * 0.02)


def test_an_entity_is_of_the_tradition_of_its_script() -> None:
    assert entity_tradition(["习近平", "Xi Jinping"]) == "han"
    assert entity_tradition(["Mohammed bin Salman", "محمد بن سلمان"]) == "arabic"
    assert entity_tradition(["Алексей Навальный"]) == "cyrillic"
    assert entity_tradition(["Çağrı Mapocolı"]) == ""
    keys = entity_token_keys(["习近平"])
    assert {tradition_key("han", TRADITION_TOTAL), tradition_key("han", "=ksi")} <= keys
    assert not any(k.startswith("han/") for k in entity_token_keys(["Ali Veli"]))


@pytest.mark.django_db
def test_a_name_whose_parts_share_one_key_is_retrieved(tmp_path: Path) -> None:
    # "Lei Lei" and "Wu Wei": both parts, and the pair, have the one key "c:l" or "c:v",
    # which is also the count key of each part: the postings must not be read as counts.
    lines = [
        person_line("lei", ["雷磊"], birthDate=["1970-01-01"]),
        person_line("wu", ["吴伟"], birthDate=["1971-01-01"]),
        *(person_line(f"p{i}", [f"Person Number{i} Filler"]) for i in range(20)),
    ]
    list_load(path=list_file(tmp_path / "l.json", *lines), name="cn")
    for name, ftm_id, born in (("Lei Lei", "lei", "1970"), ("Wu Wei", "wu", "1971")):
        found = search(Subject((name,), birth_date=born), threshold=THRESHOLD)
        assert [f.ftm_id for f in found] == [ftm_id]


@pytest.mark.django_db
def test_counting_again_gives_the_counts_of_the_load(tmp_path: Path) -> None:
    public_list = list_load(path=_han_list(tmp_path), name="cn").public_list
    loaded = dict(ListTokenCount.objects.values_list("key", "count"))
    assert token_counts_rebuild(public_list) == 400
    assert dict(ListTokenCount.objects.values_list("key", "count")) == loaded
