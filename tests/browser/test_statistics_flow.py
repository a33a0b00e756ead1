"""An analyst crosses origin by year, sees the chart, the map and the flows, and opens a
cell as the incident list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, expect

from ..conftest import Personas
from ..statistics.builders import record
from .conftest import log_in


def test_an_analyst_crosses_origin_by_year_and_drills_into_a_cell(
    browser: Browser, live_server: object, personas: Personas, tmp_path: Path
) -> None:
    cw = personas.case_worker
    record(cw, origins=["CN", "RU"], tactics=["assault", "spyware"])
    record(cw, origins=["CN"], tactics=["assault"], start=date(2023, 5, 2))
    record(cw, origins=["CN"], tactics=["interpol_abuse"], start=date(2023, 9, 1))
    record(cw, origins=["IR"], tactics=["doxxing"])
    base = str(live_server)
    for name, viewport in (("desktop", (1280, 900)), ("phone", (390, 844))):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        log_in(page, base, personas.analyst)
        page.get_by_role("link", name="Statistics").click()
        page.get_by_label("Rows").select_option("origin")
        page.get_by_label("Columns").select_option("year")
        page.get_by_role("button", name="Count").click()

        table = page.get_by_role("table", name="Incidents by origin state and year")
        china = table.get_by_role("row", name="China")
        expect(china.get_by_role("cell")).to_have_text(["2", "1", "3"])  # 2023, 2024, total
        chart = page.get_by_role("img", name="Incidents per year, by origin state")
        expect(chart).to_be_visible()
        assert page.evaluate("document.querySelector('figure.chart img').naturalWidth") > 0
        world = page.get_by_role("img", name="Incidents by origin state: world map")
        expect(world).to_be_visible()
        assert page.evaluate("document.querySelector('figure.map img').naturalWidth") > 0
        numbers = page.get_by_role("table", name="Incidents by origin state: the map's numbers")
        expect(numbers.get_by_role("row", name="China")).to_contain_text("3")
        flows = page.get_by_role("table", name="Flows from origin state to host country by year")
        expect(flows.get_by_role("row", name="China Germany 2023")).to_contain_text("2")
        page.screenshot(path=str(tmp_path / f"statistics-{name}.png"), full_page=True)
        context.close()

    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, personas.analyst)
    page.goto(f"{base}/statistics/?rows=origin&cols=year")
    table = page.get_by_role("table", name="Incidents by origin state and year")
    table.get_by_role("row", name="China").get_by_role("link", name="2", exact=True).click()
    expect(page.get_by_text("2 incidents match.")).to_be_visible()
    expect(page.get_by_label("Origin state")).to_have_value("CN")
    expect(page.get_by_label("Started in (year or month)")).to_have_value("2023")
    # A flow opens as the list of its origin, host and year.
    page.go_back()
    flows = page.get_by_role("table", name="Flows from origin state to host country by year")
    flows.get_by_role("row", name="China Germany 2023").get_by_role("link").click()
    expect(page.get_by_text("2 incidents match.")).to_be_visible()
    expect(page.get_by_label("Host country")).to_have_value("DE")
    context.close()
