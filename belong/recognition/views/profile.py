"""HTML pages of recognition: a member's recognition in a community (points, rank, level, badges, celebrations)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from belong.communities.permissions import can
from belong.recognition import profiles
from belong.recognition.members import member_by_handle, recognition_community
from belong.recognition.permissions import RecognitionAction as Can
from belong.web.errors import web_view


@require_safe
@web_view
def profile(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    community = recognition_community(request.user, slug)
    membership = member_by_handle(community, handle)
    viewer = request.user
    context = {
        "community": community,
        "membership": membership,
        "person": membership.user,
        "is_self": membership.user_id == viewer.pk,
        "summary": profiles.summary_of(membership, viewer),
        "may_view_ledger": can(viewer, Can.VIEW_LEDGER, membership),
        "may_award": can(viewer, Can.AWARD, membership),
        "may_pin": can(viewer, Can.PIN_TRUST, membership),
        "may_nominate": can(viewer, Can.MANAGE_PROGRAMME, community),
    }
    return TemplateResponse(request, "recognition/profile.html", context)


urlpatterns: list[URLPattern] = [path("c/<slug:slug>/u/<str:handle>/", profile, name="profile")]
