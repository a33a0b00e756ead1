"""Publishing with differential privacy: OpenDP's noise, its stated 95% intervals, and the
public domain of values (a value's presence is never told by its mere appearance)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from beyondreach.core.models import AuditEvent
from beyondreach.statistics import publish_dp
from beyondreach.statistics.models import PrivacyLoss, Publication
from beyondreach.statistics.publish import statistics_publish, statistics_unpublish
from beyondreach.statistics.publish_tables import ItemSpec, domain

from ..conftest import Personas, verified_client
from .test_publish import TABLE, record_counted


@pytest.fixture
def counted(personas: Personas) -> Personas:
    return record_counted(personas)


def test_the_noise_stays_within_its_stated_95_percent_interval() -> None:
    found = publish_dp.release([0] * 4000, l1=4, epsilon=1.0)
    assert found.scale == 4.0 and found.margin > 0
    inside = sum(abs(v) <= found.margin for v in found.values) / len(found.values)
    assert 0.93 <= inside <= 0.975, inside
    assert any(v != 0 for v in found.values)


def test_one_incident_counted_in_several_cells_is_in_the_sensitivity() -> None:
    # origin (up to 3 values) x year (1): 3 cells, 3 origin totals, 1 year total, the total.
    assert publish_dp.sensitivity("origin", "year") == 3 * 1 + 3 + 1 + 1
    assert publish_dp.sensitivity("year", None) == 2


def test_an_admin_publishes_a_table_under_differential_privacy(counted: Personas) -> None:
    client = verified_client(counted.admin)
    form = TABLE | {"items-0-method": "dp", "items-0-epsilon": "2.5"}
    assert client.post("/statistics/publish/", form).status_code == 302
    item = Publication.objects.get().items[0]
    params = item["params"]
    assert params["epsilon"] == 2.5 and params["sensitivity"] == 8
    assert params["scale"] == 3.2 and params["interval"] > 0
    for figure in item["cells"] + item["row_totals"] + [item["total"]]:
        assert figure["low"] <= figure["value"] <= figure["high"]
        assert figure["high"] - figure["low"] <= 2 * params["interval"]
    # The true total is 53: within its 95% interval 19 times in 20, and within three
    # half-widths of the published value all but about once in ten thousand.
    total, margin = item["total"]["value"], params["interval"]
    assert total - 3 * margin <= 53 <= total + 3 * margin
    page = Client().get("/p/safeguard/statistics/").content.decode()
    assert "Differential privacy</strong>, epsilon 2.5" in page and "95% interval" in page


def test_every_value_of_a_dimension_is_released_not_only_those_recorded(
    counted: Personas,
) -> None:
    # At epsilon 10 the noise's scale is 0.8 (sensitivity 8) and zero's interval about 2.4.
    spec = ItemSpec("table", "origin", None, "incidents", "dp", epsilon=10.0)
    publication = statistics_publish(actor=counted.admin, address="safeguard", specs=[spec])
    shown = {r["row"] for r in publication.items[0]["row_totals"]}
    # Shown: values whose noisy total clears zero's interval, drawn from every country;
    # China (26 incidents) clears it but for noise below -23 (odds about e^-29). At epsilon
    # 1 (scale 8, interval about 24) it failed a CI run: the noise could hide it.
    assert "CN" in shown and shown <= set(domain("origin"))
    assert len(domain("origin")) > 240 and None in domain("origin")


def test_publications_spend_one_privacy_budget_and_the_page_says_how_much_is_left(
    counted: Personas, settings: Any
) -> None:
    settings.STATISTICS_EPSILON_BUDGET = 5.0
    client = verified_client(counted.admin)
    first = TABLE | {"items-0-method": "dp", "items-0-epsilon": "3"}
    assert client.post("/statistics/publish/", first).status_code == 302
    # Taking the figures down gives nothing back: whoever read them keeps them.
    statistics_unpublish(actor=counted.admin)
    refused = client.post("/statistics/publish/", first)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        "would spend epsilon 3 and 2 is left of the organisation&#x27;s privacy budget of 5" in page
    )
    assert "epsilon 3 spent of 5" in " ".join(page.split())
    assert not Publication.objects.exists()
    # Suppression spends nothing; what is left can still be spent.
    suppression = TABLE | {"items-0-method": "suppression"}
    assert client.post("/statistics/publish/", suppression).status_code == 302
    smaller = TABLE | {"items-0-method": "dp", "items-0-epsilon": "2"}
    assert client.post("/statistics/publish/", smaller).status_code == 302
    assert [loss.epsilon for loss in PrivacyLoss.objects.order_by("id")] == [3.0, 2.0]
    assert (
        AuditEvent.objects.filter(action="statistics.publish").last().detail["epsilon_spent"] == 2.0
    )
