"""Pain-point themes: the list with a rebuild button, and one theme with its trend, posts and tools."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from belong.communities.models import Community
from belong.insights import actions, charts, queries
from belong.insights import themes as themes_of_community
from belong.insights.forms import LinkThemeForm, MergeThemeForm, RenameThemeForm
from belong.insights.models import Theme
from belong.insights.views.common import QUOTES_PER_THEME, TREND_WEEKS, managing, weekly_posts
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import page_of

PAGE_SIZE = 20
POSTS_PAGE_SIZE = 20


@require_safe
@web_view
def theme_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Standing themes, biggest first, each with its trend and two quotes."""
    community = queries.insights_community(request.user, slug)
    page = page_of(request, queries.themes_of(community), PAGE_SIZE)
    themes: list[Theme] = list(page.object_list)
    starts = charts.week_starts(timezone.now().date(), TREND_WEEKS)
    weekly = weekly_posts([theme.pk for theme in themes], starts)
    quotes = themes_of_community.quotes_of(themes, QUOTES_PER_THEME)
    rows = [(theme, charts.sparkline(weekly.get(theme.pk, {}), starts), quotes.get(theme.pk, [])) for theme in themes]
    return TemplateResponse(request, "insights/themes.html", {"community": community, "page": page, "rows": rows})


def _theme_page(request: HttpRequest, community: Community, theme: Theme, **forms: Any) -> HttpResponse:
    starts = charts.week_starts(timezone.now().date(), TREND_WEEKS)
    others = [other for other in queries.themes_of(community).order_by("name", "pk") if other.pk != theme.pk]
    context = {
        "community": community,
        "theme": theme,
        "trend": charts.sparkline(weekly_posts([theme.pk], starts).get(theme.pk, {}), starts, width=360, height=72),
        "page": page_of(request, queries.theme_posts(theme), POSTS_PAGE_SIZE),
        "rename_form": forms.get("rename_form") or RenameThemeForm(initial={"name": theme.name}, auto_id="rename-%s"),
        "merge_form": forms.get("merge_form") or MergeThemeForm(theme=theme, others=others),
        "link_form": forms.get("link_form") or LinkThemeForm(community=community),
    }
    return TemplateResponse(request, "insights/theme.html", context, status=form_status(*forms.values()))


@require_safe
@web_view
def theme_detail(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    community = queries.insights_community(request.user, slug)
    theme = queries.get_theme(community, theme_id)
    if theme.merged_into_id is not None:
        # A merged theme lives on in its target; old links (e-mails, bookmarks) follow it there.
        return redirect("insights:theme", community.slug, theme.merged_into_id)
    return _theme_page(request, community, theme)


@require_POST
@web_view
def rename_theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    user, community = managing(request, slug)
    theme = queries.get_theme(community, theme_id)
    form = RenameThemeForm(request.POST, auto_id="rename-%s")
    renamed = (
        attempt(form, actions.rename_theme, user=user, theme=theme, name=form.cleaned_data["name"])
        if form.is_valid()
        else None
    )
    if renamed is not None:
        messages.success(request, _("The theme is now called “%(title)s”.") % {"title": theme.title})
        return redirect("insights:theme", community.slug, theme.pk)
    return _theme_page(request, community, theme, rename_form=form)


@require_POST
@web_view
def merge_theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    user, community = managing(request, slug)
    theme = queries.get_theme(community, theme_id)
    others = [other for other in queries.themes_of(community).order_by("name", "pk") if other.pk != theme.pk]
    form = MergeThemeForm(request.POST, theme=theme, others=others)
    into = form.cleaned_data["into"] if form.is_valid() else None
    merged = attempt(form, actions.merge_themes, user=user, theme=theme, into=into) if into is not None else None
    if into is not None and merged is not None:
        messages.success(
            request, _("“%(theme)s” is merged into “%(into)s”.") % {"theme": theme.title, "into": into.title}
        )
        return redirect("insights:theme", community.slug, into.pk)
    return _theme_page(request, community, theme, merge_form=form)


@require_POST
@web_view
def link_theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    user, community = managing(request, slug)
    theme = queries.get_theme(community, theme_id)
    if "unlink" in request.POST:
        actions.link_theme(user=user, theme=theme, idea=None)
        messages.success(request, _("The theme is no longer linked to an idea."))
        return redirect("insights:theme", community.slug, theme.pk)
    form = LinkThemeForm(request.POST, community=community)
    idea = form.cleaned_data["idea"] if form.is_valid() else None
    linked = attempt(form, actions.link_theme, user=user, theme=theme, idea=idea) if idea is not None else None
    if idea is not None and linked is not None:
        messages.success(request, _("The theme is linked to the idea “%(idea)s”.") % {"idea": idea.thread.title})
        return redirect("insights:theme", community.slug, theme.pk)
    return _theme_page(request, community, theme, link_form=form)


@require_POST
@web_view
def rebuild_themes(request: HttpRequest, slug: str) -> HttpResponse:
    """Re-cluster now instead of waiting for the daily run (after a wave of complaints, say)."""
    user, community = managing(request, slug)
    count = actions.rebuild_themes(user=user, community=community)
    messages.success(
        request,
        ngettext("The themes are rebuilt: %(n)d theme.", "The themes are rebuilt: %(n)d themes.", count) % {"n": count},
    )
    return redirect("insights:themes", community.slug)


c = "c/<slug:slug>/insights/themes/"
one = f"{c}<int:theme_id>/"

urlpatterns: list[URLPattern] = [
    path(c, theme_list, name="themes"),
    path(f"{c}rebuild/", rebuild_themes, name="rebuild_themes"),
    path(one, theme_detail, name="theme"),
    path(f"{one}rename/", rename_theme, name="rename_theme"),
    path(f"{one}merge/", merge_theme, name="merge_theme"),
    path(f"{one}link/", link_theme, name="link_theme"),
]
