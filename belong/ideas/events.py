"""Events the ideas app publishes after commit: notifications and recognition react to them."""

from __future__ import annotations

from dataclasses import dataclass

from belong.core.events import Event


@dataclass(frozen=True, kw_only=True)
class IdeaProposed(Event):
    idea_id: int


@dataclass(frozen=True, kw_only=True)
class IdeaVoted(Event):
    """A vote cast (not a change of importance): recognition skips the author's own vote."""

    idea_id: int
    idea_author_id: int | None


@dataclass(frozen=True, kw_only=True)
class IdeaVoteWithdrawn(Event):
    idea_id: int
    idea_author_id: int | None


@dataclass(frozen=True, kw_only=True)
class IdeaStatusChanged(Event):
    idea_id: int
    change_id: int
    from_status: str | None
    to_status: str
    shipped: bool = False


@dataclass(frozen=True, kw_only=True)
class IdeasMerged(Event):
    source_id: int
    target_id: int
    votes_moved: int


@dataclass(frozen=True, kw_only=True)
class BetaMemberInvited(Event):
    group_id: int
    invitation_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class BetaInvitationAnswered(Event):
    group_id: int
    invitation_id: int
    accepted: bool


@dataclass(frozen=True, kw_only=True)
class BetaMemberRemoved(Event):
    group_id: int
    invitation_id: int
    user_id: int
