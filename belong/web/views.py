"""The home page (the directory of communities) and the rate-limit page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from belong.communities import queries
from belong.core.errors import RateLimited
from belong.web.errors import error_response, web_view

PAGE_SIZE = 50


@require_safe
@web_view
def home(request: HttpRequest) -> HttpResponse:
    directory = Paginator(queries.communities(), PAGE_SIZE).get_page(request.GET.get("page"))
    mine = queries.communities_of(request.user) if request.user.is_authenticated else None
    return TemplateResponse(request, "web/home.html", {"directory": directory, "mine": mine})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's refusal page (settings.RATELIMIT_VIEW), rendered like every other refusal."""
    return error_response(request, RateLimited(_("You are doing that too often; wait a moment and try again.")))
