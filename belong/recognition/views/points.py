"""HTML pages of recognition: leaderboards, a member's points history, and the managers' points settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.communities import queries as community_queries
from belong.communities.models import Community, Membership
from belong.communities.permissions import can, check
from belong.core.errors import Conflict, Invalid, NotFound
from belong.recognition import leaderboards, points
from belong.recognition.defaults import rules_of, settings_of
from belong.recognition.forms.points import (
    PERIOD_LABELS,
    CancelEntryForm,
    GivePointsForm,
    LeaderboardFilterForm,
    PointsSettingsForm,
)
from belong.recognition.members import member_by_handle, recognition_community
from belong.recognition.models import EntryKind, PointsEntry
from belong.recognition.permissions import RecognitionAction as Can
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, posted, render_partial, signed_in

HISTORY_PAGE_SIZE = 30


def _membership(community: Community, user_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "community").filter(community=community, user_id=user_id).first()
    )
    if membership is None:
        raise NotFound(_("This person is not a member of the community."))
    return membership


def history_url(community: Community, handle: str) -> str:
    return reverse("recognition:points_history", args=[community.slug, handle])


# Leaderboards


@require_safe
@web_view
def leaderboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Who earned the most this week, this month or ever, in the community or one space, and where the viewer stands."""
    community = recognition_community(request.user, slug)
    filters = LeaderboardFilterForm(request.GET, spaces=community_queries.spaces_visible_to(request.user, community))
    chosen = filters.values()
    period, space = chosen["period"], chosen["space"]
    board = leaderboards.leaderboard(community, period, space)
    me = leaderboards.standing_in(community, request.user, period, space)
    context = {
        "community": community,
        "filters": filters,
        "period": period,
        "space": space,
        "periods": [(value, label) for value, label in PERIOD_LABELS.items()],
        "board": board,
        "me": me,
        "me_listed": me is not None and any(standing.user.pk == me.user.pk for standing in board),
    }
    if is_htmx(request):
        return render_partial(request, "recognition/points/leaderboard.html", "board", context)
    return TemplateResponse(request, "recognition/points/leaderboard.html", context)


# A member's points history


def _history_page(
    request: HttpRequest,
    community: Community,
    membership: Membership,
    *,
    give_form: GivePointsForm | None = None,
    cancel_form: tuple[int, CancelEntryForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    check(request.user, Can.VIEW_LEDGER, membership)
    total, rank = points.standing_of(community.pk, membership.user_id)
    page = page_of(request, points.history_of(community.pk, membership.user_id), HISTORY_PAGE_SIZE)
    may_cancel = can(request.user, Can.AWARD, membership)
    failed_id, failed_form = cancel_form if cancel_form is not None else (None, None)
    rows = []
    for entry in page:
        cancelled = _reversal_of(entry) is not None
        cancellable = may_cancel and entry.kind != EntryKind.REVERSAL and not cancelled
        form = failed_form if entry.pk == failed_id else CancelEntryForm(auto_id=f"cancel-{entry.pk}-%s")
        rows.append(
            {
                "entry": entry,
                "label": points.entry_label(entry),
                "cancelled": cancelled,
                "cancel_form": form if cancellable else None,
            }
        )
    context = {
        "community": community,
        "member": membership,
        "person": membership.user,
        "total": total,
        "rank": rank,
        "page": page,
        "rows": rows,
        "may_award": may_cancel,
        "give_form": give_form or GivePointsForm(auto_id="give-%s"),
    }
    return TemplateResponse(request, "recognition/points/history.html", context, status=status)


def _reversal_of(entry: PointsEntry) -> PointsEntry | None:
    try:
        return entry.reversal
    except PointsEntry.DoesNotExist:
        return None


@require_safe
@web_view
def points_history(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """Every line of a member's points, newest first (the member themselves and managers)."""
    community = community_queries.get_community(slug)
    return _history_page(request, community, member_by_handle(community, handle))


@require_POST
@web_view
def give_points(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    """Give (or take) points by hand, with a reason (managers)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    membership = member_by_handle(community, handle)
    check(user, Can.AWARD, membership)
    form = GivePointsForm(request.POST, auto_id="give-%s")
    given = (
        attempt(form, points.give_points, actor=user, membership=membership, **form.cleaned_data)
        if form.is_valid()
        else None
    )
    if given is not None:
        messages.success(request, _("The points are given."))
        return redirect(history_url(community, membership.user.handle))
    return _history_page(request, community, membership, give_form=form, status=form_status(form))


@require_POST
@web_view
def cancel_entry(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    """Cancel a line of a member's points with a reversing line (managers)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    entry = points.get_entry(community, entry_id)
    membership = _membership(community, entry.user_id)
    check(user, Can.AWARD, membership)
    form = CancelEntryForm(request.POST, auto_id=f"cancel-{entry.pk}-%s")
    back = history_url(community, membership.user.handle)
    try:
        reversal = (
            attempt(form, points.cancel_entry, actor=user, entry=entry, **form.cleaned_data)
            if form.is_valid()
            else None
        )
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect(back)
    if reversal is not None:
        messages.success(request, _("The points are cancelled."))
        return redirect(back)
    return _history_page(request, community, membership, cancel_form=(entry.pk, form), status=form_status(form))


# The managers' settings


@web_view
def points_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Every rule's points and daily cap, the cap between two members and staff on leaderboards, in one form."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_RECOGNITION, community)
    form = PointsSettingsForm(posted(request), rules=rules_of(community.pk), settings=settings_of(community.pk))
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                points.update_rules(actor=user, community=community, changes=form.rule_changes())
                points.update_settings(actor=user, community=community, **form.settings_changes())
        except Invalid as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The points settings are saved."))
            return redirect(reverse("recognition:points_settings", args=[community.slug]))
    context: dict[str, Any] = {"community": community, "form": form}
    return TemplateResponse(request, "recognition/points/settings.html", context, status=form_status(form))


c = "c/<slug:slug>/"
member_points = f"{c}u/<str:handle>/points/"

urlpatterns: list[URLPattern] = [
    path(f"{c}leaderboard/", leaderboard, name="leaderboard"),
    path(member_points, points_history, name="points_history"),
    path(f"{member_points}give/", give_points, name="give_points"),
    path(f"{c}points/entries/<int:entry_id>/cancel/", cancel_entry, name="cancel_entry"),
    path(f"{c}recognition/points/", points_settings, name="points_settings"),
]
