"""A demo reporting channel, so `./tnr run` shows the whole reporting flow at once.

The demo admin and case worker get the demo password as their reporting passphrase (a demo
convenience: in real use it is a separate secret), the channel opens at /r/demo/, and a few
fictional reports arrive in several languages, one with a hearing next week, one with a
question from the case worker waiting for the reporter.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from beyondreach.core.models import User
from beyondreach.reports.models import MemberKey, ReportingChannel
from beyondreach.reports.services import (
    access_grant,
    channel_open,
    channel_unlock,
    member_key_create,
    report_reply,
    report_submit,
)

DEMO_SLUG = "demo"


def _reports(today: dt.date) -> list[tuple[str, dict[str, object]]]:
    soon = (today + dt.timedelta(days=6)).isoformat()
    return [
        (
            "en",
            {
                "what_happened": "Two men who said they were from the embassy came to my "
                "workplace and asked my manager about my political activity. (fictional)",
                "where_country": "DE",
                "behind_country": "TJ",
                "tactics": ["physical_intimidation", "third_party_pressure"],
            },
        ),
        (
            "ru",
            {
                "what_happened": "Моего отца вызвали в полицию и спрашивали, где я живу. "
                "(вымышленный пример)",
                "where_country": "LT",
                "behind_country": "BY",
                "tactics": ["family_coercion"],
                "family_targeted": "yes",
            },
        ),
        (
            "ar",
            {
                "what_happened": "تم إبلاغي بأن هناك طلب تسليم ضدي، والجلسة الأسبوع المقبل. "
                "(مثال خيالي)",
                "where_country": "TR",
                "behind_country": "EG",
                "tactics": ["extradition_request"],
                "deadline_date": soon,
                "deadline_what": "جلسة تسليم",
            },
        ),
        (
            "fa",
            {
                "what_happened": "پیام‌هایی با لینک‌های مشکوک برایم فرستاده شد و حسابم هک شد. "
                "(نمونهٔ خیالی)",
                "where_country": "GB",
                "behind_country": "IR",
                "tactics": ["phishing", "hacking"],
            },
        ),
        (
            "zh-hans",
            {
                "what_happened": "有人在网上公布了我的住址和电话号码。（虚构示例）",
                "where_country": "NL",
                "behind_country": "CN",
                "tactics": ["doxxing", "digital_threats"],
            },
        ),
    ]


def demo_reporting_channel(admin: User, case_worker: User, passphrase: str) -> bool:
    """Open the demo channel with its sample reports; False if a channel already exists."""
    if ReportingChannel.objects.filter(organisation=admin.organisation).exists():
        return False
    for user in (admin, case_worker):
        if not MemberKey.objects.filter(user=user).exists():
            member_key_create(user=user, passphrase=passphrase)
    channel, _recovery = channel_open(actor=admin, slug=DEMO_SLUG)
    key = channel_unlock(user=admin, passphrase=passphrase)
    access_grant(actor=admin, channel_private_key=key, member=case_worker)
    receipts = [
        report_submit(channel=channel, language=lang, answers=answers, attachments=[])
        for lang, answers in _reports(timezone.localdate())
    ]
    report_reply(
        actor=case_worker,
        report=receipts[0].report,
        text="Thank you. Did they leave a card or a phone number? (fictional)",
    )
    return True
