from __future__ import annotations

from django.test import Client

from beyondreach.core.models import User
from beyondreach.demo.generate import DEMO_PASSWORD, demo_orgs
from beyondreach.demo.reports import DEMO_SLUG, demo_reporting_channel
from beyondreach.reports.models import Report
from beyondreach.reports.selectors import report_open
from beyondreach.reports.services import channel_unlock


def test_the_demo_opens_a_channel_whose_reports_the_demo_case_worker_can_read(db: None) -> None:
    demo_orgs()
    admin = User.objects.get(username="demo_admin")
    worker = User.objects.get(username="demo_caseworker")
    assert demo_reporting_channel(admin, worker, DEMO_PASSWORD)
    assert not demo_reporting_channel(admin, worker, DEMO_PASSWORD)  # once only
    key = channel_unlock(user=worker, passphrase=DEMO_PASSWORD)
    views = [report_open(r, key) for r in Report.objects.order_by("id")]
    assert {r.report.language for r in views} == {"en", "ru", "ar", "fa", "zh-hans"}
    assert any(v.urgent for v in views) and views[0].messages
    assert Client().get(f"/r/{DEMO_SLUG}/en/").status_code == 200
