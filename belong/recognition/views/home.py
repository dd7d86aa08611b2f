"""HTML pages of recognition: the hub (this week's leaders, recent celebrations, where to go next)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from belong.communities.permissions import can
from belong.recognition import celebrations, leaderboards
from belong.recognition.members import recognition_community
from belong.recognition.permissions import RecognitionAction as Can
from belong.web.errors import web_view

TOP = 10
RECENT_CELEBRATIONS = 8


@require_safe
@web_view
def home(request: HttpRequest, slug: str) -> HttpResponse:
    community = recognition_community(request.user, slug)
    recent = list(celebrations.celebrations_of(community)[:RECENT_CELEBRATIONS])
    context = {
        "community": community,
        "board": leaderboards.leaderboard(community, "week", limit=TOP),
        "me": leaderboards.standing_in(community, request.user, "week"),
        "celebrations": [(item, celebrations.icon_of(item), celebrations.describe(item)) for item in recent],
        "may_manage": can(request.user, Can.MANAGE_RECOGNITION, community),
        "may_manage_programme": can(request.user, Can.MANAGE_PROGRAMME, community),
    }
    return TemplateResponse(request, "recognition/home.html", context)


urlpatterns: list[URLPattern] = [path("c/<slug:slug>/recognition/", home, name="home")]
