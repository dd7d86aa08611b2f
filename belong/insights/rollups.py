"""Daily rollups: what dashboards read instead of posts.

`refresh(community_id, day)` recomputes one community's rows for one day from its analyses and
its threads' first brand answers, in one transaction (delete and insert), so running it twice or
late gives the same rows. The pipeline refreshes the day of each analysed post; the daily command
refreshes yesterday and today for every community.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from belong.conversations.models import Thread
from belong.insights.models import DailyRollup, PostAnalysis

Key = tuple[int, str, str]  # space, language, kind


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _post_counts(community_id: int, start: datetime, end: datetime) -> dict[Key, dict[str, Any]]:
    rows = (
        PostAnalysis.objects.filter(
            community_id=community_id,
            posted_at__gte=start,
            posted_at__lt=end,
            post__deleted_at__isnull=True,
            post__is_hidden=False,
        )
        .values("space_id", "language", "kind")
        .annotate(
            posts=Count("pk"),
            negative=Count("pk", filter=Q(sentiment="negative")),
            neutral=Count("pk", filter=Q(sentiment="neutral")),
            positive=Count("pk", filter=Q(sentiment="positive")),
            score_sum=Sum("score"),
            flagged=Count("pk", filter=Q(flagged=True)),
            official=Count("pk", filter=Q(is_official=True)),
        )
        .order_by()
    )
    return {(row.pop("space_id"), row.pop("language"), row.pop("kind")): row for row in rows}


def _brand_responses(community_id: int, start: datetime, end: datetime) -> dict[Key, tuple[int, int]]:
    """(threads first answered by the brand this day, total seconds they waited) per key."""
    opening_language = PostAnalysis.objects.filter(post__thread_id=OuterRef("pk"), post__is_opening=True).values(
        "language"
    )[:1]
    threads = (
        Thread.objects.filter(
            community_id=community_id, first_brand_response_at__gte=start, first_brand_response_at__lt=end
        )
        .annotate(analysed_language=Subquery(opening_language))
        .values_list("space_id", "analysed_language", "kind", "created_at", F("first_brand_response_at"))
    )
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for space_id, language, kind, created_at, answered_at in threads:
        entry = totals[(space_id, language or "unknown", kind)]
        entry[0] += 1
        entry[1] += max(0, int((answered_at - created_at).total_seconds()))
    return {key: (count, seconds) for key, (count, seconds) in totals.items()}


@transaction.atomic
def refresh(community_id: int, day: date) -> int:
    """Recompute the community's rollup rows for `day`; return how many rows it has."""
    start, end = day_bounds(day)
    counts = _post_counts(community_id, start, end)
    responses = _brand_responses(community_id, start, end)
    DailyRollup.objects.filter(community_id=community_id, day=day).delete()
    rows = []
    for key in sorted(set(counts) | set(responses)):
        space_id, language, kind = key
        row = counts.get(key, {})
        answered, seconds = responses.get(key, (0, 0))
        rows.append(
            DailyRollup(
                community_id=community_id,
                day=day,
                space_id=space_id,
                language=language,
                kind=kind,
                posts=row.get("posts", 0),
                negative=row.get("negative", 0),
                neutral=row.get("neutral", 0),
                positive=row.get("positive", 0),
                score_sum=row.get("score_sum") or 0.0,
                flagged=row.get("flagged", 0),
                official=row.get("official", 0),
                brand_responses=answered,
                brand_response_seconds=seconds,
            )
        )
    DailyRollup.objects.bulk_create(rows)
    return len(rows)


def days_with_posts(community_id: int) -> list[date]:
    """Every day the community has analysed posts on (for rebuilding all its rollups)."""
    stamps = PostAnalysis.objects.filter(community_id=community_id).dates("posted_at", "day")
    first_answers = Thread.objects.filter(community_id=community_id, first_brand_response_at__isnull=False).dates(
        "first_brand_response_at", "day"
    )
    return sorted(set(stamps) | set(first_answers))


def rebuild(community_id: int) -> int:
    """Refresh every day of a community; return the number of days."""
    days = days_with_posts(community_id)
    for day in days:
        refresh(community_id, day)
    return len(days)
