"""API shapes of crisis alerts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema
from belong.insights.actions import MAX_NOTE
from belong.insights.models import Alert, AlertKind, AlertState
from belong.insights.schemas.posts import QuotedPostOut


class AlertFilter(Schema):
    state: AlertState | None = Field(None, description="Only alerts in this state.")


class AlertOut(Schema):
    """Negativity well above the community's usual level on one day."""

    id: int
    kind: AlertKind = Field(
        description="negative_share: the share of negative posts rose; negative_volume: their number did."
    )
    description: str = Field(description="The kind in the reader's language.")
    day: date
    state: AlertState
    total: int = Field(description="Posts that day.")
    negative: int = Field(description="Negative posts that day.")
    share: float = Field(description="negative / total.")
    baseline_share: float = Field(description="The usual share of negative posts (the rolling baseline).")
    baseline_negative: float = Field(description="The usual number of negative posts a day.")
    p_value: float = Field(description="How likely so many negatives are at the usual share (binomial tail).")
    post_count: int = Field(description="How many posts are held behind the alert.")
    note: str
    handled_by: PersonOut | None = Field(description="Who last acknowledged, resolved or reopened it.")
    notified_at: datetime | None = Field(description="When the managers were told.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_description(obj: Alert) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_share(obj: Alert) -> float:
        return round(obj.share, 4)

    @staticmethod
    def resolve_post_count(obj: Alert) -> int:
        return int(getattr(obj, "post_total", 0) or 0)


class AlertDetailOut(AlertOut):
    posts: list[QuotedPostOut] = Field(
        description="The negative posts behind it, most negative first (the first 100; post_count says how many)."
    )

    @staticmethod
    def resolve_posts(obj: Alert) -> list[Any]:
        return list(getattr(obj, "quoted_posts", ()))


class AlertStateIn(InSchema):
    state: AlertState = Field(description="acknowledged, resolved, or open to reopen it.")
    note: str = Field("", max_length=MAX_NOTE, description="Why, for the other managers; kept when left empty.")
