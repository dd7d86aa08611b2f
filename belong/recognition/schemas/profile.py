"""API shape of a member's recognition, all at once."""

from __future__ import annotations

from types import SimpleNamespace

from ninja import Field, Schema

from belong.accounts.schemas import PersonOut
from belong.communities.models import Membership
from belong.recognition.profiles import Summary
from belong.recognition.schemas.badges import MemberBadgeOut
from belong.recognition.schemas.celebrations import CelebrationOut
from belong.recognition.schemas.perks import RankSummaryOut


class PositionsOut(Schema):
    week: int | None = Field(description="Place on this week's leaderboard, or null when not on it.")
    month: int | None
    all: int | None


class AreaOut(Schema):
    slug: str
    name: str


class PerkHeldOut(Schema):
    id: int
    name: str
    eligible: bool
    code: str | None = Field(description="The member's code, once claimed.")
    unlock: str = Field(description="What unlocks it, in the reader's language.")


class RecognitionOut(Schema):
    person: PersonOut
    role: str
    trust_level: int
    trust_level_name: str
    trust_level_pinned: bool = Field(description="Set by a manager rather than earned from activity.")
    points: int
    rank: RankSummaryOut | None
    next_rank: RankSummaryOut | None
    progress_to_next_rank: int = Field(description="0–100, from the current rank's threshold to the next one's.")
    positions: PositionsOut
    badges: list[MemberBadgeOut]
    areas: list[AreaOut] = Field(description="An expert's areas (tags).")
    celebrations: list[CelebrationOut] = Field(description="The ten most recent.")
    perks: list[PerkHeldOut] = Field(description="Only when members ask about themselves.")

    @classmethod
    def of(cls, membership: Membership, summary: Summary) -> RecognitionOut:
        # Validated like any ORM object, so the nested schemas resolve the models themselves.
        return cls.from_orm(
            SimpleNamespace(
                person=membership.user,
                role=membership.role,
                trust_level=summary.trust_level,
                trust_level_name=str(summary.trust_name),
                trust_level_pinned=summary.trust_pinned,
                points=summary.points,
                rank=summary.rank,
                next_rank=summary.next_rank,
                progress_to_next_rank=summary.progress,
                positions=summary.positions,
                badges=summary.badges,
                areas=summary.areas,
                celebrations=[line.celebration for line in summary.celebrations],
                perks=[
                    {
                        "id": row.perk.pk,
                        "name": row.perk.name,
                        "eligible": row.eligible,
                        "code": row.code.code if row.code else None,
                        "unlock": row.unlock,
                    }
                    for row in summary.perks
                ],
            )
        )
