"""The home page (the directory of communities), the visitors' language switch and the rate-limit page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from belong.communities import queries
from belong.core.errors import RateLimited
from belong.web.errors import error_response, web_view
from belong.web.shortcuts import safe_next
from belong.web.visitor_cache import cached_for_visitors

PAGE_SIZE = 50


@cached_for_visitors
@require_safe
@web_view
def home(request: HttpRequest) -> HttpResponse:
    directory = Paginator(queries.communities(), PAGE_SIZE).get_page(request.GET.get("page"))
    mine = queries.communities_of(request.user) if request.user.is_authenticated else None
    return TemplateResponse(request, "web/home.html", {"directory": directory, "mine": mine})


@require_safe
def language(request: HttpRequest) -> HttpResponse:
    """Remember the language a visitor chose and go back to the page they were on.

    Members switch with Django's `set_language` (a POST with a CSRF token). Visitors switch with
    this GET form, so that the pages they read carry no CSRF token and can be cached for every
    visitor alike (`visitor_cache`). Setting a language cookie is all it does: a link from
    elsewhere can do no more than the visitor's own browser languages already do.
    """
    response = HttpResponseRedirect(safe_next(request, "/"))
    code = request.GET.get("language", "")
    if code and check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's refusal page (settings.RATELIMIT_VIEW), rendered like every other refusal."""
    return error_response(request, RateLimited(_("You are doing that too often; wait a moment and try again.")))
