"""A sheet in Freedom House's coding with its published 2014-2024 marginals (1,219
incidents, 48 origin states, 103 host countries, China 272), in the mixed spellings such
sheets have, imported through the command line: the statistics give the sheet's own
marginals back on the page, through the API and on the command line; and its `fh` export
imports into another organisation to the same figures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pycountry
import pytest

from beyondreach.cases.selectors import IncidentFilters
from beyondreach.cli import main
from beyondreach.core.services import user_create
from beyondreach.interchange.exports import export_incidents

from ..api.conftest import ClientFor, client_for  # noqa: F401 - the fixture
from ..conftest import PASSWORD, Personas, verified_client

INCIDENTS, ORIGINS, HOSTS, CHINA = 1219, 48, 103, 272
TACTICS = ("Detention", "Unlawful deportation", "Rendition", "Assassination", "Assault")


def _sheet() -> str:
    countries = [c for c in pycountry.countries if c.alpha_2 not in ("CN", "TW")]
    origins = ["CN", *(c.alpha_2 for c in countries[: ORIGINS - 1])]
    hosts = [c for c in countries[ORIGINS : ORIGINS + HOSTS]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["incident_id", "year", "origin_country", "host_country", "tactic", "targets"])
    for n in range(INCIDENTS):
        origin = "CN" if n < CHINA else origins[1 + (n - CHINA) % (ORIGINS - 1)]
        host = hosts[n % HOSTS]
        # Spelled as sheets spell them: alpha-3, alpha-2, the name, the name in capitals.
        spelled = (host.alpha_3, host.alpha_2, host.name, host.name.upper())[n % 4]
        origin_word = "China" if origin == "CN" else origin
        tactic = TACTICS[n % len(TACTICS)]
        writer.writerow([f"FH-{n}", 2014 + n % 11, origin_word, spelled, tactic, 1 + n % 3])
    return out.getvalue()


def test_the_sheet_s_marginals_come_back_on_the_page_the_api_and_the_command_line(
    personas: Personas,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    client_for: ClientFor,  # noqa: F811
) -> None:
    sheet = tmp_path / "fh.csv"
    sheet.write_text(_sheet(), encoding="utf-8")
    assert main(["import", "--org", "Safeguard Exiles", "--format", "fh", str(sheet)]) == 0
    assert f"{INCIDENTS} created" in capsys.readouterr().out

    base = ["statistics", "--org", "Safeguard Exiles", "--format", "json"]
    assert main([*base, "--rows", "origin"]) == 0
    origins = json.loads(capsys.readouterr().out)
    assert origins["total"] == INCIDENTS and len(origins["row_totals"]) == ORIGINS
    assert {"row": "CN", "value": CHINA} in origins["row_totals"]

    api = client_for(personas.analyst).get("/api/v1/statistics", {"rows": "host"}).json()
    assert api["total"] == INCIDENTS and len(api["row_totals"]) == HOSTS

    page = verified_client(personas.analyst).get("/statistics/", {"rows": "origin"})
    text = page.content.decode()
    assert f">{CHINA}<" in text and f">{INCIDENTS}<" in text

    # The organisation's own `fh` export, imported by another organisation, counts the same.
    other = user_create(
        organisation=personas.other_org, username="other_admin", password=PASSWORD, role="admin"
    )
    exported = tmp_path / "export.csv"
    with exported.open("wb") as f:
        export = export_incidents(
            viewer=personas.case_worker, filters=IncidentFilters(), format="fh"
        )
        for chunk in export.chunks:
            f.write(chunk)
    args = ["import", "--org", "Other Network", "--as", other.username, "--format", "fh"]
    assert main([*args, str(exported)]) == 0
    assert f"{INCIDENTS} created" in capsys.readouterr().out
    assert main([*base[:2], "Other Network", *base[3:], "--rows", "origin"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["row_totals"] == origins["row_totals"]
