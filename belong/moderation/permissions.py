"""Who may flag, review, sanction, appeal and read the moderation log: rules registered into `can`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from belong.communities.models import Membership
from belong.communities.permissions import MANAGERS, Action, Who, rule
from belong.conversations.models import Post
from belong.conversations.permissions import ConversationAction
from belong.core.models import ModerationEntry


class ModerationAction(StrEnum):
    FLAG_POST = "flag_post"
    REVIEW = "review"  # read the queue and decide its items
    READ_MODERATION_LOG = "read_moderation_log"
    MANAGE_RULES = "manage_rules"
    MANAGE_MODERATION_SETTINGS = "manage_moderation_settings"
    WARN_MEMBER = "warn_member"
    SILENCE_MEMBER = "silence_member"
    NOTE_MEMBER = "note_member"  # read and write the private notes on members
    APPEAL = "appeal"
    DECIDE_APPEAL = "decide_appeal"


@rule(ModerationAction.FLAG_POST)
def flag_post(who: Who, post: Post) -> bool:
    """Members trusted to flag (trust level 1) flag what they can see, never their own posts."""
    if not who.may(Action.FLAG, post.community) or post.is_deleted:
        return False
    if post.author_id is not None and post.author_id == getattr(who.user, "pk", None):
        return False
    return who.may(ConversationAction.VIEW_THREAD, post.thread)


@rule(ModerationAction.REVIEW)
def review(who: Who, community: Any) -> bool:
    return who.may(Action.MODERATE, community)


@rule(ModerationAction.READ_MODERATION_LOG)
def read_moderation_log(who: Who, community: Any) -> bool:
    return who.may(Action.MODERATE, community)


@rule(ModerationAction.MANAGE_RULES)
def manage_rules(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(ModerationAction.MANAGE_MODERATION_SETTINGS)
def manage_moderation_settings(who: Who, community: Any) -> bool:
    return who.role in MANAGERS


@rule(ModerationAction.WARN_MEMBER)
def warn_member(who: Who, membership: Membership) -> bool:
    """Warnings and silences follow the same ranks as suspensions: only on people one outranks."""
    return who.may(Action.SUSPEND_MEMBERS, membership)


@rule(ModerationAction.SILENCE_MEMBER)
def silence_member(who: Who, membership: Membership) -> bool:
    return who.may(Action.SUSPEND_MEMBERS, membership)


@rule(ModerationAction.NOTE_MEMBER)
def note_member(who: Who, community: Any) -> bool:
    return who.may(Action.MODERATE, community)


@rule(ModerationAction.APPEAL)
def appeal(who: Who, entry: ModerationEntry) -> bool:
    """Only the member an action concerns appeals it, whatever their state (a banned member too)."""
    user_id = getattr(who.user, "pk", None)
    return user_id is not None and entry.subject_id == user_id and entry.actor_id != user_id


@rule(ModerationAction.DECIDE_APPEAL)
def decide_appeal(who: Who, community: Any) -> bool:
    return who.may(Action.MODERATE, community)
