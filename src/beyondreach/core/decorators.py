"""`member_required`: the one gate in front of every staff page.

It sends anonymous visitors to the login page, holds admins and case workers at the
two-factor step until they pass it, refuses writes by read-only roles with 403, and turns
the domain's NotFoundError into a 404, so other organisations' records are indistinguishable
from records that do not exist. A write refused because the organisation's data key was
rotated meanwhile (StaleKeyError) gets a page that asks to send it again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from ninja.errors import AuthenticationError

from beyondreach.core.errors import NotFoundError, PermissionDeniedError, StaleKeyError
from beyondreach.core.models import User

View = Callable[..., HttpResponse]


def request_user(request: HttpRequest) -> User:
    """The signed-in staff user of a view behind member_required (which has checked it)."""
    assert isinstance(request.user, User)
    return request.user


def api_user(request: HttpRequest) -> User:
    """The caller of an API operation: the API's bearer authentication guards every one, so
    a request without a user here is refused like one without a token (401)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


def two_factor_passed(request: HttpRequest) -> bool:
    user = request.user
    assert isinstance(user, User)
    return not user.needs_2fa or bool(user.is_verified())  # type: ignore[attr-defined]


def member_required(*, write: bool = False) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not isinstance(user, User) or not user.organisation_id:
                return redirect(f"/login/?next={request.path}")
            if not two_factor_passed(request):
                return redirect("two-factor")
            if write and not user.can_write:
                raise PermissionDenied("Your role cannot change records.")
            try:
                return view(request, *args, **kwargs)
            except NotFoundError as exc:
                raise Http404(exc.message) from exc
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except StaleKeyError as exc:
                return render(request, "409.html", {"message": exc.message}, status=409)

        return wrapped

    return decorator
