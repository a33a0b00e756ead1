"""The matcher across scripts, transliterations, name order and missing parts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondreach.screening.index import search
from beyondreach.screening.lists import list_load
from beyondreach.screening.matching import (
    Candidate,
    Subject,
    name_keys,
    name_tokens,
    score,
    spelling_key,
)
from beyondreach.screening.models import ListTokenCount
from beyondreach.screening.services import THRESHOLD

from .helpers import DATA, T1, list_file, person_line

PAIRS = list(csv.DictReader((DATA / "cross_script_pairs.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p['kind']}:{p['query']}" for p in PAIRS])
def test_it_scores_a_labelled_pair_on_the_right_side_of_the_threshold(
    pair: dict[str, str],
) -> None:
    result = score(Subject((pair["query"],)), Candidate((pair["candidate"],)))
    assert (result.score >= THRESHOLD) == (pair["same"] == "1"), result.reason


def test_xi_jinping_matches_his_name_in_chinese() -> None:
    assert name_tokens("习近平") == name_tokens("Xi Jinping") == ("xi", "jinping")
    assert name_keys(["习近平"]) == name_keys(["Xi Jinping"])
    assert score(Subject(("Xi Jinping",)), Candidate(("习近平",))).score == 1.0


def test_navalny_is_the_same_in_every_spelling() -> None:
    spellings = ["Aleksei Navalny", "Алексей Навальный", "Alexei Navalny", "Aleksej Naval'nyj"]
    keys = [name_keys([s]) for s in spellings]
    assert all(k == keys[0] for k in keys)


def test_the_reason_says_which_names_matched_and_the_evidence() -> None:
    result = score(
        Subject(("Alexei Navalny",), birth_date="1976-06-04", countries=frozenset({"ru"})),
        Candidate(("Алексей Навальный",), birth_dates=("1976-06-04",), countries=frozenset({"ru"})),
    )
    assert result.score == 1.0
    assert "'Alexei Navalny' matches 'Алексей Навальный'" in result.reason
    assert "alexei~aleksei" in result.reason
    assert "same birth date 1976-06-04" in result.reason
    assert "nationality or country agrees (RU)" in result.reason


def test_a_different_birth_year_takes_a_namesake_below_the_threshold() -> None:
    namesake = Candidate(("Алексей Навальный",), birth_dates=("1950",))
    result = score(Subject(("Alexei Navalny",), birth_date="1976"), namesake)
    assert result.score < THRESHOLD
    assert "birth year differs (1976, list: 1950)" in result.reason


def test_a_single_name_never_reaches_the_threshold() -> None:
    assert score(Subject(("Navalny",)), Candidate(("Алексей Навальный",))).score < THRESHOLD


@pytest.mark.django_db
def test_retrieval_reads_the_index_in_two_queries_whatever_the_list_size(tmp_path: Path) -> None:
    many = [person_line(f"p{i}", [f"Person Number{i} Filler"]) for i in range(300)]
    target = person_line("nav", ["Алексей Анатольевич Навальный"], birthDate=["1976-06-04"])
    list_load(path=list_file(tmp_path / "l.json", *many, target), name="big")
    list_load(path=T1, name="eu-fsf")
    subject = Subject(("Navalny Alexei",), birth_date="1976-06-04")
    with CaptureQueriesContext(connection) as queries:
        found = search(subject, threshold=THRESHOLD)
    assert len(queries) == 2  # the postings in one statement, then the candidates' rows
    assert [f.ftm_id for f in found] == ["nav"]
    assert found[0].list_name == "big"


@pytest.mark.django_db
def test_a_name_many_list_entities_share_needs_the_birth_date(tmp_path: Path) -> None:
    # Twelve persons written 王伟 and 汪炜 ("Wang Wei" both) and one Xi Jinping, among
    # others of rare names: how many share a name part is counted at load.
    wangs = [
        person_line(f"wang-{i}", ["王伟" if i % 2 else "汪炜"], birthDate=[f"{1950 + i}-03-01"])
        for i in range(12)
    ]
    others = [person_line(f"p{i}", [f"Person Number{i} Filler"]) for i in range(30)]
    xi = person_line("xi", ["习近平"], birthDate=["1953-06-15"])
    list_load(path=list_file(tmp_path / "l.json", *wangs, *others, xi), name="cn")
    assert ListTokenCount.objects.get(key=spelling_key("wang")).count == 12
    assert ListTokenCount.objects.get(key=ListTokenCount.TOTAL_KEY).count == 43

    # Without a birth date, "Wang Wei" is any of the twelve: none alerts.
    found = search(Subject(("Wang Wei",)), threshold=0.0)
    assert len([f for f in found if f.ftm_id.startswith("wang-")]) == 12
    assert all(f.score.score < THRESHOLD for f in found)
    assert "a common name in the lists" in found[0].score.reason
    # With the birth year, the one born that year does.
    dated = search(Subject(("Wang Wei",), birth_date="1955"), threshold=THRESHOLD)
    assert [f.ftm_id for f in dated] == ["wang-5"]
    # A name only one entity has needs nothing more, in either script.
    assert [f.ftm_id for f in search(Subject(("Xi Jinping",)), threshold=THRESHOLD)] == ["xi"]

    # A reload counts the new file only.
    list_load(path=list_file(tmp_path / "l2.json", *wangs[:3], xi), name="cn")
    assert ListTokenCount.objects.get(key=spelling_key("wang")).count == 3
    assert ListTokenCount.objects.get(key=ListTokenCount.TOTAL_KEY).count == 4
