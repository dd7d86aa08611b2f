"""HTML pages of recognition: the badge catalogue, a badge with its holders, and managers' badge tools."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.accounts.models import User
from belong.communities import queries as community_queries
from belong.communities.models import Community
from belong.communities.permissions import can, check
from belong.core.errors import BelongError, Conflict, NotAuthenticated
from belong.recognition import badges as actions
from belong.recognition.forms.badges import AwardForm, BadgeForm, RevokeForm
from belong.recognition.members import member_named, recognition_community
from belong.recognition.models import Badge, BadgeAward
from belong.recognition.permissions import RecognitionAction as Can
from belong.web.errors import add_form_errors, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, signed_in

T = TypeVar("T")
PAGE_SIZE = 30


def _attempt(form: forms.BaseForm, action: Callable[..., T], /, **kwargs: Any) -> T | None:
    """Call the action; a refusal is shown on the form (its sentence above the field errors) and kept for the status."""
    try:
        return action(**kwargs)
    except NotAuthenticated:
        raise
    except BelongError as error:
        if error.errors:
            form.add_error(None, error.detail)
        add_form_errors(form, error)
        form.refusal = error  # type: ignore[attr-defined]
        return None


def _status(form: forms.BaseForm | None) -> int:
    refusal = getattr(form, "refusal", None)
    if refusal is not None and refusal.status != 422:
        return int(refusal.status)
    return form_status(form)


def _manager(request: HttpRequest, slug: str) -> tuple[User, Community]:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_RECOGNITION, community)
    return user, community


def badge_url(community: Community, key: str) -> str:
    return reverse("recognition:badge", args=[community.slug, key])


@require_safe
@web_view
def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    """Every badge one can earn, with how many hold it; managers also see those switched off."""
    community = recognition_community(request.user, slug)
    managing = can(request.user, Can.MANAGE_RECOGNITION, community)
    context = {
        "community": community,
        "badges": list(actions.catalogue_of(community, include_disabled=managing)),
        "may_manage": managing,
    }
    return TemplateResponse(request, "recognition/badges/catalogue.html", context)


def _badge_page(
    request: HttpRequest, community: Community, badge: Badge, *, award_form: AwardForm | None = None
) -> HttpResponse:
    managing = can(request.user, Can.MANAGE_RECOGNITION, community)
    context = {
        "community": community,
        "badge": badge,
        "page": page_of(request, actions.holders_of(badge), PAGE_SIZE),
        "may_manage": managing,
        "award_form": award_form or AwardForm(auto_id="award-%s"),
    }
    if is_htmx(request) and award_form is None:
        return render_partial(request, "recognition/badges/badge.html", "holders", context)
    return TemplateResponse(request, "recognition/badges/badge.html", context, status=_status(award_form))


@require_safe
@web_view
def badge(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A badge and its holders, newest first; managers give it and take it back here."""
    community = recognition_community(request.user, slug)
    return _badge_page(request, community, actions.get_badge(community, key))


def _give(*, actor: User, community: Community, badge: Badge, handle: str, reason: str) -> BadgeAward:
    membership = member_named(community, handle)
    return actions.award_badge(actor=actor, membership=membership, key=badge.key, reason=reason)


@require_POST
@web_view
def award_badge(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    user, community = _manager(request, slug)
    badge = actions.get_badge(community, key)
    form = AwardForm(request.POST, auto_id="award-%s")
    award = None
    if form.is_valid():
        award = _attempt(form, _give, actor=user, community=community, badge=badge, **form.cleaned_data)
    if award is None:
        return _badge_page(request, community, badge, award_form=form)
    messages.success(
        request, _("%(name)s has the badge “%(badge)s”.") % {"name": award.user.name, "badge": badge.label}
    )
    return redirect(badge_url(community, badge.key))


@require_POST
@web_view
def revoke_badge(request: HttpRequest, slug: str, key: str, award_id: int) -> HttpResponse:
    user, community = _manager(request, slug)
    award = actions.get_award(community, award_id)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actions.revoke_badge(actor=user, award=award, reason=reason)
    messages.success(
        request,
        _("The badge “%(badge)s” is taken back from %(name)s.") % {"badge": award.badge.label, "name": award.user.name},
    )
    return redirect(badge_url(community, award.badge.key))


@web_view
def new_badge(request: HttpRequest, slug: str) -> HttpResponse:
    """A badge of the community's own, given by hand."""
    user, community = _manager(request, slug)
    form = BadgeForm(posted(request))
    if form.is_bound and form.is_valid():
        data = form.changes()
        created = _attempt(
            form, actions.create_badge, actor=user, community=community, key=form.cleaned_data["key"], **data
        )
        if created is not None:
            messages.success(request, _("The badge “%(badge)s” is ready to give.") % {"badge": created.label})
            return redirect(badge_url(community, created.key))
    context = {"community": community, "form": form, "badge": None}
    return TemplateResponse(request, "recognition/badges/badge_form.html", context, status=_status(form))


@web_view
def edit_badge(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    user, community = _manager(request, slug)
    badge = actions.get_badge(community, key)
    form = BadgeForm(posted(request), badge=badge)
    if form.is_bound and form.is_valid():
        saved = _attempt(form, actions.update_badge, actor=user, badge=badge, **form.changes())
        if saved is not None:
            messages.success(request, _("The badge is saved."))
            return redirect(badge_url(community, badge.key))
    context = {"community": community, "form": form, "badge": badge}
    return TemplateResponse(request, "recognition/badges/badge_form.html", context, status=_status(form))


@require_POST
@web_view
def delete_badge(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    user, community = _manager(request, slug)
    badge = actions.get_badge(community, key)
    try:
        actions.delete_badge(actor=user, badge=badge)
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("recognition:edit_badge", community.slug, badge.key)
    messages.success(request, _("The badge “%(badge)s” is deleted.") % {"badge": badge.label})
    return redirect("recognition:badges", community.slug)


c = "c/<slug:slug>/"
# Keys may be Cyrillic (slugified with allow_unicode), which <slug:> refuses; "new" is reserved for the form.
one = f"{c}badges/<str:key>/"

urlpatterns: list[URLPattern] = [
    path(f"{c}badges/", catalogue, name="badges"),
    path(f"{c}badges/new/", new_badge, name="new_badge"),
    path(one, badge, name="badge"),
    path(f"{one}edit/", edit_badge, name="edit_badge"),
    path(f"{one}delete/", delete_badge, name="delete_badge"),
    path(f"{one}award/", award_badge, name="award_badge"),
    path(f"{one}awards/<int:award_id>/revoke/", revoke_badge, name="revoke_badge"),
]
