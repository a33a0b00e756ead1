"""A radio recorded twice: from an incident, the case worker opens the organisation, merges
the second record into it, sees both incidents there, and undoes the merge (issue 9, item 3,
"same for organisations")."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from beyondreach.cases import models as m
from beyondreach.cases.inputs import OrganisationData
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas
from .conftest import log_in


def _incident(personas: Personas, title: str, name: str) -> m.Incident:
    data = incident_data(
        title=title, organisations=[OrganisationData(name=name, kind="media_outlet", country="GB")]
    )
    return incident_create(actor=personas.case_worker, data=data)


def test_a_case_worker_merges_an_organisation_recorded_twice_and_undoes_it(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    first = _incident(personas, "Radio's reporters threatened", "Exile Voice Radio")
    _incident(personas, "Radio's bank account frozen", "Exile Voice Radio Ltd")
    base = str(live_server)
    session = None  # the desktop's login, kept for the phone (two-factor enrolment is once)
    for name, (width, height) in (("desktop", (1280, 900)), ("phone", (390, 844))):
        context = browser.new_context(
            viewport={"width": width, "height": height}, storage_state=session
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        if session is None:
            log_in(page, base, personas.case_worker)
            session = context.storage_state()
        page.goto(f"{base}/incidents/{first.uuid}/")
        page.get_by_role("link", name="Exile Voice Radio", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Exile Voice Radio")
        page.get_by_label("The same organisation, recorded again").select_option(
            label="Exile Voice Radio Ltd (Media outlet, United Kingdom (GB); 1 incident)"
        )
        page.screenshot(path=str(tmp_path / f"organisation-{name}.png"), full_page=True)
        page.get_by_role("button", name="Merge into this one").click()

        incidents = page.get_by_role("table")
        expect(incidents.get_by_role("link", name="Radio's bank account frozen")).to_be_visible()
        expect(incidents.get_by_role("link", name="Radio's reporters threatened")).to_be_visible()
        page.screenshot(path=str(tmp_path / f"organisation-merged-{name}.png"), full_page=True)
        page.goto(f"{base}/targeted-organisations/")
        expect(page.get_by_role("link", name="Exile Voice Radio Ltd")).to_have_count(0)

        page.go_back()
        page.get_by_role("button", name="Undo this merge").click()
        expect(page.get_by_role("link", name="Radio's bank account frozen")).to_have_count(0)
        page.goto(f"{base}/targeted-organisations/")
        expect(page.get_by_role("link", name="Exile Voice Radio Ltd")).to_be_visible()
        context.close()
    # Merged and undone twice, once per viewport: as it was.
    assert m.TargetedOrganisation.objects.filter(merged_into__isnull=False).count() == 0
    assert m.OrganisationMerge.objects.filter(undone_at__isnull=False).count() == 2
