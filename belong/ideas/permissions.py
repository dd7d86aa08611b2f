"""Who may do what on the idea board: rules registered into `communities.permissions.can`.

Seeing an idea is seeing its thread; hiding and locking it are the thread's moderation.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from belong.communities.models import Role
from belong.communities.permissions import BRAND, MANAGERS, Action, Who, rule
from belong.conversations.permissions import ConversationAction
from belong.ideas.models import BetaGroup, BetaInvitation, Idea


class IdeaAction(StrEnum):
    VIEW_IDEA = "view_idea"
    PROPOSE_IDEA = "propose_idea"
    EDIT_IDEA = "edit_idea"
    VOTE = "vote_idea"
    CHANGE_STATUS = "change_idea_status"
    MERGE_IDEAS = "merge_ideas"
    VIEW_VOTERS = "view_idea_voters"
    MANAGE_BOARD = "manage_idea_board"
    MANAGE_BETA = "manage_beta_groups"
    VIEW_BETA_GROUP = "view_beta_group"
    RESPOND_TO_BETA = "respond_to_beta"


# The brand decides the fate of ideas; moderators also tidy the board (merging duplicates).
DECIDERS = BRAND
TIDIERS = BRAND | {Role.MODERATOR}


@rule(IdeaAction.VIEW_IDEA)
def view_idea(who: Who, idea: Idea) -> bool:
    return who.may(ConversationAction.VIEW_THREAD, idea.thread)


@rule(IdeaAction.PROPOSE_IDEA)
def propose_idea(who: Who, space: Any) -> bool:
    return who.may(ConversationAction.START_THREAD, space)


@rule(IdeaAction.EDIT_IDEA)
def edit_idea(who: Who, idea: Idea) -> bool:
    """The author while the idea is still open, and the brand and moderators always."""
    if not who.is_member or not view_idea(who, idea):
        return False
    if who.role in TIDIERS:
        return True
    own = idea.thread.author_id is not None and idea.thread.author_id == getattr(who.user, "pk", None)
    return own and idea.status.is_open and not idea.thread.is_locked and idea.merged_into_id is None


@rule(IdeaAction.VOTE)
def vote(who: Who, idea: Idea) -> bool:
    """Members vote on ideas they see; whether the idea still takes votes is the action's to explain."""
    return who.is_member and view_idea(who, idea)


@rule(IdeaAction.CHANGE_STATUS)
def change_status(who: Who, idea: Idea) -> bool:
    return who.role in DECIDERS and view_idea(who, idea)


@rule(IdeaAction.MERGE_IDEAS)
def merge_ideas(who: Who, idea: Idea) -> bool:
    return who.role in TIDIERS and view_idea(who, idea)


@rule(IdeaAction.VIEW_VOTERS)
def view_voters(who: Who, idea: Idea) -> bool:
    """Who voted, with what importance, is for the brand weighing the idea."""
    return who.role in TIDIERS


@rule(IdeaAction.MANAGE_BOARD)
def manage_board(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(IdeaAction.MANAGE_BETA)
def manage_beta(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(IdeaAction.VIEW_BETA_GROUP)
def view_beta_group(who: Who, group: BetaGroup) -> bool:
    return who.may(Action.VIEW_SPACE, group.space)


@rule(IdeaAction.RESPOND_TO_BETA)
def respond_to_beta(who: Who, invitation: BetaInvitation) -> bool:
    return who.is_member and invitation.user_id == getattr(who.user, "pk", None)
