"""Publishing statistics: what is counted, who may publish, the stored figures, and the
public page that reads them (no script, no cookie, the reporting pages' headers)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from django.test import Client, override_settings

from beyondreach.cases import models as m
from beyondreach.cases.inputs import GroupData, IncidentData, NameData, PersonData, TargetData
from beyondreach.cases.services import incident_create
from beyondreach.core.models import AuditEvent, User
from beyondreach.statistics.models import Publication
from beyondreach.statistics.publish import published_incidents, statistics_publish
from beyondreach.statistics.publish_tables import ItemSpec

from ..conftest import Personas, verified_client
from .publish_attacker import Name, Sums, recovered


def incident(
    actor: User,
    origin: str,
    year: int,
    *,
    consent: tuple[bool, ...] = (True,),
    tlp: str = m.Tlp.GREEN,
    scope: str = m.Scope.IN_SCOPE,
    groups: int = 0,
) -> m.Incident:
    targets = [
        TargetData(
            role="primary" if i == 0 else "relative",
            person=PersonData(
                names=[NameData(f"Person {i}", "Latn")], consent_public_statistics=agreed
            ),
        )
        for i, agreed in enumerate(consent)
    ]
    data = IncidentData(
        title="Published statistics test",
        start_date=date(year, 3, 1),
        origin_states=[origin],
        tactics=["assault"],
        host_countries=["DE"],
        targets=targets,
        groups=[GroupData(size=groups, target_group="journalist")] if groups else [],
        tlp=tlp,
        scope=scope,
        scope_reason="" if scope == m.Scope.IN_SCOPE else "No state behind it, on what we know.",
    )
    return incident_create(actor=actor, data=data)


def many(actor: User, origin: str, year: int, n: int) -> None:
    for _ in range(n):
        incident(actor, origin, year)


TABLE = {
    "address": "safeguard",
    "items-TOTAL_FORMS": "1",
    "items-INITIAL_FORMS": "0",
    "items-0-kind": "table",
    "items-0-rows": "origin",
    "items-0-cols": "year",
    "items-0-measure": "incidents",
    "items-0-method": "suppression",
    "items-0-threshold": "10",
    "items-0-base": "5",
    "items-0-epsilon": "1.0",
}


@pytest.fixture
def counted(personas: Personas) -> Personas:
    return record_counted(personas)


def record_counted(personas: Personas) -> Personas:
    """China 2023: 14, China 2024: 12, Iran 2023: 11, Iran 2024: 13, Russia 2024: 3."""
    cw = personas.case_worker
    many(cw, "CN", 2023, 14)
    many(cw, "CN", 2024, 12)
    many(cw, "IR", 2023, 11)
    many(cw, "IR", 2024, 13)
    many(cw, "RU", 2024, 3)
    return personas


def test_only_consented_shareable_counted_incidents_are_published(personas: Personas) -> None:
    cw = personas.case_worker
    kept = [
        incident(cw, "CN", 2024),
        incident(cw, "CN", 2024, tlp=m.Tlp.CLEAR),
        incident(cw, "CN", 2024, consent=(), groups=30),  # a group, nobody named: counted
        incident(cw, "CN", 2024, scope=m.Scope.BORDERLINE),
    ]
    incident(cw, "CN", 2024, tlp=m.Tlp.AMBER)
    incident(cw, "CN", 2024, tlp=m.Tlp.RED)
    incident(cw, "CN", 2024, scope=m.Scope.OUT_OF_SCOPE)
    incident(cw, "CN", 2024, consent=(False,))
    incident(cw, "CN", 2024, consent=(True, False))  # every target must consent
    incident(personas.outsider, "CN", 2024)
    found = set(published_incidents(personas.admin).values_list("pk", flat=True))
    assert found == {i.pk for i in kept}


def test_an_admin_publishes_and_small_cells_are_hidden_with_their_complements(
    counted: Personas,
) -> None:
    client = verified_client(counted.admin)
    page = client.get("/statistics/publish/")
    assert page.status_code == 200 and "Small-cell suppression" in page.content.decode()
    assert client.post("/statistics/publish/", TABLE).status_code == 302
    publication = Publication.objects.get(organisation=counted.org)
    item = publication.items[0]
    cells = {(c["row"], c["col"]): c["value"] for c in item["cells"]}
    rows = {r["row"]: r["value"] for r in item["row_totals"]}
    # Russia's 3 is hidden, and so is its row total (3): then two of the origins' totals.
    assert cells[("RU", "2024")] is None and rows["RU"] is None
    assert sum(v is None for v in rows.values()) >= 2
    # Published figures are rounded to base 5: 14 -> 15, 11 -> 10.
    assert all(v is None or v % 5 == 0 for v in cells.values())
    assert item["total"]["value"] == 55  # 53 incidents, rounded
    event = AuditEvent.objects.filter(action="statistics.publish").get()
    assert event.actor == counted.admin and "14" not in json.dumps(event.detail)


def test_the_attacker_recovers_no_suppressed_figure_of_the_published_tables(
    counted: Personas,
) -> None:
    specs = [
        ItemSpec("table", "origin", "year", "incidents", "suppression", base=1),
        ItemSpec("map", "origin", None, "incidents", "suppression", base=1),
        ItemSpec("table", "year", None, "incidents", "suppression", base=1),
    ]
    publication = statistics_publish(actor=counted.admin, address="safeguard", specs=specs)
    published, sums = _as_attacker_reads(publication.items)
    assert any(v is None for v in published.values())
    assert not recovered(published, sums)


def _as_attacker_reads(items: list[dict[str, Any]]) -> tuple[dict[Name, int | None], Sums]:
    """Every figure of every published table by what it counts (a total of origin states is
    the same figure in every table that has it), and the sums tying them."""
    published: dict[Name, int | None] = {}
    sums: Sums = []
    for item in items:
        rows, cols = item["spec"]["rows"], item["spec"]["cols"]
        published["total"] = item["total"]["value"]
        row_names = [(rows, r["row"]) for r in item["row_totals"]]
        for r in item["row_totals"]:
            published[(rows, r["row"])] = r["value"]
        sums.append(("total", row_names))
        if cols is None:
            continue
        for c in item["col_totals"]:
            published[(cols, c["col"])] = c["value"]
        sums.append(("total", [(cols, c["col"]) for c in item["col_totals"]]))
        for c in item["cells"]:
            published[(rows, c["row"], cols, c["col"])] = c["value"]
        for r in item["row_totals"]:
            line = [(rows, r["row"], cols, c["col"]) for c in item["col_totals"]]
            sums.append(((rows, r["row"]), line))
        for c in item["col_totals"]:
            line = [(rows, r["row"], cols, c["col"]) for r in item["row_totals"]]
            sums.append(((cols, c["col"]), line))
    return published, sums


def test_the_public_page_has_no_script_no_cookie_and_the_reporting_headers(
    counted: Personas,
) -> None:
    verified_client(counted.admin).post("/statistics/publish/", TABLE)
    public = Client()
    page = public.get("/p/safeguard/statistics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<script" not in text.lower() and "<form" not in text.lower()
    assert not page.cookies
    assert "default-src 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY" and "no-store" in page["Cache-Control"]
    assert "a figure under 10" in text and "multiple of 5" in text
    assert "Published by Safeguard Exiles on" in text
    assert "China" in text and "suppressed" in text


def test_the_public_figures_download_as_csv_and_json(counted: Personas) -> None:
    verified_client(counted.admin).post("/statistics/publish/", TABLE)
    body = Client().get("/p/safeguard/statistics.json")
    assert body["Content-Type"] == "application/json" and not body.cookies
    found = json.loads(body.content)
    table = found["tables"][0]
    assert table["method"] == "suppression" and table["parameters"]["threshold"] == 10
    assert {"row": "RU", "col": "2024", "value": None} in table["cells"]
    lines = list(
        csv.reader(io.StringIO(Client().get("/p/safeguard/statistics.csv").content.decode()))
    )
    assert lines[0][:2] == ["Incidents by origin state and year", "Small-cell suppression"]
    assert any(line[0] == "China" for line in lines)


def test_public_requests_read_the_stored_figures_and_count_nothing(
    counted: Personas, django_assert_num_queries: Any
) -> None:
    verified_client(counted.admin).post("/statistics/publish/", TABLE)
    with django_assert_num_queries(1):
        assert Client().get("/p/safeguard/statistics/").status_code == 200


@override_settings(REPORTS_PUBLIC_HOSTS=["reports.example.org"], ALLOWED_HOSTS=["*"])
def test_the_page_is_on_the_public_host_where_staff_pages_are_not(counted: Personas) -> None:
    verified_client(counted.admin).post("/statistics/publish/", TABLE)
    public = Client(HTTP_HOST="reports.example.org")
    assert public.get("/p/safeguard/statistics/").status_code == 200
    assert public.get("/p/safeguard/statistics.csv").status_code == 200
    assert public.get("/statistics/publish/").status_code == 404


def test_publishing_again_replaces_and_unpublishing_takes_the_page_down(
    counted: Personas,
) -> None:
    client = verified_client(counted.admin)
    client.post("/statistics/publish/", TABLE)
    client.post("/statistics/publish/", TABLE | {"items-0-cols": "", "address": "exiles"})
    publication = Publication.objects.get(organisation=counted.org)
    assert publication.address == "exiles" and publication.items[0]["spec"]["cols"] is None
    assert Client().get("/p/safeguard/statistics/").status_code == 404
    assert client.post("/statistics/publish/remove/").status_code == 302
    assert not Publication.objects.exists()
    assert Client().get("/p/exiles/statistics/").status_code == 404
    assert AuditEvent.objects.filter(action="statistics.unpublish").count() == 1


def test_only_admins_publish(counted: Personas) -> None:
    for user in (counted.case_worker, counted.analyst, counted.viewer):
        client = verified_client(user)
        assert client.get("/statistics/publish/").status_code == 403
        assert client.post("/statistics/publish/", TABLE).status_code == 403
        assert client.post("/statistics/publish/remove/").status_code == 403
    assert Client().get("/statistics/publish/").status_code == 302  # to the login
    assert not Publication.objects.exists()


def test_bad_choices_are_shown_by_field(counted: Personas) -> None:
    client = verified_client(counted.admin)
    same = client.post("/statistics/publish/", TABLE | {"items-0-cols": "origin"})
    assert same.status_code == 400
    assert "Choose a dimension other than the rows" in same.content.decode()
    targets = TABLE | {"items-0-method": "dp", "items-0-measure": "targets"}
    page = client.post("/statistics/publish/", targets)
    assert "offered for incident counts" in page.content.decode()
    by_tactic = TABLE | {"items-0-kind": "series", "items-0-cols": "tactic"}
    series = client.post("/statistics/publish/", by_tactic)
    assert "per year or month" in series.content.decode()
    nothing = client.post("/statistics/publish/", TABLE | {"items-0-rows": ""})
    assert "Choose at least one table" in nothing.content.decode()
    assert not Publication.objects.exists()


def test_an_address_another_organisation_holds_is_refused(counted: Personas) -> None:
    other = User.objects.create(
        username="other-admin", organisation=counted.other_org, role="admin"
    )
    statistics_publish(
        actor=other,
        address="safeguard",
        specs=[ItemSpec("table", "year", None, "incidents", "suppression")],
    )
    page = verified_client(counted.admin).post("/statistics/publish/", TABLE)
    assert page.status_code == 400 and "This address is taken" in page.content.decode()


def test_the_series_and_the_map_are_published_as_svg(counted: Personas) -> None:
    specs = [
        ItemSpec("series", "origin", "year", "incidents", "suppression"),
        ItemSpec("map", "origin", None, "incidents", "suppression"),
    ]
    statistics_publish(actor=counted.admin, address="safeguard", specs=specs)
    for index in (0, 1):
        chart = Client().get(f"/p/safeguard/statistics/chart-{index}.svg")
        assert chart["Content-Type"] == "image/svg+xml"
        assert chart.content.startswith(b"<svg") and b"<script" not in chart.content
    page = Client().get("/p/safeguard/statistics/").content.decode()
    assert 'src="/p/safeguard/statistics/chart-0.svg"' in page
    assert Client().get("/p/safeguard/statistics/chart-7.svg").status_code == 404
