"""Events the recognition app publishes after commit: notifications and celebrations react to them."""

from __future__ import annotations

from dataclasses import dataclass

from belong.core.events import Event


@dataclass(frozen=True, kw_only=True)
class PointsGiven(Event):
    """A manager gave (or took) points by hand."""

    entry_id: int
    user_id: int
    delta: int


@dataclass(frozen=True, kw_only=True)
class RankChanged(Event):
    """A member's rank moved with their points (`up` is False after points were reversed)."""

    user_id: int
    rank_id: int | None
    previous_rank_id: int | None
    up: bool


@dataclass(frozen=True, kw_only=True)
class BadgeAwarded(Event):
    award_id: int
    badge_id: int
    badge_key: str
    user_id: int
    manual: bool = False


@dataclass(frozen=True, kw_only=True)
class BadgeRevoked(Event):
    badge_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class TrustLevelChanged(Event):
    membership_id: int
    user_id: int
    old_level: int
    new_level: int
    pinned: bool = False


@dataclass(frozen=True, kw_only=True)
class Celebrated(Event):
    """Something worth celebrating happened to a member (an anniversary, a milestone, a new rank)."""

    celebration_id: int
    user_id: int
    kind: str
    key: str


@dataclass(frozen=True, kw_only=True)
class PerkClaimed(Event):
    perk_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class MemberNominated(Event):
    nomination_id: int
    user_id: int
    programme: str


@dataclass(frozen=True, kw_only=True)
class NominationAnswered(Event):
    nomination_id: int
    user_id: int
    programme: str
    accepted: bool


@dataclass(frozen=True, kw_only=True)
class NominationWithdrawn(Event):
    nomination_id: int
    user_id: int
