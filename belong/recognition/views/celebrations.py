"""HTML pages of recognition: the celebrations feed (anniversaries, milestones, badges, ranks, trust levels)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from belong.recognition import celebrations as queries
from belong.recognition.members import member_named, recognition_community
from belong.web.errors import web_view
from belong.web.shortcuts import is_htmx, page_of, render_partial

PAGE_SIZE = 30


@require_safe
@web_view
def celebrations(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's celebrations, newest first; `?member=<handle>` shows one member's."""
    community = recognition_community(request.user, slug)
    handle = request.GET.get("member", "").strip().lstrip("@")
    member = member_named(community, handle, field="member").user if handle else None
    page = page_of(request, queries.celebrations_of(community, member), PAGE_SIZE)
    context = {
        "community": community,
        "member": member,
        "page": page,
        "rows": [(celebration, queries.describe(celebration), queries.icon_of(celebration)) for celebration in page],
    }
    if is_htmx(request):
        return render_partial(request, "recognition/celebrations/feed.html", "celebration-list", context)
    return TemplateResponse(request, "recognition/celebrations/feed.html", context)


urlpatterns: list[URLPattern] = [
    path("c/<slug:slug>/celebrations/", celebrations, name="celebrations"),
]
