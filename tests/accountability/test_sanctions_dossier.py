"""A perpetrator against the loaded sanctions lists (issue 12, item 4: whether, where and
since when) and the sanctions-referral dossier (item 5): filled only from incidents whose
every target agreed to sharing with authorities, for admins and case workers, audited."""

from __future__ import annotations

import pytest

from beyondreach.accountability.dossier import DossierData, dossier_of, dossier_save
from beyondreach.accountability.perpetrator_models import ListSanction
from beyondreach.accountability.perpetrators import PerpetratorNameData
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
