"""INTERPOL cases and designations counted on the statistics page (issue 12, item 6): the
figures agree with the records, every role sees them, and each number opens the list of
cases or designations holding exactly that many."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from beyondreach.accountability.services import (
    CaseData,
    DesignationData,
    ccf_decision,
    ccf_request_file,
    designation_create,
    interpol_case_create,
)
from beyondreach.cases.services import incident_create

from ..cases.factories import incident_data
from ..conftest import Personas, verified_client


def record_cases(personas: Personas) -> None:
    """Three notices of China (2023, 2023, 2024), one of Türkiye with no date; a decision
    citing Article 3 and refugee status, one citing Article 3; designations of Türkiye (two,
    one delisted) and of Tajikistan."""
    cw = personas.case_worker
    incident = incident_create(actor=cw, data=incident_data())
    person = incident.targets.get(role="primary").person
    cases = [
        interpol_case_create(
            actor=cw,
            person=person,
            data=CaseData(
                kind="red_notice", issuing_state=state, incident_uuids=[incident.uuid], issued_on=on
            ),
        )
        for state, on in (
            ("CN", dt.date(2023, 2, 1)),
            ("CN", dt.date(2023, 8, 1)),
            ("CN", dt.date(2024, 1, 5)),
            ("TR", None),
        )
    ]
    for case, grounds in ((cases[0], ["article_3", "refugee_status"]), (cases[2], ["article_3"])):
        request = ccf_request_file(
            actor=cw, case=case, kind="correction_deletion", filed_on=dt.date(2024, 2, 1)
        )
        ccf_decision(
            actor=cw,
            request=request,
            outcome="deleted",
            grounds=grounds,
            decided_on=dt.date(2024, 9, 1),
        )
    for state, status in (("TR", "active"), ("TR", "delisted"), ("TJ", "active")):
        designation_create(
            actor=cw,
            person=person,
            data=DesignationData(
                listing_state=state, incident_uuids=[incident.uuid], status=status
            ),
        )


def _cell(page: str, table: str, row: str) -> list[tuple[str, str]]:
    """A row's numbers in a table of the page: (value, link) pairs."""
    part = page[page.index(f'id="{table}"') :]
    part = part[: part.index("</table>")]
    line = re.search(rf"<th scope=\"row\">{re.escape(row)}</th>(.*?)</tr>", part, re.S)
    assert line, row
    return re.findall(r'<td[^>]*>(?:<a href="([^"]*)">)?(\d+)', line.group(1))


def test_the_counts_agree_with_the_records_for_every_role(personas: Personas) -> None:
    record_cases(personas)
    for user in (personas.admin, personas.case_worker, personas.analyst, personas.viewer):
        page = verified_client(user).get("/statistics/interpol/").content.decode()
        # China: 2023, 2024, date not known, total.
        assert [v for _, v in _cell(page, "notices", "China")] == ["2", "1", "0", "3"]
        assert [v for _, v in _cell(page, "notices", "Türkiye")] == ["0", "0", "1", "1"]
        assert [v for _, v in _cell(page, "notices", "Total")] == ["2", "1", "1", "4"]
        ground = "Article 3: political, military, religious or racial character"
        assert [v for _, v in _cell(page, "grounds", ground)] == ["2"]
        assert [v for _, v in _cell(page, "grounds", "Refugee status of the person")] == ["1"]
        assert [v for _, v in _cell(page, "grounds", "Outcome: Not compliant: data deleted")] == [
            "2"
        ]
        # Listed, delisted, total.
        assert [v for _, v in _cell(page, "designations", "Türkiye")] == ["1", "1", "2"]
        assert [v for _, v in _cell(page, "designations", "Tajikistan")] == ["1", "0", "1"]
        statistics = verified_client(user).get("/statistics/").content.decode()
        assert (
            "4 notices and diffusions recorded, 2 decisions of the CCF, 3 designations"
            in statistics
        )
        assert "/statistics/interpol/" in statistics
    # Another organisation counts its own: none.
    outsider = verified_client(personas.outsider).get("/statistics/interpol/").content.decode()
    assert outsider.count("None recorded.") == 2  # notices, designations; every ground 0
    assert "/interpol/?" not in outsider and "/designations/?" not in outsider


def test_each_number_opens_the_list_of_what_it_counts(personas: Personas) -> None:
    record_cases(personas)
    client = verified_client(personas.analyst)
    page = client.get("/statistics/interpol/").content.decode()
    links = [
        *_cell(page, "notices", "China"),
        *_cell(page, "notices", "Total"),
        *_cell(page, "grounds", "Refugee status of the person"),
        *_cell(page, "designations", "Türkiye"),
    ]
    opened = 0
    for url, value in links:
        if value == "0":
            assert url == ""  # nothing to list
            continue
        listing = client.get(url.replace("&amp;", "&")).content.decode()
        assert "Showing only" in listing or url.rstrip("/").endswith(("interpol", "designations"))
        assert listing.count('data-label="Person"') == int(value), url
        opened += 1
    assert opened == 11


def test_the_tables_download_as_csv(personas: Personas) -> None:
    record_cases(personas)
    body = verified_client(personas.viewer).get("/statistics/interpol/notices.csv").content
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["Issuing state", "2023", "2024", "Date not known", "Total"]
    assert rows[1] == ["China", "2", "1", "0", "3"]
    assert rows[-1] == ["Total", "2", "1", "1", "4"]
