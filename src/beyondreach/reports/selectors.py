"""Reads of the reporting channel. Staff reach a report only through `access_report`, which
checks organisation and role (404 outside the organisation); opening its content needs the
channel's private key, which only an unlocked member's browser session holds."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from beyondreach.core.errors import NotFoundError, PermissionDeniedError, parse_record_id
from beyondreach.core.models import User
from beyondreach.reports import keys
from beyondreach.reports.models import Report, ReportFile, ReportingChannel, ReportStatus

URGENT_WITHIN_DAYS = 14


def _readers_org(user: User) -> int:
    if not user.is_authenticated or user.organisation_id is None:
        raise NotFoundError("Not found.")
    if not user.can_write:
        raise PermissionDeniedError("Only admins and case workers read reports.")
    return user.organisation_id


def access_report(user: User, report_id: str | uuid.UUID) -> Report:
    org = _readers_org(user)
    wanted = parse_record_id(report_id, "No such report.")
    report = (
        Report.objects.select_related("channel", "incident")
        .filter(organisation_id=org, uuid=wanted)
        .first()
    )
    if report is None:
        raise NotFoundError("No such report.")
    return report


def access_report_file(report: Report, file_id: str) -> ReportFile:
    wanted = parse_record_id(file_id, "No such file.")
    found = ReportFile.objects.filter(report=report, uuid=wanted).first()
    if found is None:
        raise NotFoundError("No such file.")
    return found


def channel_of(user: User) -> ReportingChannel | None:
    return ReportingChannel.objects.filter(organisation_id=_readers_org(user)).first()


def inbox(user: User, status: str = "") -> QuerySet[Report]:
    reports = Report.objects.filter(organisation_id=_readers_org(user))
    if status:
        reports = reports.filter(status=status)
    else:
        reports = reports.exclude(status__in=[ReportStatus.SPAM, ReportStatus.DUPLICATE])
    return reports.order_by("-received_on", "-id")


@dataclass(frozen=True)
class FileView:
    uuid: uuid.UUID
    name: str
    media_type: str
    sha256: str
    added_on: dt.date


@dataclass(frozen=True)
class MessageView:
    author: str
    text: str
    sent_on: dt.date


@dataclass
class ReportView:
    report: Report
    answers: dict[str, Any]
    files: list[FileView] = field(default_factory=list)
    messages: list[MessageView] = field(default_factory=list)

    @property
    def deadline(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(self.answers.get("deadline_date") or ""))
        except ValueError:
            return None

    @property
    def urgent(self) -> bool:
        """A deadline (a hearing, a deportation) within two weeks, or already passed."""
        deadline = self.deadline
        if deadline is None:
            return False
        return deadline - timezone.localdate() <= dt.timedelta(days=URGENT_WITHIN_DAYS)


def report_open(report: Report, channel_private_key: bytes) -> ReportView:
    content = json.loads(keys.open_sealed(channel_private_key, bytes(report.content_sealed)))
    view = ReportView(report=report, answers=content.get("answers", {}))
    for f in report.files.all():
        manifest = json.loads(keys.open_sealed(channel_private_key, bytes(f.manifest_sealed)))
        view.files.append(
            FileView(
                f.uuid, manifest["name"], manifest["media_type"], manifest["sha256"], f.added_on
            )
        )
    for msg in report.messages.all():
        text = keys.open_sealed(channel_private_key, bytes(msg.for_organisation)).decode()
        view.messages.append(MessageView(msg.author, text, msg.sent_on))
    return view


def report_file_open(
    report_file: ReportFile, channel_private_key: bytes, clean: bool
) -> tuple[str, str, bytes]:
    """(name, media type, bytes) of one attachment, the original or the metadata-free copy."""
    manifest = json.loads(keys.open_sealed(channel_private_key, bytes(report_file.manifest_sealed)))
    blob = report_file.clean_sealed if clean else report_file.original_sealed
    return (
        manifest["name"],
        manifest["media_type"],
        keys.open_sealed(channel_private_key, bytes(blob)),
    )


def reporter_messages(report: Report, reporter_private_key: bytes) -> list[MessageView]:
    """What the reporter sees with their codename: the conversation, both sides."""
    return [
        MessageView(
            m.author,
            keys.open_sealed(reporter_private_key, bytes(m.for_reporter)).decode(),
            m.sent_on,
        )
        for m in report.messages.all()
    ]


def reporter_file_names(report: Report) -> int:
    """Reporters see how many files arrived, not their names: names are sealed to the channel."""
    return report.files.count()
