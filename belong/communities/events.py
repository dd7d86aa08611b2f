"""Events the communities app publishes after commit."""

from __future__ import annotations

from dataclasses import dataclass

from belong.core.events import Event


@dataclass(frozen=True, kw_only=True)
class CommunityCreated(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class CommunityUpdated(Event):
    changed: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SpaceCreated(Event):
    space_id: int


@dataclass(frozen=True, kw_only=True)
class SpaceUpdated(Event):
    space_id: int


@dataclass(frozen=True, kw_only=True)
class MembershipChanged(Event):
    """Base of every event about one membership."""

    membership_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class MemberJoined(MembershipChanged):
    invited_by_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class MembershipRequested(MembershipChanged):
    pass


@dataclass(frozen=True, kw_only=True)
class MemberLeft(MembershipChanged):
    pass


@dataclass(frozen=True, kw_only=True)
class MembershipStateChanged(MembershipChanged):
    old_state: str
    new_state: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RoleChanged(MembershipChanged):
    old_role: str
    new_role: str


@dataclass(frozen=True, kw_only=True)
class InvitationCreated(Event):
    invitation_id: int


@dataclass(frozen=True, kw_only=True)
class InvitationRevoked(Event):
    invitation_id: int


@dataclass(frozen=True, kw_only=True)
class MemberVisited(Event):
    """A member's first visit of the day to a community (trust levels count the days)."""

    day: str
