"""HTML pages of recognition: the trust levels explainer and a member's trust page (with the pin form)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.communities import queries as community_queries
from belong.communities.models import Membership
from belong.communities.permissions import can, check, membership_for
from belong.recognition import trust
from belong.recognition.forms.trust import AUTOMATIC, PinTrustForm
from belong.recognition.members import member_by_handle
from belong.recognition.permissions import RecognitionAction
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import signed_in

TEMPLATES = "recognition/trust/"


@require_safe
@web_view
def trust_levels(request: HttpRequest, slug: str) -> HttpResponse:
    """What each trust level takes and unlocks; open to everyone."""
    community = community_queries.get_community(slug)
    membership = membership_for(request.user, community)
    context = {
        "community": community,
        "levels": trust.levels(),
        "window_days": trust.WINDOW_DAYS,
        "mine": membership if membership is not None and membership.is_active else None,
    }
    return TemplateResponse(request, f"{TEMPLATES}levels.html", context)


def _member_page(
    request: HttpRequest, membership: Membership, form: PinTrustForm | None = None, status: int = 200
) -> HttpResponse:
    may_pin = can(request.user, RecognitionAction.PIN_TRUST, membership)
    if may_pin and form is None:
        pinned = str(membership.trust_level) if membership.trust_level_pinned else AUTOMATIC
        form = PinTrustForm(initial={"level": pinned})
    context: dict[str, Any] = {
        "community": membership.community,
        "membership": membership,
        "person": membership.user,
        "progress": trust.progress_of(membership),
        "window_days": trust.WINDOW_DAYS,
        "is_self": membership.user_id == getattr(request.user, "pk", None),
        "form": form if may_pin else None,
    }
    return TemplateResponse(request, f"{TEMPLATES}member.html", context, status=status)


@require_safe
@web_view
def member_trust(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """A member's level and progress, for themselves and managers; managers also get the pin form."""
    membership = member_by_handle(community_queries.get_community(slug), handle)
    check(request.user, RecognitionAction.VIEW_LEDGER, membership)
    return _member_page(request, membership)


@require_POST
@web_view
def pin_trust(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """Pin the member's level, or set it back to automatic."""
    user = signed_in(request)
    membership = member_by_handle(community_queries.get_community(slug), handle)
    check(user, RecognitionAction.PIN_TRUST, membership)
    form = PinTrustForm(request.POST)
    if form.is_valid():
        level = form.cleaned_data["level"]
        if attempt(form, trust.pin_trust_level, actor=user, membership=membership, level=level) is not None:
            if level is None:
                messages.success(request, _("The trust level follows the member’s activity again."))
            else:
                messages.success(request, _("The trust level is pinned."))
            return redirect("recognition:member_trust", slug=slug, handle=membership.user.handle)
    membership.refresh_from_db()
    return _member_page(request, membership, form, status=form_status(form))


member = "c/<slug:slug>/u/<str:handle>/trust/"

urlpatterns: list[URLPattern] = [
    path("c/<slug:slug>/trust/", trust_levels, name="trust_levels"),
    path(member, member_trust, name="member_trust"),
    path(f"{member}pin/", pin_trust, name="pin_trust"),
]
