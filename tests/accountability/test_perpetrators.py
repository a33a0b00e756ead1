"""Perpetrators as entities (issue 12, item 3): recorded once with names in several scripts,
sealed and found through the blind index, linked to incidents with role, period, evidence
and sources; analysts and viewers see the coded parts only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beyondreach.accountability.perpetrator_models import PerpetratorLink
from beyondreach.accountability.perpetrators import (
    LinkData,
    PerpetratorData,
    PerpetratorNameData,
    access_perpetrator,
    link_sources,
    perpetrator_edit,
    perpetrator_ids_matching,
    perpetrator_link,
    perpetrator_unlink,
)
from beyondreach.cases.inputs import SourceData
from beyondreach.cases.services import incident_update
from beyondreach.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from beyondreach.core.models import AuditEvent

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client
from .perpetrator_helpers import CYRILLIC, LATIN, incident, link, official


def test_names_in_two_scripts_are_found_by_either_and_by_another_spelling(
    personas: Personas,
) -> None:
    perpetrator = official(personas.case_worker)
    other = official(personas.case_worker, names=[PerpetratorNameData("Ivan Petrov")])
    for query in ("Захаров", "zakharov", "Zaharov Aleksandr", "Alexander"):
        assert perpetrator_ids_matching(personas.case_worker, query) == [perpetrator.pk], query
    assert perpetrator_ids_matching(personas.case_worker, "Петров") == [other.pk]
    assert perpetrator_ids_matching(personas.outsider, "Zakharov") == []
    with pytest.raises(PermissionDeniedError):
        perpetrator_ids_matching(personas.analyst, "Zakharov")


def test_names_position_notes_and_birth_date_are_sealed_at_rest(personas: Personas) -> None:
    official(personas.case_worker)
    with connection.cursor() as cursor:
        for table in ("accountability_perpetrator", "accountability_perpetratorname"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
            dump = repr(cursor.fetchall())
            for secret in ("Zakharov", "Захаров", "CANARY", "1965-09-21"):
                assert secret not in dump and secret.encode().hex() not in dump


def test_bad_input_names_each_field_and_only_writers_write(personas: Personas) -> None:
    with pytest.raises(InvalidInputError) as caught:
        official(personas.case_worker, kind="ghost", state="XX", names=[], birth_date="1965/9")
    assert set(caught.value.errors) == {"kind", "state", "names", "birth_date"}
    with pytest.raises(PermissionDeniedError):
        official(personas.analyst)


def test_another_organisation_neither_reads_nor_edits_it(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    with pytest.raises(NotFoundError):
        access_perpetrator(personas.outsider, perpetrator.uuid)
    with pytest.raises(NotFoundError):
        perpetrator_edit(
            actor=personas.outsider,
            perpetrator=perpetrator,
            data=PerpetratorData(kind="official", state="RU", names=[PerpetratorNameData("X")]),
        )


def test_an_edit_reindexes_the_names(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    perpetrator_edit(
        actor=personas.case_worker,
        perpetrator=perpetrator,
        data=PerpetratorData(
            kind="official", state="RU", names=[PerpetratorNameData("Ivan Petrov", "Latn")]
        ),
    )
    assert perpetrator_ids_matching(personas.case_worker, "Zakharov") == []
    assert perpetrator_ids_matching(personas.case_worker, "Петров") == [perpetrator.pk]
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("perpetrator.create") == 1 and "perpetrator.update" in actions


def test_a_link_keeps_role_period_evidence_and_its_sources_across_an_incident_edit(
    personas: Personas,
) -> None:
    perpetrator = official(personas.case_worker)
    detention = incident(personas.case_worker, "Detention at Istanbul airport")
    link(personas.case_worker, perpetrator, detention, sources=1)
    row = PerpetratorLink.objects.get()
    assert (row.role, row.period_from, row.from_precision) == (
        "perpetrator",
        dt.date(2023, 1, 1),
        "month",
    )
    assert "court file" in row.evidence
    # An edit of the incident replaces its source rows; the link still names the one it cited.
    edited = incident_data(
        title="Detention at Istanbul airport",
        sources=[
            SourceData(reference="https://news.example.org/detention", reliability="reliable")
        ],
    )
    incident_update(actor=personas.case_worker, incident=detention, data=edited)
    row.refresh_from_db()
    [(reference, source)] = link_sources(row)
    assert reference == "https://news.example.org/detention" and source is not None
    assert "perpetrator.link" in AuditEvent.objects.values_list("action", flat=True)


def test_a_link_refuses_another_organisation_s_incident_a_foreign_source_and_a_reversed_period(
    personas: Personas,
) -> None:
    perpetrator = official(personas.case_worker)
    mine = incident(personas.case_worker, "Mine")
    theirs = incident(personas.outsider, "Theirs")
    with pytest.raises(InvalidInputError) as caught:
        perpetrator_link(
            actor=personas.case_worker,
            perpetrator=perpetrator,
            data=LinkData(
                incident_uuid=mine.uuid,
                role="ringleader",
                period_from=dt.date(2024, 1, 1),
                period_to=dt.date(2023, 1, 1),
                source_uuids=[theirs.sources.all()[0].uuid],
            ),
        )
    assert set(caught.value.errors) == {"role", "period_to", "sources"}
    with pytest.raises(InvalidInputError) as caught:
        perpetrator_link(
            actor=personas.case_worker,
            perpetrator=perpetrator,
            data=LinkData(incident_uuid=theirs.uuid, role="perpetrator"),
        )
    assert set(caught.value.errors) == {"incident"}


def test_unlinking_is_audited_and_only_for_writers(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    link(personas.case_worker, perpetrator, incident(personas.case_worker, "One"))
    row = PerpetratorLink.objects.get()
    with pytest.raises(PermissionDeniedError):
        perpetrator_unlink(
            actor=personas.viewer, perpetrator=perpetrator, incident_uuid=row.incident.uuid
        )
    client = verified_client(personas.case_worker)
    for _ in range(2):  # once unlinked, again changes nothing
        answer = client.post(
            f"/perpetrators/{perpetrator.uuid}/unlink/", {"incident": str(row.incident.uuid)}
        )
        assert answer.status_code == 302
    assert not PerpetratorLink.objects.exists()
    assert AuditEvent.objects.filter(action="perpetrator.unlink").count() == 1
    assert "perpetrator.unlink" in AuditEvent.objects.values_list("action", flat=True)


def test_the_list_searches_by_name_without_javascript(personas: Personas) -> None:
    official(personas.case_worker)
    official(personas.case_worker, names=[PerpetratorNameData("Ivan Petrov")])
    client = verified_client(personas.case_worker)
    page = client.get("/perpetrators/", {"q": "Захаров"}).content.decode()
    assert LATIN in page and "Ivan Petrov" not in page
    page = client.get("/perpetrators/").content.decode()
    assert LATIN in page and "Ivan Petrov" in page


def test_an_analyst_sees_the_coded_parts_and_no_name_note_or_evidence(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    detention = incident(personas.case_worker, "Detention at Istanbul airport")
    link(personas.case_worker, perpetrator, detention)
    for user in (personas.analyst, personas.viewer):
        client = verified_client(user)
        listing = client.get("/perpetrators/", {"q": "Zakharov"}).content.decode()
        page = client.get(f"/perpetrators/{perpetrator.uuid}/").content.decode()
        for text in (listing, page):
            assert "Zakharov" not in text and CYRILLIC not in text and "CANARY" not in text
        assert "Official" in page and "Russia" in page and "Perpetrator, 2023-01-01" in page
        assert str(detention.uuid) in page and "Detention at Istanbul" not in page
    page = verified_client(personas.case_worker).get(f"/perpetrators/{perpetrator.uuid}/")
    text = page.content.decode()
    assert CYRILLIC in text and "CANARY-evidence" in text and "news.example.org/detention" in text
    assert AuditEvent.objects.filter(action="perpetrator.view").count() == 1  # the case worker


def test_the_page_s_queries_do_not_grow_with_its_incidents(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    client = verified_client(personas.case_worker)
    link(personas.case_worker, perpetrator, incident(personas.case_worker, "One"))
    client.get(f"/perpetrators/{perpetrator.uuid}/")  # caches warmed (keys, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/perpetrators/{perpetrator.uuid}/").status_code == 200
    for title in ("Two", "Three", "Four"):
        link(personas.case_worker, perpetrator, incident(personas.case_worker, title))
    with CaptureQueriesContext(connection) as four:
        assert client.get(f"/perpetrators/{perpetrator.uuid}/").status_code == 200
    assert len(four) == len(one)


def test_the_list_s_queries_do_not_grow_with_its_rows(personas: Personas) -> None:
    client = verified_client(personas.case_worker)
    official(personas.case_worker)
    client.get("/perpetrators/")
    with CaptureQueriesContext(connection) as one:
        client.get("/perpetrators/", {"q": "Zakharov"})
    for _ in range(3):
        official(personas.case_worker)
    with CaptureQueriesContext(connection) as four:
        page = client.get("/perpetrators/", {"q": "Zakharov"})
    assert page.content.decode().count(LATIN) == 4
    assert len(four) == len(one)


def test_the_incident_page_lists_its_perpetrators(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    detention = incident(personas.case_worker, "Detention at Istanbul airport")
    link(personas.case_worker, perpetrator, detention)
    page = verified_client(personas.case_worker).get(f"/incidents/{detention.uuid}/")
    text = page.content.decode()
    assert "Perpetrators recorded" in text and f"/perpetrators/{perpetrator.uuid}/" in text
    assert LATIN in text
    analyst = verified_client(personas.analyst).get(f"/incidents/{detention.uuid}/")
    assert "Perpetrators recorded" in analyst.content.decode()
    assert LATIN not in analyst.content.decode()


def test_pages_refuse_the_outsider_and_read_only_roles_writing(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    assert (
        verified_client(personas.outsider).get(f"/perpetrators/{perpetrator.uuid}/").status_code
        == 404
    )
    analyst = verified_client(personas.analyst)
    assert analyst.get("/perpetrators/new/").status_code == 403
    assert analyst.post(f"/perpetrators/{perpetrator.uuid}/links/").status_code == 403
    worker = verified_client(personas.case_worker)
    response = worker.post("/perpetrators/new/", {"kind": "official", "state": "XX"})
    assert response.status_code == 400 and "name_1" in response.content.decode()
    made = worker.post(
        "/perpetrators/new/",
        {
            "kind": "state_agency",
            "state": "CN",
            "name_1": "Ministry of State Security",
            "script_1": "Latn",
            "name_2": "国家安全部",
            "script_2": "Hans",
        },
    )
    assert made.status_code == 302
    assert perpetrator_ids_matching(personas.case_worker, "国家安全部")
