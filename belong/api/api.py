"""The one NinjaAPI instance: mounts every app's router and maps every error to RFC 9457."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from belong.api.auth import SIGNED_IN
from belong.api.problems import PROBLEM_CONTENT_TYPE, problem_response
from belong.core.errors import BelongError, NotAuthenticated, RateLimited

logger = logging.getLogger(__name__)

BEARER_CHALLENGE = 'Bearer realm="belong"'


class BelongAPI(NinjaAPI):
    """Documents error responses with the problem+json media type they are sent with."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = BelongAPI(
    title="Belong API",
    version="1",
    description="The JSON API of Belong. Authenticate with `Authorization: Bearer <token>` "
    "(personal tokens from your profile) or the browser session. Errors are RFC 9457 problem details.",
    urls_namespace="api",
    docs_url="/docs",
    auth=SIGNED_IN,
)


@api.exception_handler(BelongError)
def belong_error(request: HttpRequest, exc: BelongError) -> HttpResponse:
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(getattr(exc, "retry_after", 60))
    elif isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        title=str(exc.title),
        detail=exc.detail,
        errors=exc.errors or None,
        headers=headers,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", [])]
        # Drop where the value came from (body, query, path) and a body's parameter name, but keep
        # fields that share those names (a post's `body`).
        source = location.pop(0) if location else ""
        if source == "body" and location:
            location.pop(0)
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return problem_response(
        request, status=422, code="invalid", detail=_("The request has invalid fields."), errors=errors
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        status=401,
        code="not-authenticated",
        detail=_("Sign in, or send a personal token as 'Authorization: Bearer <token>'."),
        headers={"WWW-Authenticate": BEARER_CHALLENGE},
    )


@api.exception_handler(AuthorizationError)
def authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return problem_response(request, status=403, code="not-allowed", detail=str(exc.message))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {403: "not-allowed", 404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "bad-request")
    detail = _("CSRF check failed: send the X-CSRFToken header.") if "CSRF" in str(exc) else str(exc)
    return problem_response(request, status=exc.status_code, code=code, detail=detail)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, status=404, code="not-found", detail=_("Nothing found at this address."))


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected API error")
    return problem_response(request, status=500, code="server-error", detail=_("Something went wrong on our side."))


def _mount_routers() -> None:
    from belong.api.routers import ROUTERS

    for prefix, router in ROUTERS:
        api.add_router(prefix, router)


_mount_routers()


@csrf_exempt  # an API client's POST to a wrong address deserves a 404 problem, not a CSRF page
def unknown_api_path(request: HttpRequest, rest: str) -> HttpResponse:
    """Answer addresses under /api/v1/ that match no operation with a problem, not an HTML page."""
    return problem_response(request, status=404, code="not-found", detail=_("No API operation at this address."))
