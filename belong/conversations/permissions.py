"""Who may do what with threads and posts: rules registered into `communities.permissions.can`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from belong.communities.models import Role
from belong.communities.permissions import BRAND, MODERATORS, Action, Who, rule
from belong.conversations.models import Post, Thread, ThreadKind

# Roles that moderate conversations (hide, lock, accept on behalf of the asker, edit others' posts).
CONVERSATION_MODERATORS = MODERATORS | {Role.STAFF}


class ConversationAction(StrEnum):
    VIEW_THREAD = "view_thread"
    START_THREAD = "start_thread"
    START_BRAND_THREAD = "start_brand_thread"
    REPLY = "reply"
    EDIT_POST = "edit_post"
    DELETE_POST = "delete_post"
    ACCEPT_ANSWER = "accept_answer"
    REACT = "react"
    FOLLOW = "follow"
    BOOKMARK = "bookmark"
    TAG_THREAD = "tag_thread"
    MANAGE_TAGS = "manage_tags"
    MANAGE_PRODUCTS = "manage_products"
    MODERATE_THREAD = "moderate_thread"
    COLLECT = "collect"


def _moderates(who: Who) -> bool:
    return who.role in CONVERSATION_MODERATORS


def _is_author(who: Who, obj: Thread | Post) -> bool:
    return obj.author_id is not None and obj.author_id == getattr(who.user, "pk", None)


@rule(ConversationAction.VIEW_THREAD)
def view_thread(who: Who, thread: Thread) -> bool:
    if not who.may(Action.VIEW_SPACE, thread.space):
        return False
    return not thread.is_hidden or _moderates(who) or _is_author(who, thread)


@rule(ConversationAction.START_THREAD)
def start_thread(who: Who, space: Any) -> bool:
    return who.may(Action.POST_IN_SPACE, space)


@rule(ConversationAction.START_BRAND_THREAD)
def start_brand_thread(who: Who, space: Any) -> bool:
    """Announcements and calls for feedback speak for the brand."""
    return who.role in BRAND and who.may(Action.POST_IN_SPACE, space)


@rule(ConversationAction.REPLY)
def reply(who: Who, thread: Thread) -> bool:
    if not who.may(Action.POST_IN_SPACE, thread.space) or not view_thread(who, thread):
        return False
    return not (thread.is_locked or thread.is_hidden) or _moderates(who)


@rule(ConversationAction.EDIT_POST)
def edit_post(who: Who, post: Post) -> bool:
    if not who.is_member or post.is_deleted or not view_thread(who, post.thread):
        return False
    return (_is_author(who, post) and not post.thread.is_locked) or _moderates(who)


@rule(ConversationAction.DELETE_POST)
def delete_post(who: Who, post: Post) -> bool:
    if not who.is_member or post.is_deleted or not view_thread(who, post.thread):
        return False
    return _is_author(who, post) or _moderates(who)


@rule(ConversationAction.ACCEPT_ANSWER)
def accept_answer(who: Who, thread: Thread) -> bool:
    if not who.is_member or thread.kind != ThreadKind.QUESTION or not view_thread(who, thread):
        return False
    return _is_author(who, thread) or _moderates(who)


@rule(ConversationAction.REACT)
def react(who: Who, post: Post) -> bool:
    """Members react to others' visible posts; reacting to one's own earns nothing and is refused."""
    if not who.is_member or post.is_deleted or post.is_hidden or _is_author(who, post):
        return False
    return view_thread(who, post.thread)


@rule(ConversationAction.FOLLOW)
def follow(who: Who, target: Any) -> bool:
    if not getattr(who.user, "is_authenticated", False):
        return False
    if isinstance(target, Thread):
        return view_thread(who, target)
    space = getattr(target, "space", None)
    if space is None and hasattr(target, "visibility"):
        return who.may(Action.VIEW_SPACE, target)
    return True  # tags are public names


@rule(ConversationAction.BOOKMARK)
def bookmark(who: Who, thread: Thread) -> bool:
    return getattr(who.user, "is_authenticated", False) and view_thread(who, thread)


@rule(ConversationAction.TAG_THREAD)
def tag_thread(who: Who, thread: Thread) -> bool:
    return who.is_member and view_thread(who, thread) and (_is_author(who, thread) or _moderates(who))


@rule(ConversationAction.MANAGE_TAGS)
def manage_tags(who: Who, community: Any) -> bool:
    return who.role in (BRAND | {Role.MODERATOR})


@rule(ConversationAction.MANAGE_PRODUCTS)
def manage_products(who: Who, community: Any) -> bool:
    return who.role in BRAND


@rule(ConversationAction.MODERATE_THREAD)
def moderate_thread(who: Who, thread: Thread) -> bool:
    return _moderates(who)


@rule(ConversationAction.COLLECT)
def collect(who: Who, community: Any) -> bool:
    return who.is_member
