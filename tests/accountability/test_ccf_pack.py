"""The CCF request pack (issue 12, item 5): what it holds, the consent rule that keeps an
incident out, who may make one, and that each look at it is audited."""

from __future__ import annotations

import pytest

from beyondreach.accountability.ccf_pack import ccf_pack
from beyondreach.cases import models as cm
from beyondreach.cases.inputs import NameData, PersonData
from beyondreach.cases.services import person_update
from beyondreach.core.errors import PermissionDeniedError
from beyondreach.core.models import AuditEvent

from ..conftest import Personas, verified_client
from .ccf_world import (
    ARREST_NOTE,
    CHARGE,
    CYRILLIC,
    DETENTION,
    HEARING,
    NAME,
    NUMBER,
    SOURCE,
    WITHHELD,
    ccf_world,
)


def _consent(personas: Personas, person: cm.Person, given: bool) -> None:
    names = [NameData(n.value, n.script) for n in person.names.all()]
    data = PersonData(names=names, consent_share_authorities=given)
    person_update(actor=personas.case_worker, person=person, data=data)


CHOICE = "request_kind=correction_deletion&grounds=article_3&grounds=refugee_status"


def test_the_pack_holds_the_person_the_notice_the_grounds_and_the_consenting_incidents(
    personas: Personas,
) -> None:
    world = ccf_world(personas.case_worker)
    pack = ccf_pack(
        personas.case_worker,
        world.case,
        request_kind="correction_deletion",
        grounds=["refugee_status", "article_3"],
    )
    assert [n.value for n in pack.names] == [NAME, CYRILLIC]
    assert (pack.birth_date, pack.nationalities) == ("1984-03-02", ["CN"])
    assert pack.request_label == "Correction or deletion"
    # The grounds in the statute's order, whatever order they were ticked in.
    assert [g.code for g in pack.grounds] == ["article_3", "refugee_status"]
    assert [p.incident.title for p in pack.incidents] == [DETENTION, HEARING]
    assert pack.left_out == 1
    detention = pack.incidents[0]
    assert detention.tactics == ["host_detention", "interpol_abuse"]
    assert (detention.origins, detention.hosts) == (["CN"], ["TR"])
    assert [s.reference for s in detention.sources] == [SOURCE]
    assert [s.kind for s in pack.steps] == ["arrest", "extradition_refused"]
    # The chronology: the notice first, then incidents, steps and the CCF's answers by date.
    facts = [f.text for f in pack.facts]
    assert facts[0] == "Red Notice issued at the request of China."
    assert facts.index(DETENTION) < facts.index("Request to the CCF: Access to the data.")
    assert WITHHELD not in facts


def test_consent_is_read_again_each_time(personas: Personas) -> None:
    world = ccf_world(personas.case_worker)
    brother = world.withheld.targets.get(role="relative").person
    _consent(personas, brother, True)
    pack = ccf_pack(personas.case_worker, world.case, request_kind="access", grounds=[])
    assert [p.incident.title for p in pack.incidents] == [DETENTION, WITHHELD, HEARING]
    assert pack.left_out == 0
    # The defended person withdraws her own consent: nothing of the incidents goes in.
    _consent(personas, world.person, False)
    pack = ccf_pack(personas.case_worker, world.case, request_kind="access", grounds=[])
    assert pack.incidents == [] and pack.left_out == 3


def test_the_printable_pack_shows_what_a_request_needs_and_not_the_withheld_incident(
    personas: Personas,
) -> None:
    world = ccf_world(personas.case_worker)
    client = verified_client(personas.case_worker)
    page = client.get(f"/interpol/{world.case.uuid}/ccf-pack/print/?{CHOICE}")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        NAME,
        CYRILLIC,
        "1984-03-02",
        "China (CN)",
        NUMBER,
        CHARGE,
        "Correction or deletion",
        "Article 3: political, military, religious or racial character",
        "Refugee status of the person",
        DETENTION,
        HEARING,
        "INTERPOL Red Notice or Diffusion",  # a tactic, by its label
        SOURCE,
        "Extradition refused",
        ARREST_NOTE,
        "1 of this case's incidents is not included",
    ):
        assert expected in text, expected
    assert WITHHELD not in text and "Erkin" not in text
    assert "Article 83" not in text  # a ground not chosen


def test_a_request_to_delete_needs_its_grounds(personas: Personas) -> None:
    world = ccf_world(personas.case_worker)
    client = verified_client(personas.case_worker)
    url = f"/interpol/{world.case.uuid}/ccf-pack/print/?request_kind=correction_deletion"
    page = client.get(url)
    assert page.status_code == 400
    assert "Choose the grounds of the request to correct or delete." in page.content.decode()
    access = client.get(f"/interpol/{world.case.uuid}/ccf-pack/print/?request_kind=access")
    assert access.status_code == 200


def test_only_admins_and_case_workers_of_the_organisation_see_a_pack_and_each_look_is_audited(
    personas: Personas,
) -> None:
    world = ccf_world(personas.case_worker)
    review = f"/interpol/{world.case.uuid}/ccf-pack/"
    for user in (personas.analyst, personas.viewer):
        assert verified_client(user).get(review).status_code == 403
        with pytest.raises(PermissionDeniedError):
            ccf_pack(user, world.case, request_kind="access", grounds=[])
    assert verified_client(personas.outsider).get(review).status_code == 404
    assert not AuditEvent.objects.filter(action="interpol_case.ccf_pack").exists()

    assert verified_client(personas.admin).get(review).status_code == 200
    client = verified_client(personas.case_worker)
    assert client.get(f"{review}print/?{CHOICE}").status_code == 200
    events = AuditEvent.objects.filter(action="interpol_case.ccf_pack").order_by("seq")
    assert [(e.actor, e.record_id) for e in events] == [
        (personas.admin, world.case.uuid),
        (personas.case_worker, world.case.uuid),
    ]
    printed = events.last()
    assert printed is not None
    assert printed.detail == {
        "printable": True,
        "request": "correction_deletion",
        "grounds": ["article_3", "refugee_status"],
        "incidents": 2,
        "left_out": 1,
    }


def test_the_case_page_links_to_the_pack_for_those_who_may_make_it(personas: Personas) -> None:
    world = ccf_world(personas.case_worker)
    case_page = f"/interpol/{world.case.uuid}/"
    link = f"/interpol/{world.case.uuid}/ccf-pack/"
    assert link in verified_client(personas.case_worker).get(case_page).content.decode()
    assert link not in verified_client(personas.analyst).get(case_page).content.decode()
