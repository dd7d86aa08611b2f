"""API shapes of trust levels: what each level takes and unlocks, and where a member stands."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from belong.api.schemas import InSchema
from belong.recognition.trust import MAX_LEVEL, MIN_LEVEL, WINDOW_DAYS


class PrivilegeOut(Schema):
    action: str = Field(description="The permission's name, as the permission rules call it (post_links, …).")
    label: str
    level: int = Field(description="The trust level that unlocks it; roles above member hold every privilege.")

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.label)


class RequirementOut(Schema):
    stat: str = Field(description="What is counted: days_visited, threads_read, threads_replied, ….")
    label: str
    need: int
    at_most: bool = Field(description="A ceiling (the stat must stay at or under `need`) instead of a floor.")
    window_days: int | None = Field(description=f"Counted over the last {WINDOW_DAYS} days; null for a lifetime.")

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_window_days(obj: Any) -> int | None:
        return WINDOW_DAYS if obj.window else None


class TrustLevelOut(Schema):
    """One trust level: what earns it (with every lower level's requirements) and what it unlocks."""

    level: int
    name: str
    description: str
    requirements: list[RequirementOut]
    privileges: list[PrivilegeOut] = Field(description="Unlocked at this level (lower levels' not repeated).")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_description(obj: Any) -> str:
        return str(obj.description)


class RequirementProgressOut(RequirementOut):
    have: int
    met: bool


class MemberTrustOut(Schema):
    """A member's trust level and how far they are from the next."""

    handle: str
    level: int
    name: str
    pinned: bool = Field(description="Set by a manager: activity leaves it alone until it is unpinned.")
    earned: int = Field(description="The level the member's activity alone earns today.")
    next_level: int | None
    next_name: str | None
    requirements: list[RequirementProgressOut] = Field(description="The next level's requirements.")
    keep: list[RequirementProgressOut] = Field(
        description=f"For levels 3 and 4: what the last {WINDOW_DAYS} days must go on meeting, or the level lapses to 2."
    )
    privileges: list[PrivilegeOut] = Field(description="Every privilege the level holds.")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_next_name(obj: Any) -> str | None:
        return None if obj.next_name is None else str(obj.next_name)


class TrustIn(InSchema):
    level: int | None = Field(
        ge=MIN_LEVEL,
        le=MAX_LEVEL,
        description=f"The level to pin, {MIN_LEVEL} to {MAX_LEVEL}; null unpins it and recomputes it from activity.",
    )
