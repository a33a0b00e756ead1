"""The staff page where an admin publishes statistics, or takes them down. Thin: parse,
call the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from beyondreach.core.decorators import member_required, request_user
from beyondreach.core.models import Role, User
from beyondreach.statistics.publish import (
    PublishInputError,
    epsilon_budget,
    epsilon_spent,
    publication_of,
    statistics_publish,
    statistics_unpublish,
    suggested_address,
)
from beyondreach.statistics.publish_forms import AddressForm, ItemFormSet, initial_items
from beyondreach.statistics.publish_read import published_tables


def _admin(request: HttpRequest) -> User:
    user = request_user(request)
    if user.role != Role.ADMIN:
        raise PermissionDenied("Only an admin publishes statistics.")
    return user


@require_http_methods(["GET", "POST"])
@member_required(write=True)
def publish_page(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    publication = publication_of(user)
    if request.method == "POST":
        address = AddressForm(request.POST)
        items = ItemFormSet(request.POST, prefix="items")
        if address.is_valid() and items.is_valid():
            specs = [s for form in items.forms if (s := form.spec()) is not None]
            try:
                statistics_publish(actor=user, address=address.cleaned_data["address"], specs=specs)
            except PublishInputError as exc:
                target = address if exc.field == "address" else items
                _add_error(target, exc)
            else:
                messages.success(request, "Published.")
                return redirect("statistics-publish")
        return _render(request, publication, address, items, status=400)
    initial = {"address": publication.address if publication else suggested_address(user)}
    address = AddressForm(initial=initial)
    items = ItemFormSet(
        prefix="items", initial=initial_items(publication.items if publication else [])
    )
    return _render(request, publication, address, items)


def _add_error(form: Any, exc: PublishInputError) -> None:
    if isinstance(form, AddressForm):
        form.add_error("address", exc.message)
    else:
        form._non_form_errors = form.error_class([exc.message])  # the formset's own list


def _render(
    request: HttpRequest, publication: Any, address: Any, items: Any, status: int = 200
) -> HttpResponse:
    user = request_user(request)
    context = {
        # As the refusal words them: 1.5, not 1.50; a sum of tenths, not 1.3000000000000003.
        "epsilon_spent": f"{epsilon_spent(user):g}",
        "epsilon_budget": f"{epsilon_budget():g}",
        "publication": publication,
        "tables": published_tables(publication.items) if publication else [],
        "address_form": address,
        "items": items,
    }
    return render(request, "statistics/publish.html", context, status=status)


@require_POST
@member_required(write=True)
def unpublish(request: HttpRequest) -> HttpResponse:
    statistics_unpublish(actor=_admin(request))
    messages.success(request, "Published statistics taken down.")
    return redirect("statistics-publish")
