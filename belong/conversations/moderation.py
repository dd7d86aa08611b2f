"""What moderators do to posts and threads beyond lock, hide and pin: hide one post, move, merge, split.

Each takes a reason, which goes in the moderation log beside the change (the member concerned is
told why and may appeal). Nothing is deleted: a merged thread keeps its address and points to
where its posts went, and moved posts keep their authors, dates and history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import Space
from belong.communities.permissions import Action, check
from belong.conversations import events
from belong.conversations.actions import _clean_title, _publish_mentions
from belong.conversations.models import BOARD_KINDS, Follow, Post, Thread, ThreadKind
from belong.conversations.permissions import ConversationAction as Can
from belong.conversations.search import index_posts
from belong.core.audit import record_moderation
from belong.core.errors import Conflict, Invalid
from belong.core.events import on_commit_publish
from belong.core.richtext import render_markdown

MAX_REASON_CHARS = 2000


def require_reason(reason: str) -> str:
    """Every moderator action says why: the member is told, and the log keeps it."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give a reason: the member is told why.")
        raise Invalid(message, errors={"reason": [message]})
    if len(reason) > MAX_REASON_CHARS:
        message = _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_CHARS}
        raise Invalid(message, errors={"reason": [message]})
    return reason


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("thread", "thread__space", "community").get(pk=post.pk)


def _lock_thread(thread: Thread) -> Thread:
    return Thread.objects.select_for_update().select_related("space", "community").get(pk=thread.pk)


def set_post_visibility(post: Post, *, hidden: bool) -> None:
    """Hide or show a post, and its thread with it when it is the opening post (no check, no log: the caller's)."""
    Post.objects.filter(pk=post.pk).update(is_hidden=hidden, updated_at=timezone.now())
    post.is_hidden = hidden
    if post.is_opening:
        # The opening post is the thread: hiding one without the other would leave an empty page.
        Thread.objects.filter(pk=post.thread_id).update(is_hidden=hidden)


def _set_post_hidden(*, actor: Any, post: Post, hidden: bool, reason: str, action: str) -> Post:
    set_post_visibility(post, hidden=hidden)
    record_moderation(
        actor=actor,
        action=action,
        community=post.community,
        subject=post.author_id,
        target=post,
        reason=reason,
        data={"thread": post.thread_id, "title": post.thread.title},
    )
    on_commit_publish(
        events.ThreadModerated(
            community_id=post.community_id,
            actor_id=getattr(actor, "pk", None),
            thread_id=post.thread_id,
            change=f"post:{post.pk}:is_hidden={hidden}",
        )
    )
    return post


@transaction.atomic
def hide_post(*, actor: Any, post: Post, reason: str) -> Post:
    """Hide one post from everyone but its author and the moderators; it is kept, not deleted."""
    post = _lock_post(post)
    check(actor, Can.MODERATE_THREAD, post.thread)
    reason = require_reason(reason)
    if post.is_hidden:
        raise Conflict(_("This post is hidden already."))
    if post.is_deleted:
        raise Conflict(_("This post was deleted."))
    return _set_post_hidden(actor=actor, post=post, hidden=True, reason=reason, action="post.hidden")


@transaction.atomic
def unhide_post(*, actor: Any, post: Post, reason: str = "") -> Post:
    """Show a hidden post again."""
    post = _lock_post(post)
    check(actor, Can.MODERATE_THREAD, post.thread)
    if not post.is_hidden:
        raise Conflict(_("This post is not hidden."))
    return _set_post_hidden(actor=actor, post=post, hidden=False, reason=reason.strip(), action="post.unhidden")


def hide_post_for_review(*, post: Post, reason: str) -> None:
    """Hide a post the members' flags weighed enough against, until a moderator decides (the system acts)."""
    post = _lock_post(post)
    if not post.is_hidden and not post.is_deleted:
        _set_post_hidden(actor=None, post=post, hidden=True, reason=reason, action="post.hidden")


def announce_mentions(post: Post) -> None:
    """Tell those a held post @mentions about it, now that a moderator let it through."""
    if post.author is not None:
        _publish_mentions(post, post.body, post.author)


def _check_movable(actor: Any, thread: Thread) -> None:
    check(actor, Can.MODERATE_THREAD, thread)
    if thread.kind in BOARD_KINDS:
        message = _("An idea's discussion stays with its idea; merge ideas on the idea board instead.")
        raise Invalid(message)


@transaction.atomic
def move_thread(*, actor: Any, thread: Thread, space: Space, reason: str) -> Thread:
    """Move a thread to another space of the same community."""
    thread = _lock_thread(thread)
    _check_movable(actor, thread)
    reason = require_reason(reason)
    if space.community_id != thread.community_id:
        message = _("Pick a space of this community.")
        raise Invalid(message, errors={"space": [message]})
    if space.pk == thread.space_id:
        raise Conflict(_("The thread is in this space already."))
    check(actor, Action.POST_IN_SPACE, space)
    old_space = thread.space
    thread.space = space
    thread.save(update_fields=["space", "updated_at"])
    record_moderation(
        actor=actor,
        action="thread.moved",
        community=thread.community,
        subject=thread.author_id,
        target=thread,
        reason=reason,
        data={"thread": thread.pk, "title": thread.title, "from": old_space.slug, "to": space.slug},
    )
    on_commit_publish(
        events.ThreadModerated(
            community_id=thread.community_id, actor_id=actor.pk, thread_id=thread.pk, change=f"space={space.slug}"
        )
    )
    return thread


def _recount(thread: Thread) -> None:
    """Set a thread's reply count and last activity from the posts it now holds."""
    live = Post.objects.filter(thread=thread, deleted_at__isnull=True)
    thread.reply_count = live.filter(is_opening=False).count()
    thread.last_activity_at = live.aggregate(latest=Max("created_at"))["latest"] or thread.created_at
    thread.save(update_fields=["reply_count", "last_activity_at", "updated_at"])


def _reindex_on_commit(post_ids: list[int]) -> None:
    transaction.on_commit(lambda: index_posts(Post.objects.filter(pk__in=post_ids).select_related("thread")))


@transaction.atomic
def merge_threads(*, actor: Any, source: Thread, target: Thread, reason: str) -> Thread:
    """Move every post of `source` into `target`, in date order; `source` keeps its address and points there.

    The source's opening post becomes a reply; a short opening post by the moderator takes its place,
    and the source is locked, so old links still lead somewhere.
    """
    if source.pk == target.pk:
        raise Invalid(_("Pick another thread to merge into."), errors={"target": [_("Pick another thread.")]})
    first, second = sorted([source, target], key=lambda thread: thread.pk)  # one lock order: no deadlock
    locked = {thread.pk: _lock_thread(thread) for thread in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    _check_movable(actor, source)
    _check_movable(actor, target)
    reason = require_reason(reason)
    if source.community_id != target.community_id:
        message = _("Both threads must be in the same community.")
        raise Invalid(message, errors={"target": [message]})
    moved = list(Post.objects.filter(thread=source).values_list("pk", flat=True))
    Post.objects.filter(thread=source).update(thread=target, is_opening=False)
    for user_id in Follow.objects.filter(thread=source).values_list("user_id", flat=True):
        Follow.objects.get_or_create(user_id=user_id, thread=target)
    target_url = reverse("conversations:thread", args=[target.community.slug, target.pk])
    note = _("This thread was merged into [%(title)s](%(url)s).") % {"title": target.title, "url": target_url}
    Post.objects.create(
        community=source.community,
        thread=source,
        author=actor,
        is_opening=True,
        body=note,
        body_html=render_markdown(note),
        is_official=True,
    )
    source.is_locked = True
    source.locked_by = actor
    source.accepted_answer = None
    source.save(update_fields=["is_locked", "locked_by", "accepted_answer", "updated_at"])
    _recount(source)
    _recount(target)
    record_moderation(
        actor=actor,
        action="thread.merged",
        community=target.community,
        subject=source.author_id,
        target=target,
        reason=reason,
        data={"thread": target.pk, "from": source.pk, "title": source.title, "into": target.title, "posts": moved},
    )
    _reindex_on_commit(moved)
    on_commit_publish(
        events.ThreadModerated(
            community_id=target.community_id, actor_id=actor.pk, thread_id=target.pk, change=f"merged={source.pk}"
        )
    )
    return target


@transaction.atomic
def split_thread(
    *, actor: Any, thread: Thread, post_ids: Iterable[int], title: str, reason: str, space: Space | None = None
) -> Thread:
    """Move chosen replies of a thread into a new thread; the earliest of them opens it."""
    thread = _lock_thread(thread)
    _check_movable(actor, thread)
    reason = require_reason(reason)
    title = _clean_title(title)
    wanted = {int(pk) for pk in post_ids}
    posts = list(Post.objects.filter(thread=thread, pk__in=wanted, is_opening=False).order_by("created_at", "id"))
    if not posts or len(posts) != len(wanted):
        message = _("Pick one or more replies of this thread (not its opening post).")
        raise Invalid(message, errors={"posts": [message]})
    space = space or thread.space
    if space.community_id != thread.community_id:
        message = _("Pick a space of this community.")
        raise Invalid(message, errors={"space": [message]})
    opening = posts[0]
    new_thread = Thread.objects.create(
        community=thread.community,
        space=space,
        author_id=opening.author_id,
        kind=thread.kind if thread.kind not in (ThreadKind.REVIEW,) else ThreadKind.DISCUSSION,
        title=title,
        last_activity_at=timezone.now(),
    )
    ids = [post.pk for post in posts]
    Post.objects.filter(pk__in=ids).update(thread=new_thread)
    Post.objects.filter(pk=opening.pk).update(is_opening=True, reply_to=None)
    # A reply whose parent stayed behind no longer answers anything in its new thread.
    Post.objects.filter(pk__in=ids).exclude(reply_to_id__in=ids).update(reply_to=None)
    Post.objects.filter(thread=thread, reply_to_id__in=ids).update(reply_to=None)
    if thread.accepted_answer_id in ids:
        thread.accepted_answer = None
        thread.save(update_fields=["accepted_answer", "updated_at"])
    Thread.objects.filter(pk=new_thread.pk).update(created_at=opening.created_at)
    new_thread.refresh_from_db()
    _recount(thread)
    _recount(new_thread)
    record_moderation(
        actor=actor,
        action="thread.split",
        community=thread.community,
        subject=opening.author_id,
        target=new_thread,
        reason=reason,
        data={"thread": new_thread.pk, "from": thread.pk, "title": title, "posts": ids},
    )
    _reindex_on_commit(ids)
    on_commit_publish(
        events.ThreadModerated(
            community_id=thread.community_id, actor_id=actor.pk, thread_id=thread.pk, change=f"split={new_thread.pk}"
        )
    )
    return new_thread
