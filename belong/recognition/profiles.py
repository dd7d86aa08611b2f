"""A member's recognition in one community, gathered once for the profile page and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from belong.communities.models import Membership
from belong.conversations.models import Tag
from belong.recognition import badges, celebrations, leaderboards, perks, points, programme, trust
from belong.recognition.defaults import ranks_of
from belong.recognition.models import Badge, Celebration, Rank

RECENT_CELEBRATIONS = 10
PERIODS = ("week", "month", "all")


@dataclass
class CelebrationLine:
    celebration: Celebration
    icon: str
    text: str


@dataclass
class Summary:
    points: int
    rank: Rank | None
    next_rank: Rank | None
    # How far from the current rank's threshold to the next one, 0-100, for the progress bar.
    progress: int
    positions: dict[str, int | None]
    trust_level: int
    trust_name: Any
    trust_pinned: bool
    badges: list[Badge]
    areas: list[Tag]
    celebrations: list[CelebrationLine]
    perks: list[perks.PerkRow] = field(default_factory=list)


def summary_of(membership: Membership, viewer: Any) -> Summary:
    """Everything the profile shows; the perks (with codes) only to the member themselves."""
    community = membership.community
    total, rank = points.standing_of(community.pk, membership.user_id)
    higher = [candidate for candidate in ranks_of(community.pk) if candidate.min_points > total]
    next_rank = higher[0] if higher else None
    floor = rank.min_points if rank else 0
    progress = 100
    if next_rank is not None:
        progress = max(0, min(100, round(100 * (total - floor) / max(1, next_rank.min_points - floor))))
    positions = {}
    for period in PERIODS:
        standing = leaderboards.standing_in(community, membership.user, period)
        positions[period] = standing.position if standing else None
    recent = celebrations.celebrations_of(community, membership.user)[:RECENT_CELEBRATIONS]
    is_self = getattr(viewer, "pk", None) == membership.user_id
    return Summary(
        points=total,
        rank=rank,
        next_rank=next_rank,
        progress=progress,
        positions=positions,
        trust_level=membership.trust_level,
        trust_name=trust.LEVEL_NAMES[membership.trust_level],
        trust_pinned=membership.trust_level_pinned,
        badges=list(badges.badges_of_member(community.pk, membership.user_id)),
        areas=programme.areas_of(community.pk, membership.user_id),
        celebrations=[
            CelebrationLine(item, celebrations.icon_of(item), celebrations.describe(item)) for item in recent
        ],
        perks=perks.perks_for(membership) if is_self and membership.is_active else [],
    )
