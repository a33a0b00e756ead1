"""Login with account lockout, TOTP two-factor enrolment and verification, logout."""

from __future__ import annotations

import base64
import time

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from beyondreach.core.audit import audit_record
from beyondreach.core.forms import LoginForm, TokenForm
from beyondreach.core.middleware import SESSION_STARTED
from beyondreach.core.models import User
from beyondreach.core.services import login_failed

GENERIC_FAILURE = "That username and password do not match an active account."


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=False):
        return url
    return "/incidents/"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _try_login(request, form.cleaned_data["username"], form.cleaned_data["password"])
        if error is None:
            user = request.user
            assert isinstance(user, User)
            return redirect("two-factor") if user.needs_2fa else redirect(_next_url(request))
        form.add_error(None, error)
    return render(
        request,
        "core/login.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def _try_login(request: HttpRequest, username: str, password: str) -> str | None:
    """Log in, or return why not. Lockout is per account, never per address."""
    account = User.objects.filter(username=username).first()
    user = authenticate(request, username=username, password=password)
    if account and account.locked_until and account.locked_until > timezone.now():
        # Say "locked" only to whoever knows the password: to anyone else a locked account
        # answers like a wrong password, so lockout cannot be used to learn who has one.
        if not isinstance(user, User):
            return GENERIC_FAILURE
        minutes = int((account.locked_until - timezone.now()).total_seconds() // 60) + 1
        return f"Too many failed attempts: this account is locked for {minutes} more minutes."
    if not isinstance(user, User):
        if account:
            login_failed(
                user=account,
                failures_allowed=settings.LOCKOUT_FAILURES,
                lock_seconds=settings.LOCKOUT_SECONDS,
            )
        return GENERIC_FAILURE
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    login(request, user)  # cycles the session id: a new session at every login
    request.session[SESSION_STARTED] = time.time()
    if user.organisation:
        audit_record(
            organisation=user.organisation,
            actor=user,
            action="login",
            record_type="user",
            record_id=user.uuid,
        )
    return None


def _qr_data_uri(device: TOTPDevice, user: User) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    uri = f"otpauth://totp/TNR%20Watch:{user.username}?secret={secret}&issuer=TNR%20Watch"
    # An SVG shown through <img> must declare its namespace, or the browser shows nothing
    # (svg_inline leaves it out, being meant for markup pasted into HTML).
    return segno.make(uri, error="m").svg_data_uri(scale=4, svgns=True)


@require_http_methods(["GET", "POST"])
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; enrol a device first if the user has none confirmed."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect("login")
    if user.needs_2fa and user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if device is None:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # verify_token refuses a code at or before the last accepted step: a code works once.
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            assert user.organisation is not None
            audit_record(
                organisation=user.organisation,
                actor=user,
                action="two_factor.enrol" if enrolling else "two_factor.verify",
                record_type="user",
                record_id=user.uuid,
            )
            return redirect(_next_url(request))
        login_failed(
            user=user,
            failures_allowed=settings.LOCKOUT_FAILURES,
            lock_seconds=settings.LOCKOUT_SECONDS,
        )
        form.add_error("token", "That code is not valid, or was already used.")
        user.refresh_from_db()
        if user.locked_until and user.locked_until > timezone.now():
            logout(request)
            return redirect("login")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr"] = _qr_data_uri(device, user)
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "core/two_factor.html", context, status=400 if form.errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return redirect("incident-list")
