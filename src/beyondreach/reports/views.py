"""Staff pages of the reporting channel: set up keys, unlock, triage, reply, make incidents.

Reports open only with the channel's private key, which lives in the member's browser
session vault (vault.py) after they unlock it with their reporting passphrase.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beyondreach.cases import models as cm
from beyondreach.cases.views import incident_form_page
from beyondreach.core.attachments import attachment_download
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import ApplicationError, DecryptionError, InvalidInputError
from beyondreach.core.models import Role, User
from beyondreach.reports import keys
from beyondreach.reports import services as svc
from beyondreach.reports.forms import (
    NewPassphraseForm,
    OpenChannelForm,
    PassphraseForm,
    RecoveryForm,
    ReplyForm,
    RetentionForm,
    StatusForm,
)
from beyondreach.reports.models import KeyGrant, MemberKey, Report, ReportStatus
from beyondreach.reports.selectors import (
    ReportView,
    access_report,
    access_report_file,
    channel_of,
    inbox,
    report_file_open,
    report_open,
)
from beyondreach.reports.vault import vault_drop, vault_get, vault_put

VAULT_NAME = "reports"


def _unlocked_key(request: HttpRequest) -> bytes | None:
    """The channel's private key if this browser session unlocked it, and it still fits."""
    key = vault_get(request, VAULT_NAME)
    channel = channel_of(request_user(request))
    if key is None or channel is None or keys.reporter_public_key(key) != bytes(channel.public_key):
        return None
    return key


@member_required(write=True)
@require_safe
def report_inbox(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    channel = channel_of(user)
    key = _unlocked_key(request)
    if channel is None or key is None:
        return redirect("report-setup")
    status = request.GET.get("status", "")
    if status not in {"", *ReportStatus.values}:
        status = ""
    views = [report_open(r, key) for r in inbox(user, status)[:200]]
    views.sort(key=lambda v: (not v.urgent, v.deadline or v.report.received_on))
    context = {
        "views": views,
        "status": status,
        "statuses": ReportStatus.choices,
        "channel": channel,
    }
    return render(request, "reports/staff/inbox.html", context)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def report_setup(request: HttpRequest) -> HttpResponse:
    """Passphrase, channel, access for members, retention: whatever this member can do next."""
    user = request_user(request)
    channel = channel_of(user)
    member_key = MemberKey.objects.filter(user=user).first()
    context: dict[str, Any] = {"channel": channel, "member_key": member_key}
    context["has_grant"] = bool(
        channel and KeyGrant.objects.filter(channel=channel, member_key__user=user).exists()
    )
    context["unlocked"] = _unlocked_key(request) is not None
    if user.role == Role.ADMIN and channel:
        context["members"] = _members(user, channel)
        context["retention_form"] = RetentionForm(
            initial={"retention_days": channel.retention_days}
        )
    context["passphrase_form"] = NewPassphraseForm()
    context["open_form"] = OpenChannelForm()
    context["recovery_form"] = RecoveryForm()
    return render(request, "reports/staff/setup.html", context)


def _members(admin: User, channel: Any) -> list[tuple[User, str]]:
    granted = set(
        KeyGrant.objects.filter(channel=channel).values_list("member_key__user_id", flat=True)
    )
    with_key = set(
        MemberKey.objects.filter(user__organisation=admin.organisation).values_list(
            "user_id", flat=True
        )
    )
    rows = []
    for member in User.objects.filter(
        organisation=admin.organisation, role__in=[Role.ADMIN, Role.CASE_WORKER], is_active=True
    ).order_by("username"):
        state = (
            "granted"
            if member.pk in granted
            else "ready"
            if member.pk in with_key
            else "no-passphrase"
        )
        rows.append((member, state))
    return rows


@member_required(write=True)
@require_POST
def report_passphrase(request: HttpRequest) -> HttpResponse:
    form = NewPassphraseForm(request.POST)
    if form.is_valid():
        try:
            svc.member_key_create(
                user=request_user(request), passphrase=form.cleaned_data["passphrase"]
            )
            messages.success(request, "Your reporting passphrase is set.")
        except InvalidInputError as exc:
            messages.error(request, exc.errors["passphrase"][0])
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("report-setup")


@member_required(write=True)
@require_POST
def report_channel_open(request: HttpRequest) -> HttpResponse:
    form = OpenChannelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The public address may hold letters, digits and hyphens only.")
        return redirect("report-setup")
    try:
        channel, recovery = svc.channel_open(
            actor=request_user(request), slug=form.cleaned_data["slug"]
        )
    except InvalidInputError as exc:
        messages.error(request, exc.errors["slug"][0])
        return redirect("report-setup")
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("report-setup")
    # Shown once, in this response only: it is stored nowhere but on the admin's paper.
    return render(
        request, "reports/staff/recovery_key.html", {"recovery": recovery, "channel": channel}
    )


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def report_unlock(request: HttpRequest) -> HttpResponse:
    form = PassphraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = svc.channel_unlock(
                user=request_user(request), passphrase=form.cleaned_data["passphrase"]
            )
        except DecryptionError:
            form.add_error("passphrase", "That passphrase is not right.")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            response = redirect("report-inbox")
            vault_put(request, response, VAULT_NAME, key)
            return response
    return render(
        request, "reports/staff/unlock.html", {"form": form}, status=400 if form.errors else 200
    )


@member_required(write=True)
@require_POST
def report_recover(request: HttpRequest) -> HttpResponse:
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            key = svc.channel_recover(
                actor=request_user(request), recovery_text=form.cleaned_data["recovery_key"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            response = redirect("report-setup")
            vault_put(request, response, VAULT_NAME, key)
            messages.success(request, "Unlocked with the recovery key.")
            return response
    return redirect("report-setup")


@member_required(write=True)
@require_POST
def report_lock(request: HttpRequest) -> HttpResponse:
    vault_drop(request, VAULT_NAME)
    return redirect("report-setup")


@member_required(write=True)
@require_POST
def report_grant(request: HttpRequest, user_id: str) -> HttpResponse:
    admin = request_user(request)
    key = _unlocked_key(request)
    wanted = _uuid_or_none(user_id)
    member = (
        User.objects.filter(organisation=admin.organisation, uuid=wanted).first()
        if wanted
        else None
    )
    if member is None:
        messages.error(request, "No such member.")
    elif key is None:
        messages.error(request, "Unlock the reports key first.")
    else:
        try:
            svc.access_grant(actor=admin, channel_private_key=key, member=member)
            messages.success(request, f"{member.username} can now read reports.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return redirect("report-setup")


def _uuid_or_none(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


@member_required(write=True)
@require_POST
def report_retention(request: HttpRequest) -> HttpResponse:
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            svc.channel_settings_update(
                actor=request_user(request), retention_days=form.cleaned_data["retention_days"]
            )
            messages.success(request, "Retention saved.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Choose between 7 and 3650 days.")
    return redirect("report-setup")


def _opened(request: HttpRequest, report_id: str) -> tuple[Report, bytes] | None:
    report = access_report(request_user(request), report_id)
    key = _unlocked_key(request)
    return (report, key) if key is not None else None


@member_required(write=True)
@require_safe
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    opened = _opened(request, report_id)
    if opened is None:
        return redirect("report-unlock")
    report, key = opened
    view = report_open(report, key)
    svc.report_viewed(actor=request_user(request), report=report)
    return _detail_page(request, view, ReplyForm())


def _detail_page(
    request: HttpRequest, view: ReportView, reply: ReplyForm, status: int = 200
) -> HttpResponse:
    context = {
        "view": view,
        "report": view.report,
        "reply_form": reply,
        "status_form": StatusForm(initial={"status": view.report.status}),
        "tactic_labels": dict(svc.plain_tactic_labels()),
    }
    return render(request, "reports/staff/detail.html", context, status=status)


@member_required(write=True)
@require_POST
def report_status(request: HttpRequest, report_id: str) -> HttpResponse:
    report = access_report(request_user(request), report_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        svc.report_mark(
            actor=request_user(request), report=report, status=form.cleaned_data["status"]
        )
        messages.success(request, f"Marked as {report.get_status_display().lower()}.")
    return redirect("report-detail", report_id=report.uuid)


@member_required(write=True)
@require_POST
def report_reply_view(request: HttpRequest, report_id: str) -> HttpResponse:
    opened = _opened(request, report_id)
    if opened is None:
        return redirect("report-unlock")
    report, key = opened
    form = ReplyForm(request.POST)
    if form.is_valid():
        svc.report_reply(actor=request_user(request), report=report, text=form.cleaned_data["text"])
        messages.success(
            request, "Sent. The reporter sees it when they come back with their codename."
        )
        return redirect("report-detail", report_id=report.uuid)
    return _detail_page(request, report_open(report, key), form, status=400)


@member_required(write=True)
@require_safe
def report_file(request: HttpRequest, report_id: str, file_id: str, variant: str) -> HttpResponse:
    opened = _opened(request, report_id)
    if opened is None:
        return redirect("report-unlock")
    report, key = opened
    found = access_report_file(report, file_id)
    name, media_type, data = report_file_open(found, key, clean=variant != "original")
    svc.report_file_viewed(actor=request_user(request), report=report, variant=variant)
    return attachment_download(data, media_type, name, clean=variant != "original")


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def report_to_incident(request: HttpRequest, report_id: str) -> HttpResponse:
    opened = _opened(request, report_id)
    if opened is None:
        return redirect("report-unlock")
    report, key = opened
    if report.incident_id is not None:
        return redirect("incident-detail", incident_id=report.incident.uuid)  # type: ignore[union-attr]
    user = request_user(request)

    def link_back(incident: cm.Incident) -> None:
        svc.report_link_incident(actor=user, report=report, incident=incident)

    initial = svc.incident_initial_from_report(report_open(report, key))
    return incident_form_page(request, None, initial=initial, after_create=link_back)
