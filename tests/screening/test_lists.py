"""`beyondreach lists load`: FtM lines into the local index, reloaded in place."""

# ruff: noqa: RUF001 - names in Cyrillic are what these tests are about

from __future__ import annotations

from pathlib import Path

import pytest

from beyondreach.cli import main
from beyondreach.screening.lists import ListFileError, list_load
from beyondreach.screening.models import ListEntity, ListKey, PublicList

from .helpers import NAMESAKE, NOTICE, T1, UNRELATED, list_file

pytestmark = pytest.mark.django_db


def test_it_loads_the_legal_entities_of_an_opensanctions_file() -> None:
    result = list_load(path=T1, name="eu-fsf")
    # Five persons and two organisations; the Address line is not a legal entity.
    assert result.loaded == 6
    people = ListEntity.objects.filter(public_list=result.public_list, schema="Person")
    assert people.count() == 4
    kuzmenko = ListEntity.objects.get(ftm_id="NK-2Ka3UvopqbpZmVDFjWd4LA")
    assert "Виталий Юрьевич КУЗЬМЕНКО" in kuzmenko.names
    assert "Виталий КУЗЬМЕНКО" in kuzmenko.names  # put together from first and last names
    assert kuzmenko.birth_dates == ["1971-01-22"]
    assert kuzmenko.countries == ["ru"]
    assert kuzmenko.topics == ["sanction"]
    assert kuzmenko.datasets == ["eu_fsf"]
    keys = set(ListKey.objects.filter(entity=kuzmenko).values_list("key", flat=True))
    assert "ksmnk|vtl" in keys  # "Vitaly Kuzmenko", "Виталий Кузьменко", "Kuzmenko Vitalij"


def test_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    first = list_load(path=T1, name="eu-fsf")
    again = list_load(path=T1, name="eu-fsf")
    assert again.unchanged and again.public_list.version == first.public_list.version == 1
    assert ListEntity.objects.count() == 6


def test_a_newer_file_replaces_the_list_in_place(tmp_path: Path) -> None:
    list_load(path=list_file(tmp_path / "v1.json", NOTICE, NAMESAKE), name="red")
    other = list_load(path=T1, name="eu-fsf")
    result = list_load(path=list_file(tmp_path / "v2.json", NOTICE, UNRELATED), name="red")
    assert result.public_list.version == 2 and result.loaded == 2
    ids = set(ListEntity.objects.filter(public_list__name="red").values_list("ftm_id", flat=True))
    assert ids == {NOTICE["id"], UNRELATED["id"]}
    assert (
        not ListKey.objects.filter(public_list__name="red")
        .exclude(entity__public_list__name="red")
        .exists()
    )
    assert ListKey.objects.filter(public_list=other.public_list).count() > 0  # untouched
    assert ListEntity.objects.filter(public_list=other.public_list).count() == 6


def test_a_file_failing_half_way_leaves_the_old_list(tmp_path: Path) -> None:
    list_load(path=list_file(tmp_path / "v1.json", NOTICE, NAMESAKE), name="red")
    broken = list_file(tmp_path / "v2.json", UNRELATED)
    broken.write_text(broken.read_text() + '{"id": "x", "schema": "NoSuchSchema"}\n')
    with pytest.raises(ListFileError, match="Line 2"):
        list_load(path=broken, name="red")
    red = PublicList.objects.get(name="red")
    assert red.version == 1 and red.entity_count == 2
    ids = set(ListEntity.objects.filter(public_list=red).values_list("ftm_id", flat=True))
    assert ids == {NOTICE["id"], NAMESAKE["id"]}


def test_the_command_loads_and_screens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = list_file(tmp_path / "interpol-red.ftm.json", NOTICE)
    assert main(["lists", "load", str(path)]) == 0
    out = capsys.readouterr().out
    assert "List interpol-red (version 1): 1 entities loaded" in out
    assert "Screening: 0 persons in 0 organisations, 0 new matches" in out
    assert main(["lists", "load", str(path), "--name", "interpol-red"]) == 0
    assert "already loaded" in capsys.readouterr().out


def test_the_command_refuses_a_bad_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text("not json\n")
    assert main(["lists", "load", str(path)]) == 1
    assert capsys.readouterr().err.strip() == "error: Line 1 is not a FollowTheMoney entity."
