"""RFC 9457 problem details: every API error answers with one of these."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_noop("Bad request"),
    401: gettext_noop("Not signed in"),
    403: gettext_noop("Not allowed"),
    404: gettext_noop("Not found"),
    405: gettext_noop("Method not allowed"),
    409: gettext_noop("Conflict"),
    422: gettext_noop("Invalid input"),
    429: gettext_noop("Too many requests"),
    500: gettext_noop("Server error"),
}


class ProblemOut(Schema):
    """An RFC 9457 problem: `type` names the kind of problem, `detail` explains this one."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: dict[str, list[str]] | None = None


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:belong:problem:{code}",
        "title": title or _(TITLES.get(status, gettext_noop("Error"))),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# The error responses every operation may give, for the OpenAPI spec.
READ_ERRORS: dict[int, type[ProblemOut]] = {
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    422: ProblemOut,
    429: ProblemOut,
}
WRITE_ERRORS: dict[int, type[ProblemOut]] = {400: ProblemOut, 409: ProblemOut, **READ_ERRORS}
