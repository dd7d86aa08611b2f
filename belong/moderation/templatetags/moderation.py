"""Moderation beside the conversations: the rules box, each post's Flag and Hide links, the thread's tools.

Conversations' templates `{% load moderation %}` and call one tag, so that app never imports this one.
What a tag needs about the whole thread (may the viewer moderate, which of their hidden posts wait for
review) is worked out once per thread and kept on the thread object, so a page of 50 posts costs no
more queries than a page of 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from belong.communities.models import Community
from belong.communities.permissions import can
from belong.conversations.models import BOARD_KINDS, Post, Thread
from belong.conversations.permissions import ConversationAction
from belong.moderation import labels, queries
from belong.moderation.models import ReviewItem, ReviewState
from belong.moderation.permissions import ModerationAction

register = template.Library()


def _user(context: template.Context | dict[str, Any]) -> Any:
    return getattr(context.get("request"), "user", None)


def rules_box_context(request: HttpRequest | None, community: Community, *, joining: bool = False) -> dict[str, Any]:
    user = getattr(request, "user", None)
    rules = queries.rules_of(community)
    needs = bool(rules) and not joining and queries.needs_to_accept_rules(user, community)
    return {
        "community": community,
        "rules": rules,
        "joining": joining,
        "needs_to_accept": needs,
        "request": request,
    }


@register.inclusion_tag("moderation/thread_rules_box.html", takes_context=True)
def community_rules(context: template.Context, community: Community, joining: bool = False) -> dict[str, Any]:
    """The community's rules in a folded box; an Accept button when they changed since the member accepted them.

    `joining=True` (on the join button) says that joining accepts them instead.
    """
    found = rules_box_context(context.get("request"), community, joining=joining)
    found["csrf_token"] = context.get("csrf_token")
    return found


@dataclass
class ThreadModeration:
    """What the viewer may do about a thread's posts, worked out once per thread."""

    may_moderate: bool
    may_note: bool
    waiting: set[int] | None = field(default=None)  # hidden posts with a pending review item, read on first need


def _thread_moderation(user: Any, thread: Thread) -> ThreadModeration:
    known: ThreadModeration | None = getattr(thread, "_belong_moderation", None)
    if known is None:
        may_moderate = can(user, ConversationAction.MODERATE_THREAD, thread)
        known = ThreadModeration(
            may_moderate=may_moderate,
            may_note=may_moderate and can(user, ModerationAction.NOTE_MEMBER, thread.community),
        )
        thread._belong_moderation = known  # type: ignore[attr-defined]
    return known


def _waiting(user: Any, thread: Thread) -> set[int]:
    """Ids of the thread's hidden posts a moderator has yet to review (one query, only when hidden posts show)."""
    known = _thread_moderation(user, thread)
    if known.waiting is None:
        known.waiting = set(
            ReviewItem.objects.filter(post__thread=thread, post__is_hidden=True, state=ReviewState.PENDING).values_list(
                "post_id", flat=True
            )
        )
    return known.waiting


@register.simple_tag(takes_context=True)
def post_hidden_label(context: template.Context, post: Post) -> SafeString | str:
    """The badge of a hidden post: its author reads that a moderator will look at it."""
    if not post.is_hidden:
        return ""
    user = _user(context)
    waiting = post.pk in _waiting(user, post.thread)
    if waiting and post.author_id is not None and post.author_id == getattr(user, "pk", None):
        return format_html(
            '<span class="badge badge-state-pending" title="{}">{}</span>',
            _("Only you and the moderators see this post until a moderator reviews it."),
            _("Waiting for a moderator"),
        )
    label = format_html('<span class="badge badge-state-banned">{}</span>', _("Hidden by moderators"))
    if waiting:
        return format_html('{} <span class="badge badge-state-pending">{}</span>', label, _("In the review queue"))
    return label


@register.inclusion_tag("moderation/thread_post_tools.html", takes_context=True)
def post_moderation_tools(context: template.Context, row: Any) -> dict[str, Any]:
    """A post's Flag link, and Hide or Show with a link to the author's moderation page for moderators."""
    user = _user(context)
    post: Post = row.post
    thread = post.thread
    known = _thread_moderation(user, thread)
    return {
        "community": thread.community,
        "post": post,
        "may_flag": can(user, ModerationAction.FLAG_POST, post),
        "may_moderate": known.may_moderate and not post.is_deleted,
        "may_note": known.may_note and post.author_id is not None,
    }


@register.inclusion_tag("moderation/thread_tools.html", takes_context=True)
def thread_moderation_tools(context: template.Context, thread: Thread) -> dict[str, Any]:
    """Move, merge and split links for the thread's moderation panel (not for a board's threads)."""
    return {"community": thread.community, "thread": thread, "movable": thread.kind not in BOARD_KINDS}


@register.filter
def action_label(action: str) -> str:
    """The translated words for a moderation log action ("post.hidden" → "Post hidden")."""
    return str(labels.action_label(action))
