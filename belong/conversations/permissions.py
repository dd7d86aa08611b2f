"""Who may do what with threads and posts: rules registered into `communities.permissions.can`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from belong.communities.models import Role
from belong.communities.permissions import BRAND, MODERATORS, Action, Who, rule
from belong.conversations.models import BOARD_KINDS, Post, Thread, ThreadKind

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
    CLOSE_THREAD = "close_thread"  # close (lock) or reopen; authors need trust level 2
    SET_WIKI = "set_wiki"  # make a post a wiki, or a plain post again
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
    """The author while the thread is open, moderators always, and on a wiki post anyone trusted
    with wikis (trust level 3) who may reply in the thread; every edit keeps a revision."""
    if not who.is_member or post.is_deleted or not view_thread(who, post.thread):
        return False
    if _moderates(who) or (_is_author(who, post) and not post.thread.is_locked):
        return True
    return (
        post.is_wiki
        and not post.is_hidden
        and who.may(Action.EDIT_WIKI, post.thread.community)
        and reply(who, post.thread)
    )


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


@rule(ConversationAction.CLOSE_THREAD)
def close_thread(who: Who, thread: Thread) -> bool:
    """Moderators close and reopen any thread; an author trusted to (trust level 2) closes their own,
    and reopens it if they closed it themselves. A board's threads (ideas) are the board's to lock."""
    if not who.is_member or not view_thread(who, thread):
        return False
    if _moderates(who):
        return True
    if not _is_author(who, thread) or thread.kind in BOARD_KINDS or thread.is_hidden:
        return False
    if thread.is_locked and thread.locked_by_id != getattr(who.user, "pk", None):
        return False
    return who.may(Action.CLOSE_OWN_THREAD, thread.community)


@rule(ConversationAction.SET_WIKI)
def set_wiki(who: Who, post: Post) -> bool:
    """The author of a post, or a moderator, makes it a wiki (or a plain post again); not the opening
    post of a board's thread, which is the idea itself and edited by the board's rules."""
    if not who.is_member or post.is_deleted or not view_thread(who, post.thread):
        return False
    if post.is_opening and post.thread.kind in BOARD_KINDS:
        return False
    return _moderates(who) or (_is_author(who, post) and not post.thread.is_locked)


@rule(ConversationAction.COLLECT)
def collect(who: Who, community: Any) -> bool:
    return who.is_member
