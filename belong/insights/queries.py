"""Reads of community intelligence. Dashboards read rollups; lists are bounded and query-constant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import Community
from belong.communities.permissions import check
from belong.communities.queries import get_community
from belong.core.errors import NotFound
from belong.insights.models import Alert, AlertState, DailyRollup, PostAnalysis, Theme, ThemePost
from belong.insights.permissions import InsightsAction

DEFAULT_DAYS = 30
MAX_DAYS = 366


def insights_community(viewer: Any, slug: str) -> Community:
    """The community at `slug`, once `viewer` may read its insights (NotFound or NotAllowed otherwise)."""
    community = get_community(slug)
    check(viewer, InsightsAction.VIEW_INSIGHTS, community)
    return community


@dataclass(frozen=True)
class Filters:
    """What a dashboard looks at: the last `days` days, optionally one space, language or thread kind."""

    days: int = DEFAULT_DAYS
    space_id: int | None = None
    language: str = ""
    kind: str = ""

    @property
    def first_day(self) -> date:
        return timezone.now().date() - timedelta(days=max(1, min(self.days, MAX_DAYS)) - 1)

    def rollups(self, community: Community) -> QuerySet[DailyRollup]:
        rows = DailyRollup.objects.filter(community=community, day__gte=self.first_day)
        if self.space_id:
            rows = rows.filter(space_id=self.space_id)
        if self.language:
            rows = rows.filter(language=self.language)
        if self.kind:
            rows = rows.filter(kind=self.kind)
        return rows


@dataclass(frozen=True)
class DayPoint:
    day: date
    posts: int
    negative: int
    neutral: int
    positive: int
    mean_score: float | None

    @property
    def negative_share(self) -> float:
        return self.negative / self.posts if self.posts else 0.0


_COUNTS = {
    "posts": Sum("posts"),
    "negative": Sum("negative"),
    "neutral": Sum("neutral"),
    "positive": Sum("positive"),
    "score_sum": Sum("score_sum"),
}


def sentiment_series(community: Community, filters: Filters) -> list[DayPoint]:
    """One point per day of the period, days without posts included (as zeros)."""
    rows = {row["day"]: row for row in filters.rollups(community).values("day").annotate(**_COUNTS).order_by()}
    points = []
    day = filters.first_day
    today = timezone.now().date()
    while day <= today:
        row = rows.get(day, {})
        posts = row.get("posts") or 0
        scored = (row.get("negative") or 0) + (row.get("neutral") or 0) + (row.get("positive") or 0)
        points.append(
            DayPoint(
                day=day,
                posts=posts,
                negative=row.get("negative") or 0,
                neutral=row.get("neutral") or 0,
                positive=row.get("positive") or 0,
                mean_score=round((row.get("score_sum") or 0.0) / scored, 3) if scored else None,
            )
        )
        day += timedelta(days=1)
    return points


def mix(community: Community, filters: Filters, by: str) -> list[tuple[str, int, int, int]]:
    """(key, posts, negative, positive) per language, kind or space id (`by`), biggest first."""
    if by not in ("language", "kind", "space_id"):
        raise ValueError(by)
    rows = (
        filters.rollups(community)
        .values(by)
        .annotate(total=Sum("posts"), negative_total=Sum("negative"), positive_total=Sum("positive"))
        .order_by("-total", by)
    )
    return [(str(row[by]), row["total"] or 0, row["negative_total"] or 0, row["positive_total"] or 0) for row in rows]


@dataclass(frozen=True)
class Totals:
    posts: int
    negative: int
    neutral: int
    positive: int
    flagged: int
    brand_responses: int
    mean_response_seconds: int | None


def totals(community: Community, filters: Filters) -> Totals:
    row = filters.rollups(community).aggregate(
        **_COUNTS, flagged=Sum("flagged"), responses=Sum("brand_responses"), seconds=Sum("brand_response_seconds")
    )
    responses = row["responses"] or 0
    return Totals(
        posts=row["posts"] or 0,
        negative=row["negative"] or 0,
        neutral=row["neutral"] or 0,
        positive=row["positive"] or 0,
        flagged=row["flagged"] or 0,
        brand_responses=responses,
        mean_response_seconds=round((row["seconds"] or 0) / responses) if responses else None,
    )


# Alerts ---------------------------------------------------------------------------------------


def alerts_of(community: Community, state: str = "") -> QuerySet[Alert]:
    alerts = Alert.objects.filter(community=community).select_related("handled_by")
    if state:
        alerts = alerts.filter(state=state)
    return alerts.annotate(post_total=Count("posts")).order_by("-day", "-id")


def open_alerts(community: Community) -> QuerySet[Alert]:
    return alerts_of(community, AlertState.OPEN)


def get_alert(community: Community, alert_id: int) -> Alert:
    alert = Alert.objects.select_related("community", "handled_by").filter(community=community, pk=alert_id).first()
    if alert is None:
        raise NotFound(_("No such alert."))
    return alert


def analyses_of_posts(post_ids: QuerySet[Any] | list[int]) -> QuerySet[PostAnalysis]:
    """Analyses with their posts, threads and authors (for lists of quoted posts)."""
    return PostAnalysis.objects.filter(post_id__in=post_ids).select_related(
        "post__thread__space", "post__author", "space"
    )


def alert_posts(alert: Alert) -> QuerySet[PostAnalysis]:
    return analyses_of_posts(alert.posts.values("pk")).order_by("score", "-posted_at")


# Themes ---------------------------------------------------------------------------------------


def themes_of(community: Community) -> QuerySet[Theme]:
    """Standing themes (merged ones are folded into their target), biggest first."""
    return Theme.objects.filter(community=community, merged_into__isnull=True).select_related("idea__thread")


def get_theme(community: Community, theme_id: int) -> Theme:
    theme = (
        Theme.objects.select_related("community", "idea__thread", "merged_into")
        .filter(community=community, pk=theme_id)
        .first()
    )
    if theme is None:
        raise NotFound(_("No such theme."))
    return theme


def theme_posts(theme: Theme) -> QuerySet[ThemePost]:
    return (
        ThemePost.objects.filter(theme=theme)
        .select_related("post__thread__space", "post__author", "post__analysis")
        .order_by("-similarity", "-posted_at")
    )


# Analyses -------------------------------------------------------------------------------------


def analysis_of(post_id: int) -> PostAnalysis | None:
    return PostAnalysis.objects.filter(post_id=post_id).first()


def analysed_posts(
    community: Community, *, sentiment: str = "", language: str = "", flagged: bool | None = None
) -> QuerySet[PostAnalysis]:
    """Analyses of the community's standing posts, newest first, for managers' lists."""
    analyses = PostAnalysis.objects.filter(
        community=community, post__deleted_at__isnull=True, post__is_hidden=False
    ).select_related("post__thread__space", "post__author")
    if sentiment:
        analyses = analyses.filter(sentiment=sentiment)
    if language:
        analyses = analyses.filter(language=language)
    if flagged is not None:
        analyses = analyses.filter(flagged=flagged)
    return analyses.order_by("-posted_at", "-post_id")
