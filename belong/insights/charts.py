"""Server-side charts for the insights pages: pure functions turning series into SVG geometry.

Templates draw the shapes; nothing here touches the database or the request, so the charts work
without JavaScript and are easy to test. Every chart has a text alternative in its template
(a `<table>` in a `<details>`, `<title>` tooltips per bar).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from belong.insights.queries import DayPoint

# The sentiment chart's drawing area, in SVG user units (the SVG scales to its container).
WIDTH = 760
HEIGHT = 280
LEFT = 44
RIGHT = 44
TOP = 16
BOTTOM = 36
# Longer periods are drawn week by week, so a year stays readable instead of 365 hairlines.
MAX_DAILY_BARS = 92
MAX_X_LABELS = 10


@dataclass(frozen=True)
class Bucket:
    """One bar: a day or a week of posts."""

    first: date
    last: date
    posts: int
    negative: int
    neutral: int
    positive: int
    mean_score: float | None

    @property
    def negative_share(self) -> float:
        return self.negative / self.posts if self.posts else 0.0


def bucket(points: Sequence[DayPoint]) -> list[Bucket]:
    """Days as they are for up to three months; longer periods in weeks (ending on the last day)."""
    if len(points) <= MAX_DAILY_BARS:
        return [Bucket(p.day, p.day, p.posts, p.negative, p.neutral, p.positive, p.mean_score) for p in points]
    buckets = []
    # Align the weeks to the end so the latest week is complete and the oldest may be partial.
    for end in range(len(points), 0, -7):
        week = points[max(0, end - 7) : end]
        scored = sum(p.negative + p.neutral + p.positive for p in week)
        score_sum = sum((p.mean_score or 0.0) * (p.negative + p.neutral + p.positive) for p in week)
        buckets.append(
            Bucket(
                first=week[0].day,
                last=week[-1].day,
                posts=sum(p.posts for p in week),
                negative=sum(p.negative for p in week),
                neutral=sum(p.neutral for p in week),
                positive=sum(p.positive for p in week),
                mean_score=round(score_sum / scored, 3) if scored else None,
            )
        )
    buckets.reverse()
    return buckets


def nice_ceiling(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 5 × a power of ten)."""
    if value <= 0:
        return 1
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


@dataclass
class Segment:
    label: str
    css: str
    count: int
    y: float
    height: float


@dataclass
class Bar:
    x: float
    width: float
    title: str
    segments: list[Segment]
    bucket: Bucket


@dataclass
class Tick:
    value: str
    x: float = 0.0
    y: float = 0.0


@dataclass
class SentimentChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    y_ticks: list[Tick]
    score_ticks: list[Tick]
    x_labels: list[Tick]
    score_line: str  # an SVG path ("M x y L x y ...", broken where a bar has no scored posts)
    score_dots: list[Tick]
    weekly: bool
    empty: bool
    summary: str
    rows: list[Bucket] = field(default_factory=list)

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    @property
    def plot_height(self) -> int:
        return self.height - self.bottom - self.top

    @property
    def center_x(self) -> float:
        return (self.left + self.width - self.right) / 2

    @property
    def center_y(self) -> float:
        return (self.top + self.height - self.bottom) / 2


def _period_label(item: Bucket) -> str:
    if item.first == item.last:
        return formats.date_format(item.first, "SHORT_DATE_FORMAT")
    return _("%(first)s to %(last)s") % {
        "first": formats.date_format(item.first, "SHORT_DATE_FORMAT"),
        "last": formats.date_format(item.last, "SHORT_DATE_FORMAT"),
    }


def _bar_title(item: Bucket) -> str:
    score = _("no score") if item.mean_score is None else _("mean score %(score)+.2f") % {"score": item.mean_score}
    return _(
        "%(period)s: %(posts)d posts, %(negative)d negative, %(neutral)d neutral, %(positive)d positive; %(score)s"
    ) % {
        "period": _period_label(item),
        "posts": item.posts,
        "negative": item.negative,
        "neutral": item.neutral,
        "positive": item.positive,
        "score": score,
    }


def sentiment_chart(points: Sequence[DayPoint]) -> SentimentChart:
    """A stacked bar per day (or week) of negative, neutral and positive posts, and the mean score as a line.

    Counts read on the left axis; the mean score (from −1, all negative, to +1, all positive) on
    the right one.
    """
    items = bucket(points)
    weekly = len(points) > MAX_DAILY_BARS
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = HEIGHT - BOTTOM
    peak = nice_ceiling(max((item.posts for item in items), default=0))
    step = plot_w / max(1, len(items))
    bar_w = max(1.0, step * 0.72)
    bars = []
    line: list[str] = []
    dots = []
    pen_down = False
    for index, item in enumerate(items):
        x = LEFT + index * step + (step - bar_w) / 2
        y = float(bottom)
        segments = []
        for label, css, count in (
            (_("Negative"), "negative", item.negative),
            (_("Neutral"), "neutral", item.neutral),
            (_("Positive"), "positive", item.positive),
        ):
            height = plot_h * count / peak
            y -= height
            segments.append(Segment(label=label, css=css, count=count, y=round(y, 2), height=round(height, 2)))
        bars.append(Bar(x=round(x, 2), width=round(bar_w, 2), title=_bar_title(item), segments=segments, bucket=item))
        if item.mean_score is None:
            pen_down = False
            continue
        cx = round(LEFT + index * step + step / 2, 2)
        cy = round(TOP + plot_h * (1 - item.mean_score) / 2, 2)
        line.append(f"{'L' if pen_down else 'M'}{cx} {cy}")
        dots.append(Tick(value=f"{item.mean_score:+.2f}", x=cx, y=cy))
        pen_down = True
    y_ticks = [
        Tick(value=formats.number_format(round(peak * share)), y=round(bottom - plot_h * share, 2))
        for share in (0, 0.25, 0.5, 0.75, 1)
        if share == 0 or peak * share == round(peak * share)
    ]
    score_ticks = [
        Tick(value=f"{score:+d}" if score else "0", y=round(TOP + plot_h * (1 - score) / 2, 2)) for score in (1, 0, -1)
    ]
    every = max(1, math.ceil(len(items) / MAX_X_LABELS))
    x_labels = [
        Tick(value=formats.date_format(item.first, "j M"), x=round(LEFT + index * step + step / 2, 2))
        for index, item in enumerate(items)
        if (len(items) - 1 - index) % every == 0
    ]
    total = sum(item.posts for item in items)
    negative = sum(item.negative for item in items)
    summary = _("%(posts)d analysed posts from %(first)s to %(last)s, %(share)d%% of them negative.") % {
        "posts": total,
        "first": formats.date_format(points[0].day, "SHORT_DATE_FORMAT") if points else "",
        "last": formats.date_format(points[-1].day, "SHORT_DATE_FORMAT") if points else "",
        "share": round(100 * negative / total) if total else 0,
    }
    return SentimentChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=RIGHT,
        top=TOP,
        bottom=BOTTOM,
        bars=bars,
        y_ticks=y_ticks,
        score_ticks=score_ticks,
        x_labels=x_labels,
        score_line=" ".join(line),
        score_dots=dots,
        weekly=weekly,
        empty=total == 0,
        summary=summary,
        rows=items,
    )


@dataclass(frozen=True)
class MixRow:
    """One row of a horizontal bar list: a language, kind or space with its share of the posts."""

    key: str
    label: str
    posts: int
    negative: int
    positive: int
    percent: float  # of all posts in the period
    width: float  # of the longest bar, for drawing
    negative_percent: float  # of this row's posts

    @property
    def negative_width(self) -> float:
        return round(self.width * self.negative_percent / 100, 1)


def mix_rows(rows: Sequence[tuple[str, int, int, int]], labels: dict[str, str] | None = None) -> list[MixRow]:
    """Rows of `queries.mix` with their percentages and bar widths; `labels` names the keys."""
    labels = labels or {}
    total = sum(posts for _key, posts, _neg, _pos in rows)
    longest = max((posts for _key, posts, _neg, _pos in rows), default=0)
    return [
        MixRow(
            key=key,
            label=labels.get(key, key),
            posts=posts,
            negative=negative,
            positive=positive,
            percent=round(100 * posts / total, 1) if total else 0.0,
            width=round(100 * posts / longest, 1) if longest else 0.0,
            negative_percent=round(100 * negative / posts, 1) if posts else 0.0,
        )
        for key, posts, negative, positive in rows
    ]


@dataclass
class Sparkline:
    width: int
    height: int
    points: str  # an SVG polyline's points
    area: str  # the same line closed down to the axis, for a soft fill
    peak: int
    total: int
    weeks: list[tuple[date, int]]
    summary: str


def week_starts(today: date, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first (this week's included)."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def sparkline(counts: dict[date, int], starts: Sequence[date], *, width: int = 160, height: int = 36) -> Sparkline:
    """A small line of posts per week over `starts` (missing weeks count zero)."""
    values = [counts.get(start, 0) for start in starts]
    peak = max(values, default=0)
    step = width / max(1, len(values) - 1)
    coordinates = [
        (round(index * step, 1), round(height - 2 - (height - 4) * value / peak, 1) if peak else float(height - 2))
        for index, value in enumerate(values)
    ]
    points = " ".join(f"{x},{y}" for x, y in coordinates)
    area = f"0,{height} {points} {width},{height}" if coordinates else ""
    total = sum(values)
    summary = _("%(total)d posts in the last %(weeks)d weeks; %(latest)d this week, at most %(peak)d in a week.") % {
        "total": total,
        "weeks": len(values),
        "latest": values[-1] if values else 0,
        "peak": peak,
    }
    return Sparkline(
        width=width,
        height=height,
        points=points,
        area=area,
        peak=peak,
        total=total,
        weeks=list(zip(starts, values, strict=True)),
        summary=summary,
    )


def duration(seconds: int | None) -> str:
    """A response time people read at a glance: minutes under two hours, hours under two days, then days."""
    if seconds is None:
        return "—"
    minutes = seconds / 60
    if minutes < 120:
        return _("%(n)d min") % {"n": round(minutes)}
    hours = minutes / 60
    if hours < 48:
        return _("%(n).1f h") % {"n": hours}
    return _("%(n).1f days") % {"n": hours / 24}


def chance_in_words(p_value: float) -> str:
    """A p-value as a sentence a manager can weigh: how rarely a day like this happens by chance."""
    if p_value <= 0 or p_value < 1e-6:
        return _("At the usual level, a day like this would happen by chance less than once in a million days.")
    days = 1 / p_value
    if days >= 1000:
        rounded = formats.number_format(int(round(days, -int(math.log10(days)) + 1)), force_grouping=True)
    else:
        rounded = formats.number_format(round(days))
    return _("At the usual level, a day like this would happen by chance about once in %(days)s days.") % {
        "days": rounded
    }
