"""Alert pages: my alerts, focal points (admins), deadlines (admins and case workers).
Thin: parse the form, call one selector and one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beyondreach.alerts import services as svc
from beyondreach.alerts.forms import (
    DeadlineForm,
    EmailForm,
    FocalPointForm,
    NewDeadlineForm,
    RuleForm,
    place,
)
from beyondreach.alerts.models import FocalPoint, Subscription
from beyondreach.alerts.selectors import (
    access_deadline,
    access_focal_point,
    access_subscription,
    admin_org_id,
    deadline_board,
    focal_points_of,
    subscriptions_of,
    writer_org_id,
)
from beyondreach.cases.selectors import access_incident
from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import ApplicationError, InvalidInputError
from beyondreach.core.models import User

# --- My alerts --------------------------------------------------------------------------


def _list_page(request: HttpRequest, email_form: EmailForm, status: int = 200) -> HttpResponse:
    user = request_user(request)
    context = {"subscriptions": subscriptions_of(user), "email_form": email_form}
    return render(request, "alerts/list.html", context, status=status)


@member_required()
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, EmailForm(initial={"email": request_user(request).email}))


@member_required()
@require_POST
def alert_email(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST)
    if form.is_valid():
        try:
            svc.user_email_set(actor=request_user(request), email=form.cleaned_data["email"])
            messages.success(request, "Alerts and reminders will go to this address.")
            return redirect("alert-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
    return _list_page(request, form, status=400)


def _rule_page(
    request: HttpRequest,
    form: RuleForm,
    *,
    subscription: Subscription | None,
    focal_point: FocalPoint | None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "subscription": subscription, "focal_point": focal_point}
    return render(request, "alerts/rule_form.html", context, status=status)


def _rule_initial(s: Subscription) -> dict[str, Any]:
    fields = ("origin_states", "host_countries", "tactics", "target_groups")
    return {
        **{name: getattr(s, name) for name in fields},
        "urgent_only": s.urgent_only,
        "active": s.active,
    }


def _save_rule(
    request: HttpRequest, subscription: Subscription | None, focal_point: FocalPoint | None
) -> HttpResponse:
    form = RuleForm(request.POST)
    if form.is_valid():
        user, data = request_user(request), form.data_for_service()
        try:
            if subscription is None:
                subscription = svc.subscription_create(
                    actor=user, data=data, focal_point=focal_point
                )
            else:
                svc.subscription_update(actor=user, subscription=subscription, data=data)
            messages.success(request, "Alert saved.")
            return _after_rule(subscription)
        except InvalidInputError as exc:
            place(form, exc.errors)
    return _rule_page(request, form, subscription=subscription, focal_point=focal_point, status=400)


def _after_rule(subscription: Subscription) -> HttpResponse:
    if subscription.focal_point is not None:
        return redirect("focal-point-detail", focal_point_id=subscription.focal_point.uuid)
    return redirect("alert-list")


@member_required()
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_rule(request, None, None)
    return _rule_page(request, RuleForm(), subscription=None, focal_point=None)


@member_required()
@require_http_methods(["GET", "POST"])
def alert_edit(request: HttpRequest, subscription_id: str) -> HttpResponse:
    subscription = access_subscription(request_user(request), subscription_id)
    if request.method == "POST":
        return _save_rule(request, subscription, subscription.focal_point)
    form = RuleForm(initial=_rule_initial(subscription))
    return _rule_page(
        request, form, subscription=subscription, focal_point=subscription.focal_point
    )


@member_required()
@require_POST
def alert_delete(request: HttpRequest, subscription_id: str) -> HttpResponse:
    subscription = access_subscription(request_user(request), subscription_id)
    point = subscription.focal_point
    svc.subscription_delete(actor=request_user(request), subscription=subscription)
    messages.success(request, "Alert deleted.")
    if point is not None:
        return redirect("focal-point-detail", focal_point_id=point.uuid)
    return redirect("alert-list")


# --- Focal points (admins) --------------------------------------------------------------


@member_required(write=True)
@require_safe
def focal_point_list(request: HttpRequest) -> HttpResponse:
    points = focal_points_of(request_user(request))
    return render(request, "alerts/focal_points.html", {"points": points})


def _secret_page(request: HttpRequest, point: FocalPoint, secret: str) -> HttpResponse:
    # The only time the secret is shown: the receiver's operator copies it now.
    return render(request, "alerts/secret.html", {"point": point, "secret": secret})


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def focal_point_new(request: HttpRequest) -> HttpResponse:
    admin_org_id(request_user(request))
    form = FocalPointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            point, secret = svc.focal_point_create(
                actor=request_user(request), data=form.data_for_service()
            )
            messages.success(request, "Focal point saved. Now add the alerts it receives.")
            if secret:
                return _secret_page(request, point, secret)
            return redirect("focal-point-detail", focal_point_id=point.uuid)
        except InvalidInputError as exc:
            place(form, exc.errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/focal_point_form.html", {"form": form}, status=status)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def focal_point_detail(request: HttpRequest, focal_point_id: str) -> HttpResponse:
    point = access_focal_point(request_user(request), focal_point_id)
    if request.method == "GET":
        initial = {
            "name": point.name,
            "email": point.email,
            "webhook_url": point.webhook_url,
            "active": point.active,
        }
        return _point_page(request, point, FocalPointForm(initial=initial))
    form = FocalPointForm(request.POST)
    if form.is_valid():
        try:
            _, secret = svc.focal_point_update(
                actor=request_user(request), focal_point=point, data=form.data_for_service()
            )
            messages.success(request, "Focal point saved.")
            if secret:
                return _secret_page(request, point, secret)
            return redirect("focal-point-detail", focal_point_id=point.uuid)
        except InvalidInputError as exc:
            place(form, exc.errors)
    return _point_page(request, point, form, status=400)


def _point_page(
    request: HttpRequest, point: FocalPoint, form: FocalPointForm, status: int = 200
) -> HttpResponse:
    context = {"point": point, "form": form, "subscriptions": point.subscriptions.order_by("id")}
    return render(request, "alerts/focal_point_detail.html", context, status=status)


@member_required(write=True)
@require_POST
def focal_point_secret(request: HttpRequest, focal_point_id: str) -> HttpResponse:
    point = access_focal_point(request_user(request), focal_point_id)
    try:
        secret = svc.focal_point_secret_rotate(actor=request_user(request), focal_point=point)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("focal-point-detail", focal_point_id=point.uuid)
    return _secret_page(request, point, secret)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def focal_point_subscription_new(request: HttpRequest, focal_point_id: str) -> HttpResponse:
    point = access_focal_point(request_user(request), focal_point_id)
    if request.method == "POST":
        return _save_rule(request, None, point)
    return _rule_page(request, RuleForm(), subscription=None, focal_point=point)


# --- Deadlines (admins and case workers) ------------------------------------------------


@member_required(write=True)
@require_safe
def deadline_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    mine = request.GET.get("who") != "all"
    board = deadline_board(user, mine=mine, today=timezone.localdate())
    svc.deadline_board_viewed(actor=user, board=board)
    context = {"board": board, "mine": mine, "today": timezone.localdate()}
    return render(request, "alerts/deadlines.html", context)


def _assignees(user: User) -> list[tuple[str, str]]:
    members = User.objects.filter(organisation=user.organisation, is_active=True)
    return [(str(u.uuid), u.username) for u in members.order_by("username")]


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def deadline_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    writer_org_id(user)
    if request.method == "GET":
        form = NewDeadlineForm(
            initial={"incident": request.GET.get("incident", "")[:300]},
            assignees=_assignees(user),
        )
        return render(request, "alerts/deadline_form.html", {"form": form})
    form = NewDeadlineForm(request.POST, assignees=_assignees(user))
    if form.is_valid():
        try:
            incident = access_incident(user, form.cleaned_data["incident"])
            svc.deadline_create(actor=user, incident=incident, data=form.data_for_service())
            messages.success(request, "Deadline saved; the assignee will be reminded.")
            return redirect("deadline-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
        except ApplicationError:
            form.add_error("incident", "No such incident in your organisation.")
    return render(request, "alerts/deadline_form.html", {"form": form}, status=400)


@member_required(write=True)
@require_http_methods(["GET", "POST"])
def deadline_edit(request: HttpRequest, deadline_id: str) -> HttpResponse:
    user = request_user(request)
    deadline = access_deadline(user, deadline_id)
    if request.method == "GET":
        initial = {
            "kind": deadline.kind,
            "due_on": deadline.due_on,
            "assignee": str(deadline.assignee.uuid) if deadline.assignee else "",
            "note": deadline.note,
        }
        form = DeadlineForm(initial=initial, assignees=_assignees(user))
        return render(request, "alerts/deadline_form.html", {"form": form, "deadline": deadline})
    form = DeadlineForm(request.POST, assignees=_assignees(user))
    if form.is_valid():
        try:
            svc.deadline_update(actor=user, deadline=deadline, data=form.data_for_service())
            messages.success(request, "Deadline saved.")
            return redirect("deadline-list")
        except InvalidInputError as exc:
            place(form, exc.errors)
    context = {"form": form, "deadline": deadline}
    return render(request, "alerts/deadline_form.html", context, status=400)


@member_required(write=True)
@require_POST
def deadline_done(request: HttpRequest, deadline_id: str) -> HttpResponse:
    deadline = access_deadline(request_user(request), deadline_id)
    svc.deadline_done(actor=request_user(request), deadline=deadline)
    messages.success(request, "Marked as done: no more reminders.")
    return redirect("deadline-list")
