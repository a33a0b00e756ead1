"""A perpetrator against the loaded sanctions lists (issue 12, item 4: whether, where and
since when) and the sanctions-referral dossier (item 5): filled only from incidents whose
every target agreed to sharing with authorities, for admins and case workers, audited."""

from __future__ import annotations

import pytest

from beyondreach.accountability.dossier import DossierData, dossier_of, dossier_save
from beyondreach.accountability.perpetrator_models import ListSanction, PerpetratorListDecision
from beyondreach.accountability.perpetrators import PerpetratorNameData, perpetrator_list_decide
from beyondreach.accountability.sanctions import perpetrator_sanctions
from beyondreach.core.errors import InvalidInputError, PermissionDeniedError
from beyondreach.core.models import AuditEvent
from beyondreach.screening.lists import list_load

from ..conftest import Personas, verified_client
from .perpetrator_helpers import LATIN, ZALA, incident, link, official


def test_a_sanctioned_official_is_found_across_scripts_with_the_earliest_date(
    personas: Personas,
) -> None:
    list_load(path=ZALA, name="sanctions")
    # Only the Cyrillic name: the list's Latin and Cyrillic names both answer.
    perpetrator = official(
        personas.case_worker, names=[PerpetratorNameData("Захаров Александр Вячеславович")]
    )
    [hit] = perpetrator_sanctions(perpetrator)
    assert hit.sanctioned and hit.found.list_name == "sanctions"
    assert hit.found.caption.lower().endswith("vyacheslavovich zakharov")
    assert hit.since == "2023-07-01"  # Ukraine's NSDC, the earliest of his 13 records
    assert "eu_fsf" in hit.datasets and "us_ofac_sdn" in hit.datasets
    authorities = {r.authority for r in hit.records}
    assert "Office of Foreign Assets Control" in authorities
    # Another Zakharov of the same list, born 1986, is not him.
    other = official(
        personas.case_worker,
        names=[PerpetratorNameData("Ivan Zakharov")],
        birth_date="1990-01-01",
    )
    assert perpetrator_sanctions(other) == []


def test_a_reload_replaces_the_list_s_sanctions_records(personas: Personas) -> None:
    list_load(path=ZALA, name="sanctions")
    # His 13 Sanction records; the 5 other persons flagged "sanction" have none: their own date.
    by_source = sorted(ListSanction.objects.values_list("source", flat=True))
    assert by_source == ["entity"] * 5 + ["sanction"] * 13
    list_load(path=ZALA, name="sanctions", force=True)
    assert ListSanction.objects.count() == 18


def test_the_page_shows_the_status_to_case_workers_only(personas: Personas) -> None:
    perpetrator = official(personas.case_worker)
    worker = verified_client(personas.case_worker)
    page = worker.get(f"/perpetrators/{perpetrator.uuid}/").content.decode()
    assert "No public list is loaded" in page
    list_load(path=ZALA, name="sanctions")
    page = worker.get(f"/perpetrators/{perpetrator.uuid}/").content.decode()
    assert "Sanctioned</strong> since 2023-07-01: list sanctions" in page
    analyst = verified_client(personas.analyst).get(f"/perpetrators/{perpetrator.uuid}/")
    assert "Sanctioned" not in analyst.content.decode()
    assert "ZAKHAROV" not in analyst.content.decode()


def test_a_perpetrator_on_no_list_says_which_lists_were_searched(personas: Personas) -> None:
    list_load(path=ZALA, name="sanctions")
    perpetrator = official(personas.case_worker, names=[PerpetratorNameData("Ivan Petrov")])
    page = verified_client(personas.case_worker).get(f"/perpetrators/{perpetrator.uuid}/")
    assert "Not found on the lists loaded here: sanctions" in page.content.decode()


def _three(personas: Personas) -> tuple[object, list[object]]:
    perpetrator = official(personas.case_worker)
    incidents = [
        incident(personas.case_worker, "Detention at Istanbul airport"),
        incident(personas.case_worker, "Extradition hearing in Vilnius"),
        incident(personas.case_worker, "Threats to the mother in Kazan", consent=False),
    ]
    for one in incidents:
        link(personas.case_worker, perpetrator, one)
    return perpetrator, incidents


def test_the_dossier_leaves_out_incidents_a_target_did_not_agree_to_share(
    personas: Personas,
) -> None:
    perpetrator, _ = _three(personas)
    dossier = dossier_of(personas.case_worker, perpetrator, page="review")  # type: ignore[arg-type]
    assert [d.incident.title for d in dossier.incidents] == [
        "Detention at Istanbul airport",
        "Extradition hearing in Vilnius",
    ]
    assert dossier.left_out == 1
    event = AuditEvent.objects.get(action="perpetrator.dossier_view")
    assert event.detail["left_out"] == 1 and len(event.detail["incidents"]) == 2


def test_only_admins_and_case_workers_prepare_it(personas: Personas) -> None:
    perpetrator, _ = _three(personas)
    for user in (personas.analyst, personas.viewer):
        with pytest.raises(PermissionDeniedError):
            dossier_of(user, perpetrator, page="review")  # type: ignore[arg-type]
        client = verified_client(user)
        assert client.get(f"/perpetrators/{perpetrator.uuid}/dossier/").status_code == 403  # type: ignore[attr-defined]
    with pytest.raises(InvalidInputError) as caught:
        dossier_save(
            actor=personas.case_worker,
            perpetrator=perpetrator,  # type: ignore[arg-type]
            data=DossierData(legal_basis="un_security_council"),
        )
    assert set(caught.value.errors) == {"legal_basis"}


def test_the_printable_dossier_has_every_section_and_no_incident_without_consent(
    personas: Personas,
) -> None:
    list_load(path=ZALA, name="sanctions")
    perpetrator, _ = _three(personas)
    client = verified_client(personas.case_worker)
    url = f"/perpetrators/{perpetrator.uuid}/dossier/"  # type: ignore[attr-defined]
    assert client.get(f"{url}print/").status_code == 302  # the legal basis comes first
    review = client.get(url).content.decode()
    assert "1 incident left out" in review
    saved = client.post(
        url,
        {
            "legal_basis": "us_global_magnitsky",
            "link_to_case": "We represent the targets CANARY-link",
            "impact": "Two families in hiding CANARY-impact",
            "exculpatory": "He denies signing CANARY-exculpatory",
        },
    )
    assert saved.status_code == 302
    page = client.get(f"{url}print/").content.decode()
    for section in (
        "1. Legal basis",
        "Global Magnitsky",
        "2. Submitting organisation and its link to the case",
        "Safeguard Exiles",
        "CANARY-link",
        "3. Identification of the person",
        LATIN,
        "(Cyrl)",
        "1965-09-21",
        "CANARY-position",
        "since 2023-07-01",
        "4. Narrative",
        "What happened: Extradition hearing in Vilnius.",
        "5. Evidence with sources",
        "https://news.example.org/detention",
        "CANARY-evidence",
        "6. Impact",
        "CANARY-impact",
        "7. Exculpatory information",
        "CANARY-exculpatory",
        "1 incident left out",
    ):
        assert section in page, section
    assert "Kazan" not in page
    views = AuditEvent.objects.filter(action="perpetrator.dossier_view")
    assert sorted(e.detail["page"] for e in views) == ["print", "review"]
    assert AuditEvent.objects.filter(action="perpetrator.dossier_save").count() == 1


def _decide(personas: Personas, perpetrator: object, entity: str, decision: str) -> int:
    client = verified_client(personas.case_worker)
    url = f"/perpetrators/{perpetrator.uuid}/list-decision/"  # type: ignore[attr-defined]
    return client.post(url, {"entity": entity, "decision": decision}).status_code


def test_a_namesake_set_aside_no_longer_makes_the_perpetrator_sanctioned_even_after_a_reload(
    personas: Personas,
) -> None:
    list_load(path=ZALA, name="sanctions")
    perpetrator = official(personas.case_worker)
    [hit] = perpetrator_sanctions(perpetrator)
    assert _decide(personas, perpetrator, hit.found.ftm_id, "not_match") == 302
    page = verified_client(personas.case_worker).get(f"/perpetrators/{perpetrator.uuid}/")
    text = page.content.decode()
    assert "Sanctioned</strong>" not in text
    assert "Not found on the lists loaded here: sanctions (loaded" in text
    assert "apart from the namesakes set aside below" in text
    assert "Set aside as namesakes (1)" in text
    assert dossier_of(personas.case_worker, perpetrator, page="review").sanctions == []
    list_load(path=ZALA, name="sanctions", force=True)  # a newer file: still set aside
    [again] = perpetrator_sanctions(perpetrator)
    assert again.set_aside
    assert not dossier_of(personas.case_worker, perpetrator, page="review").sanctions
    event = AuditEvent.objects.filter(action="perpetrator.list_decision").get()
    assert event.detail == {"decision": "not_match", "list": "sanctions"}
    # The entity's id is sealed: with the public list it would name the perpetrator.
    decision = PerpetratorListDecision.objects.get()
    assert hit.found.ftm_id.encode() not in bytes(decision.entity_ref_sealed)
    # Taken back, the status is the list's again.
    assert _decide(personas, perpetrator, hit.found.ftm_id, "open") == 302
    assert not PerpetratorListDecision.objects.exists()
    page = verified_client(personas.case_worker).get(f"/perpetrators/{perpetrator.uuid}/")
    assert "Sanctioned</strong> since 2023-07-01" in page.content.decode()


def test_a_confirmed_entity_is_recorded_once_whatever_the_clicks(personas: Personas) -> None:
    list_load(path=ZALA, name="sanctions")
    perpetrator = official(personas.case_worker)
    [hit] = perpetrator_sanctions(perpetrator)
    for _ in range(2):
        assert _decide(personas, perpetrator, hit.found.ftm_id, "match") == 302
    assert PerpetratorListDecision.objects.get().decision == "match"
    page = verified_client(personas.case_worker).get(f"/perpetrators/{perpetrator.uuid}/")
    text = page.content.decode()
    assert "<strong>Yes</strong>, recorded." in text
    assert "nobody has recorded yet" not in text


def test_a_decision_on_an_entity_that_does_not_match_or_by_another_role_is_refused(
    personas: Personas,
) -> None:
    list_load(path=ZALA, name="sanctions")
    perpetrator = official(personas.case_worker)
    [hit] = perpetrator_sanctions(perpetrator)
    assert _decide(personas, perpetrator, "NK-not-his", "not_match") == 400
    assert _decide(personas, perpetrator, hit.found.ftm_id, "maybe") == 400
    url = f"/perpetrators/{perpetrator.uuid}/list-decision/"
    body = {"entity": hit.found.ftm_id, "decision": "not_match"}
    assert verified_client(personas.analyst).post(url, body).status_code == 403
    assert verified_client(personas.outsider).post(url, body).status_code == 404
    with pytest.raises(PermissionDeniedError):
        perpetrator_list_decide(
            actor=personas.viewer,
            perpetrator=perpetrator,
            entity_ref=hit.found.ftm_id,
            decision="not_match",
        )
    assert not PerpetratorListDecision.objects.exists()
