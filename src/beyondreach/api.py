"""The JSON API at /api/v1/: bearer tokens, one error format, the routers of each app.

Security decisions:
- Bearer tokens only, never the session: a browser does not attach a token to a cross-site
  request, so there is nothing for CSRF to ride on, and a stolen session cookie opens no API.
- A token is found by the SHA-256 digest of what the client sent (a unique index); the token
  itself is neither stored nor logged. A revoked token, or one of a deactivated user, is
  refused like a missing one: 401.
- Every error is JSON `{"detail": ..., "errors": {"field.path": [...]}}`; it names fields and
  never repeats free text sent (it may be a name): Pydantic's `input` is dropped.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.security import HttpBearer

from beyondreach.accountability.api import router as accountability_router
from beyondreach.alerts.api import router as alerts_router
from beyondreach.cases.api import router as cases_router
from beyondreach.core.errors import ApplicationError
from beyondreach.core.models import ApiToken, User
from beyondreach.interchange.export_api import router as exports_router
from beyondreach.interchange.import_api import router as imports_router
from beyondreach.referrals.api import router as referrals_router
from beyondreach.sharing.api import router as sharing_router
from beyondreach.statistics.api import router as statistics_router
from beyondreach.vocab.api import router as vocab_router

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "tnr_"  # noqa: S105 - the public prefix of every token, not a secret


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        # Parsed here rather than by HttpBearer, which logs the whole header in DEBUG.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user__organisation")
            .filter(digest=digest, revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active or row.user.organisation_id is None:
            return None
        return row.user


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}}


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        answer = JsonResponse(error_body("Method not allowed."), status=405)
        answer["Allow"] = response["Allow"]
        return answer

    return wrapper


def _no_such_endpoint(request: HttpRequest) -> HttpResponse:
    return JsonResponse(error_body("No such endpoint."), status=404)


# Error answers documented on each operation, so clients and schemathesis know their shape.
_ERROR_DESCRIPTIONS = {
    "400": "Malformed JSON body.",
    "401": "No valid bearer token.",
    "403": "Your role may not do this.",
    "404": "No such record in your organisation.",
    "422": "Invalid input; `errors` maps field paths to messages.",
}


class TnrApi(NinjaAPI):
    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return [*patterns, re_path(r"", _no_such_endpoint)], app_name, namespace

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
            ErrorOut.model_json_schema()
        )
        for item in schema["paths"].values():
            for operation in item.values():
                _document_errors(operation)
        return schema


def _document_errors(operation: dict[str, Any]) -> None:
    codes: Sequence[str] = ["404", "422"]
    if operation.get("security"):
        codes = [*codes, "401", "403"]
    if "requestBody" in operation:
        codes = [*codes, "400"]
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for code in codes:
        operation["responses"].setdefault(
            code, {"description": _ERROR_DESCRIPTIONS[code], "content": content}
        )


api = TnrApi(
    title="Beyond Reach API",
    version="1.0",
    description="Incidents of transnational repression, persons, sources and vocabularies. "
    "See docs/api.md.",
    urls_namespace="api-v1",
    auth=BearerToken(),
    # The interactive docs load scripts from a CDN, which the CSP forbids; docs/api.md and
    # /api/v1/openapi.json describe the API.
    docs_url=None,
)
api.add_router("", cases_router)
api.add_router("", vocab_router)
api.add_router("", sharing_router)
api.add_router("", alerts_router)
api.add_router("", referrals_router)
api.add_router("", statistics_router)
api.add_router("", imports_router)
api.add_router("", exports_router)
api.add_router("", accountability_router)


def _field_path(loc: Sequence[Any]) -> str:
    """("body", "payload", "targets", 1, "role") -> "targets.1.role"."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]  # the location and the parameter's name
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    # Pydantic names the member of a union it tried ("function-after[...]"): not a field.
    names = [str(p) for p in parts if not (isinstance(p, str) and "[" in p)]
    return ".".join(names) or "body"


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_path(error.get("loc", ())), []).append(str(error["msg"]))
    detail = "Some fields are not valid: " + ", ".join(sorted(errors))
    return api.create_response(request, error_body(detail, errors), status=422)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    errors: dict[str, list[str]] = getattr(exc, "errors", None) or (
        {exc.field: [exc.message]} if exc.field else {}
    )
    if exc.status >= 500:
        logger.error("%s in %s", type(exc).__name__, request.path)
    # What an error adds for a client to act on (a 409's candidates), beside its fields.
    body = {**getattr(exc, "body_extra", {}), **error_body(exc.message, errors)}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body("Authentication required: send `Authorization: Bearer tnr_...`.")
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return api.create_response(request, error_body("Internal error."), status=500)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("Not found."), status=404)
