"""Every read of threads and posts used by pages and the API, with a fixed number of queries per list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.communities.models import Community, Space
from belong.communities.permissions import effective_role, membership_for
from belong.communities.queries import spaces_visible_to
from belong.conversations.models import (
    Bookmark,
    Collection,
    Follow,
    Post,
    Product,
    Reaction,
    ReactionKind,
    Tag,
    Thread,
    ThreadKind,
)
from belong.conversations.permissions import CONVERSATION_MODERATORS
from belong.core.errors import NotFound

PERIODS = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}


@dataclass(frozen=True)
class ThreadFilter:
    """What a thread list is narrowed to; every field is optional."""

    space: Space | None = None
    kind: str | None = None
    tag: str | None = None
    author: str | None = None
    unanswered: bool = False
    language: str | None = None


def _moderates(user: Any, community: Community) -> bool:
    return effective_role(user, membership_for(user, community)) in CONVERSATION_MODERATORS


def visible_threads(user: Any, community: Community) -> QuerySet[Thread]:
    """Threads of the spaces the person can see; hidden ones only for moderators and their authors."""
    threads = Thread.objects.filter(community=community, space__in=spaces_visible_to(user, community).values("pk"))
    if not _moderates(user, community):
        own = Q(author=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        threads = threads.filter(Q(is_hidden=False) | own)
    return threads


def thread_list(user: Any, community: Community, filters: ThreadFilter | None = None) -> QuerySet[Thread]:
    """Threads for a list page, with what every row shows loaded up front (no query per row)."""
    filters = filters or ThreadFilter()
    threads = visible_threads(user, community)
    if filters.space is not None:
        threads = threads.filter(space=filters.space)
    if filters.kind:
        threads = threads.filter(kind=filters.kind)
    if filters.tag:
        threads = threads.filter(tags__community=community, tags__slug=filters.tag)
    if filters.author:
        threads = threads.filter(author__handle__iexact=filters.author)
    if filters.language:
        threads = threads.filter(language=filters.language)
    if filters.unanswered:
        threads = threads.filter(kind=ThreadKind.QUESTION, accepted_answer__isnull=True, reply_count=0)
    return threads.select_related("space", "author", "product").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("-is_official", "name"))
    )


def latest(user: Any, community: Community, filters: ThreadFilter | None = None) -> QuerySet[Thread]:
    return thread_list(user, community, filters).order_by("-is_pinned", "-last_activity_at", "-id")


def top(user: Any, community: Community, period: str = "week", filters: ThreadFilter | None = None) -> QuerySet[Thread]:
    """Threads started in the period, by reactions on their posts plus replies."""
    since = timezone.now() - PERIODS.get(period, PERIODS["week"])
    return (
        thread_list(user, community, filters)
        .filter(created_at__gte=since)
        .annotate(reaction_total=Count("posts__reactions", distinct=True))
        .order_by("-reaction_total", "-reply_count", "-id")
    )


def get_thread(user: Any, community: Community, thread_id: int, *, to_show: bool = True) -> Thread:
    """A thread the person may see; `to_show=False` loads only what a change needs (no author, tags...).

    Replying loads the thread twice (here to check it may be seen, then locked by the action); the
    light form costs a third of the full one, whose six-table join takes PostgreSQL longer to plan
    than to run (bench/load.py).
    """
    threads = visible_threads(user, community).filter(pk=thread_id)
    if to_show:
        threads = threads.select_related("space", "author", "product", "accepted_answer", "community").prefetch_related(
            "tags"
        )
    else:
        threads = threads.select_related("space", "community")
    thread = threads.first()
    if thread is None:
        raise NotFound(_("No such thread."))
    return thread


def posts_of(user: Any, thread: Thread) -> QuerySet[Post]:
    """The thread's posts in order: the opening post, then the accepted answer, then the others.

    Hidden posts are shown to moderators and to their authors (who are told a moderator will look at them).
    """
    posts = Post.objects.filter(thread=thread)
    if not _moderates(user, thread.community):
        own = Q(author=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        posts = posts.filter(Q(is_hidden=False) | own)
    posts = posts.select_related("author", "reply_to", "reply_to__author").annotate(
        **{f"{kind}_count": Count("reactions", filter=Q(reactions__kind=kind)) for kind in ReactionKind.values},
        reaction_total=Count("reactions"),
    )
    accepted = thread.accepted_answer_id or 0
    return posts.annotate(
        is_accepted=ExpressionWrapper(Q(pk=accepted), output_field=BooleanField()),
    ).order_by("-is_opening", "-is_accepted", "created_at", "id")


def reactions_by(user: Any, posts: list[Post]) -> dict[int, set[str]]:
    """Which reactions the person gave to each of these posts, in one query."""
    if not getattr(user, "is_authenticated", False) or not posts:
        return {}
    mine: dict[int, set[str]] = {}
    for post_id, kind in Reaction.objects.filter(user=user, post__in=posts).values_list("post_id", "kind"):
        mine.setdefault(post_id, set()).add(kind)
    return mine


def is_following(user: Any, thread: Thread) -> bool:
    return getattr(user, "is_authenticated", False) and Follow.objects.filter(user=user, thread=thread).exists()


def is_bookmarked(user: Any, thread: Thread) -> bool:
    return getattr(user, "is_authenticated", False) and Bookmark.objects.filter(user=user, thread=thread).exists()


def bookmarks_of(user: Any, community: Community) -> QuerySet[Thread]:
    if not getattr(user, "is_authenticated", False):
        return Thread.objects.none()
    return thread_list(user, community).filter(bookmarks__user=user).order_by("-bookmarks__created_at", "-id")


def tags_of(community: Community) -> QuerySet[Tag]:
    return (
        Tag.objects.filter(community=community)
        .annotate(thread_count=Count("threads"))
        .order_by("-is_official", "name", "id")
    )


def collections_of(community: Community, *, owner: Any = None) -> QuerySet[Collection]:
    collections = Collection.objects.filter(community=community).select_related("owner")
    collections = collections.filter(owner=owner) if owner is not None else collections.filter(is_public=True)
    return collections.annotate(thread_count=Count("items")).order_by("-updated_at", "-id")


def get_post(user: Any, community: Community, post_id: int) -> Post:
    """A post of a thread the person can see (hidden posts only for moderators and their authors)."""
    post = Post.objects.filter(pk=post_id, community=community).select_related("author").first()
    if post is None:
        raise NotFound(_("No such post."))
    thread = get_thread(user, community, post.thread_id)
    post.thread, post.community = thread, thread.community
    own = post.author_id is not None and post.author_id == getattr(user, "pk", None)
    if post.is_hidden and not own and not _moderates(user, community):
        raise NotFound(_("No such post."))
    return post


def get_tag(community: Community, slug: str) -> Tag:
    tag = Tag.objects.filter(community=community, slug=slug).first()
    if tag is None:
        raise NotFound(_("No such tag."))
    return tag


def products_of(community: Community) -> QuerySet[Product]:
    """The community's active products, with how many visible reviews name each."""
    reviews = Count("threads", filter=Q(threads__kind=ThreadKind.REVIEW, threads__is_hidden=False))
    return (
        Product.objects.filter(community=community, is_active=True)
        .annotate(review_count=reviews)
        .order_by("name", "id")
    )


def get_collection(user: Any, community: Community, collection_id: int) -> Collection:
    """A public collection, or the person's own private one."""
    found = Collection.objects.filter(pk=collection_id, community=community).select_related("owner").first()
    if found is None or (not found.is_public and found.owner_id != getattr(user, "pk", None)):
        raise NotFound(_("No such collection."))
    return found
