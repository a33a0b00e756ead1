"""The public reporting pages: no account, no JavaScript needed, nothing that identifies the
reporter kept. Every page is rendered in the language chosen in its address."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beyondreach.core.attachments import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENTS_MAX,
    REPORT_MAX_BYTES,
    Attachment,
    AttachmentRejected,
    RequestCutOff,
    RequestTooLarge,
    install_memory_only_uploads,
    prepare_attachment,
)
from beyondreach.core.errors import InvalidInputError
from beyondreach.reports.forms import CodenameForm, FollowUpForm, ReportForm
from beyondreach.reports.keys import codename_keys
from beyondreach.reports.models import Report, ReportingChannel, ReportStatus
from beyondreach.reports.proof import b64
from beyondreach.reports.reporter_cookie import (
    reporter_session_end,
    reporter_session_get,
    reporter_session_set,
)
from beyondreach.reports.selectors import reporter_messages
from beyondreach.reports.services import (
    ChannelBusyError,
    report_proof,
    report_receipt_shown,
    report_submit,
    reporter_add,
    reporter_find,
)

View = Callable[..., HttpResponse]
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def public_page(view: View) -> View:
    """Find the channel by its address and speak the language the address names."""

    @wraps(view)
    def wrapped(
        request: HttpRequest, slug: str, lang: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        channel = ReportingChannel.objects.select_related("organisation").filter(slug=slug).first()
        if channel is None or lang not in LANGUAGE_CODES:
            raise Http404("No such reporting form.")
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, channel, lang, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        response["Content-Language"] = lang
        return response

    return wrapped


def _render(
    request: HttpRequest,
    template: str,
    channel: ReportingChannel,
    lang: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    base = {
        "channel": channel,
        "lang": lang,
        "languages": settings.LANGUAGES,
        "quick_exit_url": settings.REPORTS_QUICK_EXIT_URL,
        "bidi": translation.get_language_bidi(),
        "limits": {
            "file_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "total_mb": REPORT_MAX_BYTES // (1024 * 1024),
            "files": ATTACHMENTS_MAX,
        },
    }
    return render(request, template, {**base, **context}, status=status)


@require_safe
def channel_home(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose a language: each one named in itself."""
    channel = ReportingChannel.objects.select_related("organisation").filter(slug=slug).first()
    if channel is None:
        raise Http404("No such reporting form.")
    with translation.override("en"):
        return _render(request, "reports/public/languages.html", channel, "en", {})


@require_safe
def channel_key(request: HttpRequest, slug: str) -> HttpResponse:
    """The keys to publish: the verification key checks proofs of submission."""
    channel = ReportingChannel.objects.select_related("organisation").filter(slug=slug).first()
    if channel is None:
        raise Http404("No such reporting form.")
    text = (
        f"organisation: {channel.organisation.name}\n"
        f"channel: {channel.uuid}\n"
        f"proof-verification-key (Ed25519): {b64(bytes(channel.verify_key))}\n"
        f"report-encryption-key (X25519): {b64(bytes(channel.public_key))}\n"
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def intro(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    return _render(request, "reports/public/intro.html", channel, lang, {})


def _too_large(channel: ReportingChannel, lang: str, request: HttpRequest) -> HttpResponse:
    return _render(request, "reports/public/too_large.html", channel, lang, {}, status=413)


def _cut_off(channel: ReportingChannel, lang: str, request: HttpRequest) -> HttpResponse:
    context = {"message": RequestCutOff.message}
    return _render(request, "reports/public/cut_off.html", channel, lang, context, status=400)


def _attachments(
    request: HttpRequest, field: str, too_large: list[str]
) -> tuple[list[Attachment], list[str]]:
    """The accepted files and a message for each refused one."""
    errors = [
        _("“%(name)s” is larger than %(mb)s MB.")
        % {"name": name, "mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        for name in too_large
    ]
    files = request.FILES.getlist(field)
    if len(files) + len(too_large) > ATTACHMENTS_MAX:
        errors.append(_("Send at most %(n)s files at a time.") % {"n": ATTACHMENTS_MAX})
        return [], errors
    accepted = []
    for upload in files:
        try:
            accepted.append(prepare_attachment(upload.name or "file", upload.read()))
        except AttachmentRejected as exc:
            errors.append(f"“{upload.name}”: {exc.message}")
    return accepted, errors


@csrf_exempt  # the upload handlers change first; csrf_protect below then checks the token
@public_page
def new_report(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    if request.method == "POST":
        try:  # around the csrf_protect call too: the CSRF check is what first reads the body
            handler = install_memory_only_uploads(request)
            return _new_report_post(request, channel, lang, handler.too_large)
        except RequestTooLarge:
            return _too_large(channel, lang, request)
        except RequestCutOff:
            return _cut_off(channel, lang, request)
    if request.method != "GET":
        return HttpResponse(status=405)
    return _render(request, "reports/public/form.html", channel, lang, {"form": ReportForm()})


@csrf_protect
def _new_report_post(
    request: HttpRequest, channel: ReportingChannel, lang: str, too_large: list[str]
) -> HttpResponse:
    form = ReportForm(request.POST)
    valid = form.is_valid()
    attachments, file_errors = _attachments(request, "files", too_large)
    if form.cleaned_data.get("website"):
        form.add_error("website", _("Leave this field empty."))
        valid = False
    if not valid or file_errors:
        context = {"form": form, "file_errors": file_errors}
        return _render(request, "reports/public/form.html", channel, lang, context, status=400)
    try:
        receipt = report_submit(
            channel=channel,
            language=lang,
            answers=form.answers(),
            attachments=attachments,
            submission_token=form.cleaned_data.get("submission") or None,
        )
    except ChannelBusyError as exc:
        return _render(
            request,
            "reports/public/form.html",
            channel,
            lang,
            {"form": form, "busy": exc.message},
            status=429,
        )
    # POST/redirect/GET: reloading the receipt never sends the report again.
    response = redirect("report-receipt", slug=channel.slug, lang=lang)
    if receipt.codename is not None:
        ck = codename_keys(receipt.codename, bytes(channel.codename_salt))
        reporter_session_set(
            response, receipt.report.uuid, ck.private_key, codename=receipt.codename
        )
    # Else the same form came again after its receipt was shown: the reporter's cookie from
    # that first answer still leads to it, or the follow-up page asks for the codename.
    return response


@require_safe
@public_page
def receipt(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    """The codename, once more on each reload while the reporter's session lasts."""
    session = reporter_session_get(request)
    report = None
    if session is not None:
        report = Report.objects.filter(channel=channel, uuid=session.report_id).first()
    if report is None or session is None:
        return redirect("report-follow-up", slug=channel.slug, lang=lang)
    if not session.codename:
        return redirect("report-status", slug=channel.slug, lang=lang)
    report_receipt_shown(report)
    context = {
        "codename": session.codename,
        "words": session.codename.split(),
        "files": report.files.count(),
    }
    return _render(request, "reports/public/receipt.html", channel, lang, context)


def _reporter_report(
    request: HttpRequest, channel: ReportingChannel
) -> tuple[Report, bytes] | None:
    session = reporter_session_get(request)
    if session is None:
        return None
    report = Report.objects.filter(channel=channel, uuid=session.report_id).first()
    return (report, session.private_key) if report else None


@require_POST
@public_page
def practise(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    """Type the codename once more, to learn it; says only right or not quite."""
    found = _reporter_report(request, channel)
    if found is None:
        return redirect("report-follow-up", slug=channel.slug, lang=lang)
    form = CodenameForm(request.POST)
    right = (
        form.is_valid()
        and codename_keys(form.cleaned_data["codename"], bytes(channel.codename_salt)).lookup
        == found[0].codename_lookup
    )
    return _render(
        request,
        "reports/public/practise.html",
        channel,
        lang,
        {"right": right, "form": CodenameForm()},
    )


@require_http_methods(["GET", "POST"])
@public_page
def follow_up(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    form = CodenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = reporter_find(channel=channel, codename=form.cleaned_data["codename"])
        if found is not None:
            response = redirect("report-status", slug=channel.slug, lang=lang)
            reporter_session_set(response, found[0].uuid, found[1])
            return response
        # The same words whether the codename is unknown or mistyped.
        form.add_error(
            "codename",
            _("We could not open a report with that codename. Check each word and try again."),
        )
    status = 400 if form.errors else 200
    return _render(
        request, "reports/public/follow_up.html", channel, lang, {"form": form}, status=status
    )


# Lazy: resolved when the page renders, in the reporter's language.
STATUS_FOR_REPORTER = {
    ReportStatus.NEW: gettext_lazy("Received. Nobody has read it yet."),
    ReportStatus.GENUINE: gettext_lazy("A case worker is looking at your report."),
    ReportStatus.INCIDENT: gettext_lazy("A case worker is working on your report as a case."),
    ReportStatus.SPAM: gettext_lazy("Closed."),
    ReportStatus.DUPLICATE: gettext_lazy("Closed: we already have this report."),
}


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # see new_report: upload handlers first, then the CSRF check
@public_page
def status(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    found = _reporter_report(request, channel)
    if found is None:
        return redirect("report-follow-up", slug=channel.slug, lang=lang)
    if request.method == "POST":
        try:  # see new_report
            handler = install_memory_only_uploads(request)
            return _status_post(request, channel, lang, found[0], found[1], handler.too_large)
        except RequestTooLarge:
            return _too_large(channel, lang, request)
        except RequestCutOff:
            return _cut_off(channel, lang, request)
    return _status_page(request, channel, lang, found[0], found[1], FollowUpForm(), [])


@csrf_protect
def _status_post(
    request: HttpRequest,
    channel: ReportingChannel,
    lang: str,
    report: Report,
    key: bytes,
    too_large: list[str],
) -> HttpResponse:
    form = FollowUpForm(request.POST)
    valid = form.is_valid()
    attachments, file_errors = _attachments(request, "files", too_large)
    if valid and not file_errors:
        try:
            reporter_add(report=report, text=form.cleaned_data["text"], attachments=attachments)
        except InvalidInputError as exc:
            form.add_error("text", exc.errors["text"][0])
        else:
            return _status_page(request, channel, lang, report, key, FollowUpForm(), [], sent=True)
    return _status_page(request, channel, lang, report, key, form, file_errors, status_code=400)


def _status_page(
    request: HttpRequest,
    channel: ReportingChannel,
    lang: str,
    report: Report,
    key: bytes,
    form: FollowUpForm,
    file_errors: list[str],
    *,
    sent: bool = False,
    status_code: int = 200,
) -> HttpResponse:
    context = {
        "report": report,
        "status_text": STATUS_FOR_REPORTER[ReportStatus(report.status)],
        "messages_": reporter_messages(report, key),
        "file_count": report.files.count(),
        "form": form,
        "file_errors": file_errors,
        "sent": sent,
    }
    return _render(
        request, "reports/public/status.html", channel, lang, context, status=status_code
    )


@require_safe
@public_page
def proof(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    found = _reporter_report(request, channel)
    if found is None:
        return redirect("report-follow-up", slug=channel.slug, lang=lang)
    response = HttpResponse(report_proof(found[0]), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="proof-of-submission.txt"'
    return response


@require_POST
@public_page
def leave(request: HttpRequest, channel: ReportingChannel, lang: str) -> HttpResponse:
    response = redirect("report-intro", slug=channel.slug, lang=lang)
    reporter_session_end(response)
    return response
