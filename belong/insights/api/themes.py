"""API endpoints of pain-point themes: the list, one theme with its trend and posts, and steering them."""

# No `from __future__ import annotations`: django-ninja reads these signatures at runtime.

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from belong.api.auth import user_of, viewer_of
from belong.api.pagination import KeysetPagination
from belong.api.problems import READ_ERRORS, WRITE_ERRORS
from belong.communities.models import Community
from belong.core.errors import Invalid
from belong.core.ratelimit import rate_limited
from belong.ideas.models import Idea
from belong.insights import actions, queries, themes
from belong.insights.models import PostAnalysis, Theme
from belong.insights.schemas.themes import (
    RebuildOut,
    ThemeDetailOut,
    ThemeMergeIn,
    ThemeOut,
    ThemePatch,
)

router = Router(tags=["insights"])

THEMES = "/communities/{slug}/insights/themes"
THEME = THEMES + "/{theme_id}"

QUOTES = 2  # per theme in lists
THEME_POSTS = 50  # in one theme's read, closest to its centre first
TREND_WEEKS = 12


def _quoted(memberships: list[tuple[int, int, float]]) -> dict[int, Any]:
    """(theme id, post id, similarity) → the post's analysis carrying its similarity, in one query."""
    analyses = PostAnalysis.objects.select_related("post__thread__community").in_bulk(
        [post_id for _theme_id, post_id, _similarity in memberships]
    )
    quoted = {}
    for _theme_id, post_id, similarity in memberships:
        if post_id in analyses:
            quoted[post_id] = analyses[post_id]
            vars(quoted[post_id])["similarity"] = round(similarity, 4)
    return quoted


def _with_quotes(page: list[Theme]) -> list[Theme]:
    """Give each theme its closest posts, as the insights page quotes them (two queries for the whole page)."""
    chosen = themes.quotes_of(page, QUOTES)
    quoted = _quoted([(q.theme_id, q.post.pk, q.similarity) for quotes in chosen.values() for q in quotes])
    for theme in page:
        vars(theme)["quotes"] = [quoted[q.post.pk] for q in chosen[theme.pk] if q.post.pk in quoted]
    return page


def _detail(community: Community, theme_id: int) -> Theme:
    theme = queries.get_theme(community, theme_id)
    _with_quotes([theme])
    closest = list(
        queries.theme_posts(theme)
        .filter(post__deleted_at__isnull=True, post__is_hidden=False)
        .values_list("theme_id", "post_id", "similarity")[:THEME_POSTS]
    )
    quoted = _quoted(closest)
    vars(theme).update(
        theme_posts=[quoted[post_id] for _theme_id, post_id, _similarity in closest if post_id in quoted],
        trend=[{"week": week, "posts": posts} for week, posts in themes.trend(theme, TREND_WEEKS)],
    )
    return theme


def _idea_field(community: Community, idea_id: int) -> Idea:
    """An idea named in a body: one of another community is invalid input, not a missing page."""
    idea = Idea.objects.select_related("thread").filter(community=community, pk=idea_id).first()
    if idea is None:
        raise Invalid(_("No such idea in this community."), errors={"idea_id": [_("Unknown idea.")]})
    return idea


def _theme_field(community: Community, theme_id: int) -> Theme:
    theme = Theme.objects.filter(community=community, pk=theme_id).first()
    if theme is None:
        raise Invalid(_("No such theme in this community."), errors={"into_id": [_("Unknown theme.")]})
    return theme


class ThemePagination(KeysetPagination):
    """Standing themes, biggest first, each with its two closest posts (one more query per page)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(ordering=("-size", "-id"), **kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: KeysetPagination.Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request)
        _with_quotes(page["results"])
        return page


@router.get(
    THEMES,
    response={200: list[ThemeOut], **READ_ERRORS},
    summary="List pain-point themes",
    operation_id="list_insight_themes",
)
@paginate(ThemePagination)
def list_insight_themes(request: HttpRequest, slug: str) -> QuerySet[Theme]:
    """List the community's standing pain points, biggest first (merged themes are folded into the one they were
    merged into), each with its distinctive terms, two quotes and the idea it is linked to (owners and community
    managers)."""
    return queries.themes_of(queries.insights_community(viewer_of(request), slug))


@router.post(
    THEMES + "/rebuild",
    response={200: RebuildOut, **WRITE_ERRORS},
    summary="Rebuild the pain-point themes",
    operation_id="rebuild_insight_themes",
)
@rate_limited
def rebuild_insight_themes(request: HttpRequest, slug: str) -> dict[str, int]:
    """Cluster the community's recent negative and critical posts again now, instead of waiting for the daily
    rebuild (owners and community managers). Themes keep their names, merges and idea links."""
    community = queries.insights_community(viewer_of(request), slug)
    return {"themes": actions.rebuild_themes(user=user_of(request), community=community)}


@router.get(
    THEME,
    response={200: ThemeDetailOut, **READ_ERRORS},
    summary="Get a pain-point theme",
    operation_id="get_insight_theme",
)
def get_insight_theme(request: HttpRequest, slug: str, theme_id: int) -> Theme:
    """Return one theme with its posts per week and its posts closest to its centre (owners and community
    managers). A merged theme still answers, with `merged_into_id`."""
    return _detail(queries.insights_community(viewer_of(request), slug), theme_id)


@router.patch(
    THEME,
    response={200: ThemeDetailOut, **WRITE_ERRORS},
    summary="Rename a theme or link it to an idea",
    operation_id="update_insight_theme",
)
@rate_limited
def update_insight_theme(request: HttpRequest, slug: str, theme_id: int, payload: ThemePatch) -> Theme:
    """Rename a theme (empty goes back to its terms) and link it to an idea of the community, or unlink it with
    `idea_id: null` (owners and community managers); fields left out keep their value, and the change is all or
    nothing."""
    community = queries.insights_community(viewer_of(request), slug)
    theme = queries.get_theme(community, theme_id)
    sent = payload.model_fields_set
    user = user_of(request)
    idea = _idea_field(community, payload.idea_id) if payload.idea_id is not None else None
    with transaction.atomic():
        if "name" in sent:
            actions.rename_theme(user=user, theme=theme, name=payload.name or "")
        if "idea_id" in sent:
            actions.link_theme(user=user, theme=theme, idea=idea)
    return _detail(community, theme_id)


@router.post(
    THEME + "/merge",
    response={200: ThemeDetailOut, **WRITE_ERRORS},
    summary="Merge a theme into another",
    operation_id="merge_insight_theme",
)
@rate_limited
def merge_insight_theme(request: HttpRequest, slug: str, theme_id: int, payload: ThemeMergeIn) -> Theme:
    """Fold this theme into `into_id`: its posts move over and later rebuilds keep them together (owners and
    community managers). Answers with the theme that stays. A theme merged already is a conflict (409)."""
    community = queries.insights_community(viewer_of(request), slug)
    theme = queries.get_theme(community, theme_id)
    into = _theme_field(community, payload.into_id)
    try:
        kept = actions.merge_themes(user=user_of(request), theme=theme, into=into)
    except Invalid as error:  # the action names the field `into`; this body calls it `into_id`
        errors = {("into_id" if field == "into" else field): messages for field, messages in error.errors.items()}
        raise Invalid(error.detail, errors=errors) from error
    return _detail(community, kept.pk)
