"""Likely duplicates on import (issue 11): a target of the file who is recorded already
beyond doubt is named, not made again; one who only looks like a recorded person is made and
listed for review; the dry run says both before anything is written."""

from __future__ import annotations

from django.test import Client

from beyondreach.cases import models as m
from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.services import person_create
from beyondreach.core.services import api_token_create
from beyondreach.interchange.imports import (
    import_create,
    import_plan,
    import_reviews,
    import_run,
    import_start,
)
from beyondreach.interchange.models import ImportJob

from ..conftest import Personas, verified_client

SHEET = (
    "case id,date,origin,tactic,victim,born,nationality\n"
    # Recorded already: every part of the name, in another script, and the birth year.
    "K-1,2024-02-01,China,Detention,Гульнара Давут,1984,China\n"
    # The same name, but born in another year: someone else, maybe; asked about.
    "K-2,2024-03-01,China,Detention,Gulnara Dawut,1991,\n"
    # Nobody like them.
    "K-3,2024-04-01,Iran,Assassination,Reza Karimi,1970,Iran\n"
    "K-4,2024-05-01,Iran,Assassination,Someone,not a year,Iran\n"
).encode()


def _recorded(personas: Personas) -> m.Person:
    gulnara = PersonData(
        names=[NameData("Gulnara Dawut")], birth_date="1984-03-02", nationalities=["CN"]
    )
    return person_create(actor=personas.case_worker, data=gulnara)


def _job(personas: Personas) -> ImportJob:
    return import_create(actor=personas.case_worker, fmt="csv", filename="k.csv", content=SHEET)


def test_the_dry_run_says_who_is_recorded_already_and_who_to_review(
    personas: Personas,
) -> None:
    _recorded(personas)
    job = _job(personas)
    assert job.mapping["born"] == "target_birth"
    assert job.mapping["nationality"] == "target_nationality"
    plan = import_plan(job)
    assert (plan.count("create"), plan.linked(), plan.flagged()) == (3, 1, 1)
    errors = {(e.row, e.column, e.value, e.why) for e in plan.errors()}
    assert (5, "born", "not a year", "Not a birth date: write YYYY or YYYY-MM-DD.") in errors
    assert m.Person.objects.count() == 1  # nothing written


def test_the_run_names_the_recorded_person_and_lists_the_look_alike(
    personas: Personas,
) -> None:
    gulnara = _recorded(personas)
    job = _job(personas)
    import_start(actor=personas.case_worker, job=job)
    job = import_run(job.pk)
    assert (job.created, job.rejected, job.linked) == (3, 1, 1)
    assert gulnara.targetings.count() == 1  # K-1 names her
    assert m.Person.objects.count() == 3  # she, the look-alike of K-2, Reza Karimi

    [review] = import_reviews(job)
    assert review.row == 3
    assert review.person.names.get().value == "Gulnara Dawut"
    assert review.person != gulnara
    [(candidate, why)] = review.candidates
    assert candidate == gulnara
    assert why == ["every part of the name matches", "but born in 1984, not 1991"]

    page = verified_client(personas.case_worker).get(f"/imports/{job.uuid}/")
    html = page.content.decode()
    assert "Persons to review" in html and "but born in 1984, not 1991" in html
    assert f"/persons/{gulnara.uuid}/" in html and f"/persons/{review.person.uuid}/" in html
    token = api_token_create(user=personas.case_worker, label="test")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    body = api.get(f"/api/v1/imports/{job.uuid}").json()
    assert body["persons_linked"] == 1
    assert body["persons_to_review"] == [
        {
            "row": 3,
            "person": str(review.person.uuid),
            "candidates": [str(gulnara.uuid)],
            "why": [["every part of the name matches", "but born in 1984, not 1991"]],
        }
    ]
