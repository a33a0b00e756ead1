"""Free text typed by staff or reporters (titles, narratives, names, notes) may be Arabic,
Persian or Uyghur: every staff page shows it in an element with dir="auto", so it reads right
to left, with its punctuation where the writer put it, inside an English page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from beyondreach.cases.inputs import (
    ActorData,
    NameData,
    PersonData,
    ResponseData,
    SourceData,
    TargetData,
)
from beyondreach.cases.services import incident_create, incident_update

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client

RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Form values are typed, not shown: inputs and textareas follow their text (site.css).
SKIPPED = {"textarea", "option", "script", "style", "title"}


class _Directions(HTMLParser):
    """Every run of right-to-left text, with whether an enclosing element sets dir."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append((tag, dict(attrs).get("dir") in {"auto", "rtl"}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        if RIGHT_TO_LEFT.search(data) and not {t for t, _ in self.open} & SKIPPED:
            self.found.append((data.strip(), any(has_dir for _, has_dir in self.open)))


def _without_direction(html: str) -> list[str]:
    parser = _Directions()
    parser.feed(html)
    assert parser.found, "no right-to-left text on the page"
    return [text for text, has_dir in parser.found if not has_dir]


def _persian_incident(personas: Personas) -> tuple[str, str]:
    person = PersonData(
        names=[NameData("نسرین محمدی", "Arab", "fa")],
        contact="تلفن: فقط از طریق وکیل",
        risk_notes="خانواده در تهران تحت فشار است.",
    )
    data = incident_data(
        title="احضار خانواده یک روزنامه‌نگار در تهران",
        narrative="مأموران به پدر و مادرش گفتند که او باید برگردد.",
        place="استانبول",
        targets=[TargetData(role="primary", person=person)],
        actors=[ActorData(role="perpetrator", actor_type="security_service", name="واجا")],
        sources=[
            SourceData(reference="گزارش شاهد", publisher="رادیو فردا", reliability="reliable")
        ],
        responses=[ResponseData(kind="referral", description="وکیل در استانبول")],
    )
    incident = incident_create(actor=personas.case_worker, data=data)
    incident_update(
        actor=personas.case_worker,
        incident=incident,
        data=incident_data(**{**data.__dict__, "title": "احضار خانواده در تهران"}),
    )
    target = incident.targets.get()
    return str(incident.uuid), str(target.person.uuid)


def test_every_staff_page_sets_the_direction_of_persian_text(personas: Personas) -> None:
    incident, person = _persian_incident(personas)
    client = verified_client(personas.case_worker)
    for path in ("/incidents/", f"/incidents/{incident}/", "/persons/", f"/persons/{person}/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert _without_direction(page.content.decode()) == [], path


def test_a_persian_name_searched_for_is_shown_right_to_left(personas: Personas) -> None:
    _persian_incident(personas)
    page = verified_client(personas.case_worker).post("/incidents/", {"q": "نسرین محمدی"})
    assert "احضار خانواده در تهران" in page.content.decode()
    assert _without_direction(page.content.decode()) == []
