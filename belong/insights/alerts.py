"""Crisis alerts: negativity on a day well above the community's own usual level.

The baseline is the previous `BASELINE_DAYS` days of rollups, read robustly: the median daily
negative share (days with too few posts do not vote) and the median and MAD of daily negative
counts, so one bad day in the baseline does not hide the next. A day raises an alert when

- **share**: at least `MIN_POSTS` posts and `MIN_NEGATIVE` negative ones, a negative share at
  least `SHARE_RISE` above the baseline share, and a binomial tail probability under `P_VALUE`
  of seeing that many negatives if the baseline share still held;
- **volume**: at least `MIN_VOLUME` negative posts, more than `VOLUME_FACTOR` times the usual
  count and more than the usual count plus `MAD_SIGMAS` robust standard deviations, while the
  share also rose (by `VOLUME_SHARE_RISE`) with the same significance, so a merely busy day
  (more posts of every kind) stays silent.

Each (community, kind, day) has at most one alert: later posts that day update its counts and
posts, and the managers are e-mailed once.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Sum
from scipy.stats import binom

from belong.core.events import on_commit_publish
from belong.core.tasks import enqueue_on_commit
from belong.insights.events import AlertRaised
from belong.insights.models import Alert, AlertKind, AlertState, DailyRollup, PostAnalysis
from belong.insights.rollups import day_bounds

BASELINE_DAYS = 28
MIN_DAY_POSTS = 3  # a baseline day with fewer posts says nothing about the usual share
MIN_BASELINE_DAYS = 7
POOLED_MIN_POSTS = 30
DEFAULT_SHARE = 0.35  # a new community's baseline share: cautious, so its first days are quiet
MIN_POSTS = 10
MIN_NEGATIVE = 5
SHARE_RISE = 0.15
P_VALUE = 0.001
MIN_VOLUME = 10
VOLUME_FACTOR = 3.0
MAD_SIGMAS = 6.0
VOLUME_SHARE_RISE = 0.05
POSTS_KEPT = 50


@dataclass(frozen=True)
class Baseline:
    share: float
    negative_median: float
    negative_sigma: float
    days: int


@dataclass(frozen=True)
class Day:
    total: int
    negative: int

    @property
    def share(self) -> float:
        return self.negative / self.total if self.total else 0.0


def daily_counts(community_id: int, first: date, last: date) -> dict[date, Day]:
    rows = (
        DailyRollup.objects.filter(community_id=community_id, day__gte=first, day__lte=last)
        .values("day")
        .annotate(total=Sum("posts"), negative=Sum("negative"))
        .order_by()
    )
    return {row["day"]: Day(total=row["total"] or 0, negative=row["negative"] or 0) for row in rows}


def baseline(days: list[Day]) -> Baseline:
    """The usual negative share and count, from the days before the one judged (zeros included)."""
    informative = [day.share for day in days if day.total >= MIN_DAY_POSTS]
    total = sum(day.total for day in days)
    if len(informative) >= MIN_BASELINE_DAYS:
        share = statistics.median(informative)
    elif total >= POOLED_MIN_POSTS:
        share = sum(day.negative for day in days) / total
    else:
        share = DEFAULT_SHARE
    counts = [day.negative for day in days] or [0]
    median = statistics.median(counts)
    mad = statistics.median([abs(count - median) for count in counts])
    return Baseline(
        share=min(max(share, 0.02), 0.9), negative_median=median, negative_sigma=1.4826 * mad, days=len(informative)
    )


def tail_probability(day: Day, share: float) -> float:
    """P(at least this many negatives | this many posts, the baseline share)."""
    if day.total == 0:
        return 1.0
    return float(binom.sf(day.negative - 1, day.total, share))


def judge(day: Day, usual: Baseline) -> tuple[list[str], float]:
    """The alert kinds the day raises against the baseline, and the tail probability."""
    p_value = tail_probability(day, usual.share)
    kinds: list[str] = []
    if (
        day.total >= MIN_POSTS
        and day.negative >= MIN_NEGATIVE
        and day.share >= usual.share + SHARE_RISE
        and p_value < P_VALUE
    ):
        kinds.append(AlertKind.NEGATIVE_SHARE)
    volume_limit = max(
        MIN_VOLUME, VOLUME_FACTOR * usual.negative_median, usual.negative_median + MAD_SIGMAS * usual.negative_sigma
    )
    if day.negative >= volume_limit and day.share >= usual.share + VOLUME_SHARE_RISE and p_value < P_VALUE:
        kinds.append(AlertKind.NEGATIVE_VOLUME)
    return kinds, p_value


def detect(community_id: int, day: date) -> list[Alert]:
    """Raise (or update) the community's alerts for `day` from its rollups; return them."""
    counts = daily_counts(community_id, day - timedelta(days=BASELINE_DAYS), day)
    today = counts.get(day, Day(0, 0))
    history = [counts.get(day - timedelta(days=n), Day(0, 0)) for n in range(1, BASELINE_DAYS + 1)]
    usual = baseline(history)
    kinds, p_value = judge(today, usual)
    return [_raise(community_id, day, kind, today, usual, p_value) for kind in kinds]


def _negative_posts(community_id: int, day: date) -> list[int]:
    start, end = day_bounds(day)
    return list(
        PostAnalysis.objects.filter(
            community_id=community_id,
            sentiment="negative",
            posted_at__gte=start,
            posted_at__lt=end,
            post__deleted_at__isnull=True,
            post__is_hidden=False,
        )
        .order_by("score", "-posted_at")
        .values_list("post_id", flat=True)[:POSTS_KEPT]
    )


@transaction.atomic
def _raise(community_id: int, day: date, kind: str, today: Day, usual: Baseline, p_value: float) -> Alert:
    alert, created = Alert.objects.select_for_update().get_or_create(
        community_id=community_id,
        kind=kind,
        day=day,
        defaults={
            "total": today.total,
            "negative": today.negative,
            "baseline_share": usual.share,
            "baseline_negative": usual.negative_median,
            "p_value": p_value,
        },
    )
    if not created:
        alert.total, alert.negative, alert.p_value = today.total, today.negative, p_value
        alert.baseline_share, alert.baseline_negative = usual.share, usual.negative_median
        alert.save(update_fields=["total", "negative", "p_value", "baseline_share", "baseline_negative", "updated_at"])
    alert.posts.set(_negative_posts(community_id, day))
    if created:
        from belong.insights.tasks import notify_alert

        on_commit_publish(AlertRaised(community_id=community_id, alert_id=alert.pk, kind=kind))
        enqueue_on_commit(notify_alert, alert.pk)
    return alert


def open_alerts_count(community_id: int) -> int:
    return Alert.objects.filter(community_id=community_id, state=AlertState.OPEN).count()
