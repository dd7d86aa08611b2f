"""API shapes of the insights summary: totals, the daily series and the mix, read from the daily rollups."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from belong.conversations.models import ThreadKind
from belong.conversations.schemas import SpaceSummaryOut
from belong.insights.queries import DEFAULT_DAYS, MAX_DAYS


class SummaryFilter(Schema):
    days: int = Field(DEFAULT_DAYS, ge=1, le=MAX_DAYS, description="How many days back, today included.")
    space: str | None = Field(None, max_length=60, description="Only this space (its address).")
    language: str | None = Field(None, max_length=12, description="Only posts detected in this language.")
    kind: ThreadKind | None = Field(None, description="Only posts of threads of this kind.")


class TotalsOut(Schema):
    posts: int
    negative: int
    neutral: int
    positive: int
    flagged: int = Field(description="Posts with moderation flags.")
    brand_responses: int = Field(description="Threads the brand first answered in the period.")
    mean_response_seconds: int | None = Field(description="Their mean wait for that answer; null when none.")


class DayOut(Schema):
    """One day of the period (days without posts are zeros)."""

    day: date
    posts: int
    negative: int
    neutral: int
    positive: int
    mean_score: float | None = Field(description="Mean p(positive) − p(negative) of the day's posts; null when none.")


class MixOut(Schema):
    """Posts of one language or thread kind, biggest first."""

    key: str = Field(description="The language code (or `unknown`), or the thread kind.")
    posts: int
    negative: int
    positive: int


class SpaceMixOut(Schema):
    space: SpaceSummaryOut
    posts: int
    negative: int
    positive: int


class SummaryOut(Schema):
    """What the insights page shows, from the daily rollups (never from raw posts)."""

    first_day: date
    last_day: date
    totals: TotalsOut
    series: list[DayOut] = Field(description="One point per day from first_day to last_day.")
    languages: list[MixOut]
    kinds: list[MixOut]
    spaces: list[SpaceMixOut]
    open_alerts: int = Field(description="Alerts of the community still open (whatever the filters).")
