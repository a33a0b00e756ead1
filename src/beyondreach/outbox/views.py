"""The admins' page of deliveries, failed ones with a button to send them again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.errors import ApplicationError
from beyondreach.outbox.models import Status
from beyondreach.outbox.selectors import access_message, deliveries, delivery_counts
from beyondreach.outbox.services import outbox_retry


@member_required(write=True)
@require_safe
def delivery_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    user = request_user(request)
    counts = delivery_counts(user)
    context = {
        "rows": deliveries(user, status),
        "status": status,
        "statuses": [(value, label, counts[value]) for value, label in Status.choices],
    }
    return render(request, "outbox/deliveries.html", context)


@member_required(write=True)
@require_POST
def delivery_retry(request: HttpRequest, message_id: str) -> HttpResponse:
    message = access_message(request_user(request), message_id)
    try:
        outbox_retry(actor=request_user(request), message=message)
        messages.success(request, "The delivery will be tried again in a moment.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("outbox-list") + "?status=failed")
