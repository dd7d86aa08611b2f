"""Map the one error family to HTML once: form errors for Invalid, a friendly page for the rest."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from belong.core.errors import BelongError, NotAuthenticated
from belong.core.ratelimit import WriteRateLimited, check_write_rate
from belong.web.shortcuts import is_htmx, render_partial, safe_next

T = TypeVar("T")
View = Callable[..., HttpResponse]

# Forms that failed re-render with this status, whether the form or an action refused the input.
FORM_ERROR_STATUS = 422


def add_form_errors(form: forms.BaseForm, error: BelongError) -> None:
    """Attach an action's field errors to the form; errors for fields the form lacks become non-field."""
    if not error.errors:
        form.add_error(None, error.detail)
        return
    for field, messages in error.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def attempt(form: forms.BaseForm, action: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Call the action; on a refusal that names fields, put it on the form and return None.

    Refusals without field errors (not allowed, not found, conflicts about state) are not the
    form's business and propagate to `web_view`, which renders the error page.
    """
    try:
        return action(**kwargs)
    except BelongError as error:
        if error.status == 422 or error.errors:
            add_form_errors(form, error)
            return None
        raise


def form_status(*forms_: forms.BaseForm | None) -> int:
    return FORM_ERROR_STATUS if any(f is not None and f.is_bound and f.errors for f in forms_) else 200


def _return_address(request: HttpRequest) -> str:
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return safe_next(request, "/")


def error_response(request: HttpRequest, error: BelongError) -> HttpResponse:
    """Render a refusal as a page (or, for htmx, as an alert swapped into the messages area)."""
    context = {"error": error, "title": error.title, "detail": error.detail}
    response: HttpResponse
    if is_htmx(request):
        response = render_partial(request, "web/error.html", "error-alert", context, status=error.status)
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = TemplateResponse(request, "web/error.html", context, status=error.status)
    if isinstance(error, WriteRateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def web_view(view: View) -> View:
    """Count writes against the rate limit and turn BelongErrors into the right HTML response."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if request.method == "POST":
                check_write_rate(request)
            return view(request, *args, **kwargs)
        except NotAuthenticated:
            response = redirect_to_login(_return_address(request))
            return HttpResponseClientRedirect(response.url) if is_htmx(request) else response
        except BelongError as error:
            return error_response(request, error)

    return wrapper
