"""What every insights page shares: access, refusals shown on forms, and small bounded reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.http import HttpRequest

from belong.accounts.models import User
from belong.communities.models import Community
from belong.insights import queries
from belong.insights.models import PostAnalysis, ThemePost
from belong.web.shortcuts import signed_in

QUOTES_PER_THEME = 2
TREND_WEEKS = 12


def managing(request: HttpRequest, slug: str) -> tuple[User, Community]:
    """The signed-in manager and the community whose insights they steer (a write view's access)."""
    user = signed_in(request)
    return user, queries.insights_community(user, slug)


def week_start(moment: Any) -> date:
    day: date = moment.date() if hasattr(moment, "date") else moment
    return day - timedelta(days=day.weekday())


def weekly_posts(theme_ids: Iterable[int], starts: Sequence[date]) -> dict[int, dict[date, int]]:
    """Posts per theme and week (by the weeks' Mondays) since `starts[0]`, in one query."""
    ids = list(theme_ids)
    if not ids or not starts:
        return {}
    rows = (
        ThemePost.objects.filter(theme_id__in=ids, posted_at__date__gte=starts[0])
        .annotate(week=TruncWeek("posted_at"))
        .values("theme_id", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    for row in rows:
        week = week_start(row["week"])
        counts[row["theme_id"]][week] = counts[row["theme_id"]].get(week, 0) + row["n"]
    return counts


def recent_analyses(community: Community, filters: queries.Filters, **kwargs: Any) -> QuerySet[PostAnalysis]:
    """The newest analysed posts of the period and filters (sentiment, flagged as in `analysed_posts`)."""
    analyses = queries.analysed_posts(community, **kwargs).filter(posted_at__date__gte=filters.first_day)
    if filters.space_id:
        analyses = analyses.filter(space_id=filters.space_id)
    if filters.language:
        analyses = analyses.filter(language=filters.language)
    if filters.kind:
        analyses = analyses.filter(kind=filters.kind)
    return analyses
