"""Coalition figures: our incidents, those partners shared with us, or both, as separate
sources; every sharing rule holds (live share, active agreement, TLP, named readers)."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

from beyondreach.cases import models as m
from beyondreach.cases.selectors import IncidentFilters, incident_list_visible_to
from beyondreach.core.models import User
from beyondreach.sharing.models import Share, ShareLevel
from beyondreach.sharing.selectors import shared_incident_list_visible_to
from beyondreach.sharing.services import agreement_end, incident_share
from beyondreach.statistics.flows import statistics_flows
from beyondreach.statistics.selectors import statistics_table

from ..api.conftest import ClientFor
from ..conftest import verified_client
from ..sharing.conftest import Partners, partners  # noqa: F401 - A, its partner B, outsider C
from .builders import record


def _shared_by_b(
    p: Partners, origin: str, level: str, readers: list[User] | None = None
) -> m.Incident:
    incident = record(
        p.b_case_worker, origins=[origin], tactics=["assault"], start=date(2022, 1, 5)
    )
    incident_share(
        actor=p.b_case_worker,
        incident=incident,
        partner_id=p.a.uuid,
        level=level,
        reader_ids=[u.uuid for u in readers or []],
    )
    return incident


def _origins(user: User, source: str, **filters: str) -> dict[str | None, int]:
    return statistics_table(
        user, IncidentFilters(**filters), rows="origin", source=source
    ).row_totals


def _coalition(p: Partners) -> m.Incident:
    """A records one (CN). B shares IR counted only and RU pseudonymised with A, keeps EG,
    shares BY with a named analyst only and SY before raising it to TLP:RED. C records KP.
    Returns A's incident."""
    ours = record(p.a_case_worker, origins=["CN"], tactics=["assault"])
    _shared_by_b(p, "IR", ShareLevel.COUNTED)
    _shared_by_b(p, "RU", ShareLevel.PSEUDONYMISED)
    record(p.b_case_worker, origins=["EG"], tactics=["assault"])
    _shared_by_b(p, "BY", ShareLevel.PSEUDONYMISED, readers=[p.personas.analyst])
    red = _shared_by_b(p, "SY", ShareLevel.PSEUDONYMISED)
    # The owner raises the marking after sharing: the share stops counting (read live).
    m.Incident.objects.filter(pk=red.pk).update(tlp=m.Tlp.RED)
    record(p.c_case_worker, origins=["KP"], tactics=["assault"])
    return ours


def test_partners_counted_only_incidents_count_as_partners_and_nowhere_else(
    partners: Partners,  # noqa: F811
) -> None:
    _coalition(partners)
    analyst = partners.personas.analyst
    assert _origins(analyst, "own") == {"CN": 1}
    assert _origins(analyst, "partners") == {"IR": 1, "RU": 1}
    assert _origins(analyst, "all") == {"CN": 1, "IR": 1, "RU": 1}
    # Not in our list, nor among the records we may open.
    assert incident_list_visible_to(analyst, IncidentFilters()).count() == 1
    opened = {s.incident.origins.get().country for s in shared_incident_list_visible_to(analyst)}
    assert opened == {"RU", "BY"}  # BY: named for the analyst, to read, never to count
    # The outsider's organisation counts none of it, whatever the source.
    for source in ("own", "partners", "all"):
        assert "IR" not in _origins(partners.c_admin, source)
        assert "KP" not in _origins(analyst, source)
    assert _origins(partners.c_admin, "partners") == {}


def test_partners_incidents_are_filtered_like_ours(partners: Partners) -> None:  # noqa: F811
    _coalition(partners)
    analyst = partners.personas.analyst
    assert _origins(analyst, "all", origin="IR") == {"IR": 1}
    assert _origins(analyst, "all", started="2022") == {"IR": 1, "RU": 1}
    assert _origins(analyst, "partners", tactic="spyware") == {}
    flows = statistics_flows(analyst, IncidentFilters(), source="partners")
    assert {(f.origin, f.host, f.year) for f in flows.flows} == {
        ("IR", "DE", "2022"),
        ("RU", "DE", "2022"),
    }
    assert all(flows.drill(f) is None for f in flows.flows)  # the list holds ours only


def test_an_incident_shared_back_to_its_owner_counts_once(partners: Partners) -> None:  # noqa: F811
    ours = _coalition(partners)
    # No service makes this today (a partner cannot re-share); a share row from B of A's
    # own incident stands for it, as a future re-share or federation would make it.
    Share.objects.create(
        agreement=partners.agreement,
        incident=ours,
        owner=partners.b,
        recipient=partners.a,
        level=ShareLevel.COUNTED,
        shared_at=timezone.now(),
    )
    analyst = partners.personas.analyst
    assert _origins(analyst, "own") == {"CN": 1}
    assert _origins(analyst, "partners") == {"IR": 1, "RU": 1}
    table = statistics_table(analyst, IncidentFilters(), rows="year", source="all")
    assert table.total == 3


def test_an_ended_agreement_takes_the_partners_incidents_out(partners: Partners) -> None:  # noqa: F811
    _coalition(partners)
    agreement_end(actor=partners.personas.admin, agreement=partners.agreement)
    assert _origins(partners.personas.analyst, "partners") == {}
    assert _origins(partners.personas.analyst, "all") == {"CN": 1}


def test_the_page_says_what_it_counts_and_links_only_our_incidents(
    partners: Partners,  # noqa: F811
) -> None:
    _coalition(partners)
    client = verified_client(partners.personas.viewer)
    text = client.get("/statistics/", {"source": "all", "rows": "origin"}).content.decode()
    assert "may be counted twice" in text and "shared back" in text
    assert "Iran" in text and "Russian Federation" in text
    assert not re.search(r'href="/incidents/\?', text)
    own = client.get("/statistics/", {"rows": "origin"}).content.decode()
    assert "Iran" not in own.split("stats-caption", 1)[1] and "may be counted twice" not in own
    assert re.search(r'href="/incidents/\?', own)


def test_the_api_and_its_refusals(partners: Partners, client_for: ClientFor) -> None:  # noqa: F811
    _coalition(partners)
    client = client_for(partners.personas.analyst)
    body = client.get("/api/v1/statistics", {"rows": "origin", "source": "partners"}).json()
    assert body["source"] == "partners" and body["total"] == 2
    flows = client.get("/api/v1/statistics/flows", {"source": "all"}).json()
    assert flows["total"] == 3
    answer = client.get("/api/v1/statistics", {"rows": "origin", "source": "everyone"})
    assert answer.status_code == 422
