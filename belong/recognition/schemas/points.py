"""API shapes of points: leaderboards, the rules and settings, a member's total and history, points given by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, field_validator

from belong.accounts.schemas import PersonOut
from belong.api.schemas import InSchema, PatchSchema
from belong.conversations.schemas import SpaceSummaryOut
from belong.recognition.leaderboards import DEFAULT_LIMIT, MAX_LIMIT
from belong.recognition.models import MAX_RULE_POINTS, EntryKind, PointsEntry, PointsRule
from belong.recognition.points import MAX_MANUAL_POINTS, MAX_REASON_CHARS, entry_label, rule_label
from belong.recognition.schemas.perks import RankSummaryOut

# Leaderboards


class LeaderboardFilter(Schema):
    period: Literal["week", "month", "all"] = Field(
        "week", description="week: since Monday 00:00; month: since the 1st; all: every point ever."
    )
    space: str | None = Field(None, description="A space's address: only points earned in it.")
    include_staff: bool | None = Field(
        None, description="Show the brand's people and moderators; the community's choice if left out."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many places to list.")


class StandingOut(Schema):
    position: int = Field(description="1 for the most points; members with equal points share a position.")
    user: PersonOut
    points: int


class LeaderboardOut(Schema):
    period: str
    since: datetime | None = Field(description="When the period began (in your time zone); null for all time.")
    space: SpaceSummaryOut | None
    include_staff: bool
    results: list[StandingOut] = Field(description="The top members, most points first; ties listed by member id.")
    me: StandingOut | None = Field(description="Your own place, wherever it is; null if you are not on this board.")


# Rules and settings


class RuleOut(Schema):
    key: str
    label: str = Field(description="The rule's name in the reader's language.")
    points: int = Field(description="Points each contribution earns; 0 means the rule is off.")
    daily_cap: int | None = Field(description="Most points a member earns by this rule in a day; null for no cap.")

    @staticmethod
    def resolve_label(obj: PointsRule) -> str:
        return rule_label(obj.key)


class RuleChange(InSchema):
    """The new points and/or daily cap of one rule; leave a field out to keep it."""

    points: StrictInt | None = Field(None, description=f"0 (off) to {MAX_RULE_POINTS}.")
    daily_cap: StrictInt | None = Field(None, description="0 up, or null for no cap.")

    @field_validator("points", mode="before")
    @classmethod
    def _points_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("This field cannot be null; leave it out to keep its value."))
        return value


class RulesPatch(InSchema):
    rules: dict[str, RuleChange] = Field(
        description='Rule keys (as GET lists them) to their changes, e.g. {"reply": {"points": 2, "daily_cap": 20}}.'
    )

    def changes(self) -> dict[str, dict[str, Any]]:
        return {key: change.model_dump(exclude_unset=True) for key, change in self.rules.items()}


class PointsSettingsOut(Schema):
    pair_daily_cap: int = Field(
        description="Most points one member's reactions, votes and accepted answers can give another in a day."
    )
    leaderboard_includes_staff: bool = Field(description="Whether leaderboards show staff unless asked otherwise.")


class PointsSettingsPatch(PatchSchema):
    pair_daily_cap: StrictInt | None = None
    leaderboard_includes_staff: StrictBool | None = None


# A member's points


class MemberPointsOut(Schema):
    user: PersonOut
    total: int
    rank: RankSummaryOut | None


class EntryOut(Schema):
    """One line of a member's points."""

    id: int
    delta: int = Field(description="Points added (positive) or taken away (negative).")
    kind: EntryKind = Field(
        description="award: earned by a rule; reversal: cancels another line; manual: by a manager."
    )
    rule: str = Field(description="The rule that earned it (empty for points given by hand).")
    label: str = Field(description="What it was for, in the reader's language.")
    source: str = Field(description="What earned it, e.g. post:12:reply.")
    reason: str
    space: SpaceSummaryOut | None
    awarded_by: PersonOut | None = Field(description="The manager who gave or cancelled it.")
    reverses_id: int | None = Field(description="The line this one cancels.")
    cancelled: bool = Field(description="A later line cancelled this one.")
    created_at: datetime

    @staticmethod
    def resolve_label(obj: PointsEntry) -> str:
        return entry_label(obj)

    @staticmethod
    def resolve_cancelled(obj: PointsEntry) -> bool:
        try:
            return obj.reversal is not None
        except PointsEntry.DoesNotExist:
            return False


class GivePointsIn(InSchema):
    points: StrictInt = Field(
        ge=-MAX_MANUAL_POINTS, le=MAX_MANUAL_POINTS, description="Not 0; a negative number takes points away."
    )
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description="The member sees it.")


class CancelEntryIn(InSchema):
    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS)
